/**
 * Raw contribution of each modality of each history item to the next-item loss, by one of the
 * methods of {@linkcode AttributionMethod}. Higher = more important; 0 at invalid pairs.
 */
import { readFloat32 } from "../backend/read_values.ts";
import { tf } from "../backend/tf.ts";
import type { Tensor3D, Tensor4D } from "../backend/tf.ts";
import { checkEmbeddingInputs, detachedCopy, lossGradientTensors } from "./embedding_gradient.ts";
import { integratedGradientContributions } from "./_integrated_gradients.ts";
import { occlusionContributions } from "./_occlusion.ts";
import type { OcclusionProgressCallback } from "./progress.ts";
import { validPairs } from "./_pairs.ts";
import {
  type AttributionConfig,
  DEFAULT_ATTRIBUTION_CONFIG,
  type LossOfEmbeddings,
  type PairShape,
} from "./types.ts";

/** The part of {@linkcode AttributionConfig} that {@linkcode computeContributions} reads. */
export type ContributionConfig = Pick<
  AttributionConfig,
  "method" | "integratedGradientsSteps" | "integratedGradientsBaseline"
>;

/** Raw contributions and the fusion mask's values, both `[batch, position, modality]`. */
export interface ContributionsAndMask {
  contributions: Float32Array;
  mask: Float32Array;
  /**
   * Integrated gradients only: `[batch]` `L(baseline) - L(full)`, the reference of the
   * completeness readout (`completeness.ts`).
   */
  lossChange?: Float32Array;
}

/** `mask` as float32 (a 0/1 or [0, 1] mask converts exactly), for a shared float32 read. */
function asFloat32(mask: tf.Tensor3D): tf.Tensor3D {
  return mask.dtype === "float32" ? mask : tf.cast(mask, "float32");
}

/**
 * Reads `values`, `mask` and then `alongside` in one transfer; disposes `values` and `alongside`.
 */
async function readWithMask(
  values: tf.Tensor,
  mask: tf.Tensor3D,
  ...alongside: tf.Tensor[]
): Promise<Float32Array[]> {
  const floatMask = asFloat32(mask);
  try {
    return await readFloat32([values, floatMask, ...alongside]);
  } finally {
    tf.dispose([values, ...alongside]);
    if (floatMask !== mask) floatMask.dispose();
  }
}

/** The attribution methods computed from dL/dE alone: {@linkcode contributionsOfGradient}. */
export type EmbeddingGradientMethod = "gradient_x_input" | "gradient_norm";

/**
 * `[batch, position, modality]` raw contributions from the gradient dL/dE `[batch, position,
 * modality, dim]` and the embeddings E it was taken at: `-g . e` (`gradient_x_input`) or `|g|_2`
 * (`gradient_norm`). The one formula of both the attribution pass and Demure's training-pass
 * attribution (which takes dL_rec/dE from the training step's own backward pass).
 *
 * @example
 * ```ts
 * const c = contributionsOfGradient(gradient, embeddings, "gradient_x_input"); // [b, p, m]
 * ```
 */
export function contributionsOfGradient(
  gradient: Tensor4D,
  embeddings: Tensor4D,
  method: EmbeddingGradientMethod,
): Tensor3D {
  // Public and typed only: a method name from JSON or a typo silently took the `|g|_2` branch.
  if (method !== "gradient_x_input" && method !== "gradient_norm") {
    throw new Error(
      `contributionsOfGradient: unknown method "${method}"; allowed: "gradient_x_input", ` +
        `"gradient_norm"`,
    );
  }
  return tf.tidy(() =>
    method === "gradient_x_input"
      ? tf.neg(tf.sum(tf.mul(gradient, embeddings), -1))
      : gradientNorm(gradient)
  ) as tf.Tensor3D;
}

/** The least norm whose float32 sum of squares is a normal number: sqrt(2^-126). */
const LEAST_NORMAL_NORM = 2 ** -63;

/**
 * `|g|_2` over the last axis. Taken directly, the float32 sum of squares underflows where every
 * component is below about 1e-19 (a norm of 1e-23 read 0: pairs that differ tied) and overflows
 * above 1.8e19 (Infinity, then refused as a non-finite contribution, though every component was
 * finite). There, and only there, the norm is that of g over its largest magnitude, scaled back;
 * every other norm is the direct one, bit for bit.
 */
function gradientNorm(gradient: Tensor4D): Tensor3D {
  const direct = tf.sqrt(tf.sum(tf.square(gradient), -1));
  const largest = tf.max(tf.abs(gradient), -1);
  const scale = tf.where(tf.greater(largest, 0), largest, tf.onesLike(largest));
  const scaled = tf.div(gradient, tf.expandDims(scale, -1));
  const rescaled = tf.mul(scale, tf.sqrt(tf.sum(tf.square(scaled), -1)));
  const outOfRange = tf.logicalOr(
    tf.less(direct, LEAST_NORMAL_NORM),
    tf.logicalAnd(tf.isInf(direct), tf.isFinite(largest)),
  );
  return tf.where(outOfRange, rescaled, direct) as Tensor3D;
}

function gradientContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  mask: tf.Tensor3D,
  method: EmbeddingGradientMethod,
): tf.Tensor3D {
  const { gradient, loss } = lossGradientTensors(
    "embeddingGradient",
    lossOfEmbeddings,
    embeddings,
    mask,
    "embeddings",
  );
  try {
    return tf.tidy(() =>
      contributionsOfGradient(gradient as tf.Tensor4D, detachedCopy(embeddings), method)
    );
  } finally {
    tf.dispose([gradient, loss]);
  }
}

/**
 * Sets the contributions of invalid pairs (`mask` 0) to exactly 0, in place, and throws on a
 * non-finite contribution of a valid pair (the loss produced a non-finite value) or on a mask
 * value outside [0, 1] (see {@linkcode validPairs}), before changing anything.
 */
export function zeroInvalidContributions(
  contributions: Float32Array,
  mask: ArrayLike<number>,
  method: AttributionConfig["method"],
): void {
  const valid = validPairs(mask, `computeContributions(${method})`);
  // Checked in a pass of its own: zeroing as it went left the pairs before a refused value zeroed.
  for (let i = 0; i < contributions.length; i++) {
    if (valid[i] && !Number.isFinite(contributions[i])) {
      throw new Error(
        `computeContributions(${method}): contribution at flat index ${i} is ` +
          `${contributions[i]}; the loss closure produced a non-finite value`,
      );
    }
  }
  for (let i = 0; i < contributions.length; i++) if (!valid[i]) contributions[i] = 0;
}

/**
 * {@linkcode computeContributions} together with the mask's values, so that a caller that also
 * needs the valid pairs (the attribution) reads once. Gradient methods read once; occlusion reads
 * the mask first (it builds the occluded masks from it), then every column's loss at once;
 * `onOcclusionProgress` hears occlusion's progress (the other methods are one pass).
 */
export async function contributionsAndMask(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
  config: ContributionConfig = DEFAULT_ATTRIBUTION_CONFIG,
  onOcclusionProgress?: OcclusionProgressCallback,
): Promise<ContributionsAndMask> {
  const shape: PairShape = checkEmbeddingInputs("computeContributions", embeddings, mask);
  let contributions: Float32Array;
  let w: Float32Array;
  let lossChange: Float32Array | undefined;
  switch (config.method) {
    case "gradient_x_input":
    case "gradient_norm":
      [contributions, w] = await readWithMask(
        gradientContributions(lossOfEmbeddings, embeddings, mask, config.method),
        mask,
      );
      break;
    case "mask_gradient": {
      const { gradient, loss } = lossGradientTensors(
        "maskGradient",
        lossOfEmbeddings,
        embeddings,
        mask,
        "mask",
      );
      loss.dispose();
      const [g, values] = await readWithMask(gradient, mask);
      w = values;
      contributions = g.map((value, i) => -value * w[i]);
      break;
    }
    case "integrated_gradients": {
      const integrated = integratedGradientContributions(
        lossOfEmbeddings,
        embeddings,
        mask,
        shape,
        config.integratedGradientsSteps,
        config.integratedGradientsBaseline,
      );
      [contributions, w, lossChange] = await readWithMask(
        integrated.contributions,
        mask,
        integrated.lossChange,
      );
      break;
    }
    case "occlusion": {
      const floatMask = asFloat32(mask);
      try {
        [w] = await readFloat32([floatMask]);
      } finally {
        if (floatMask !== mask) floatMask.dispose();
      }
      // A bad mask value is refused before the forward passes, not after them.
      validPairs(w, "computeContributions(occlusion)");
      contributions = await occlusionContributions(
        lossOfEmbeddings,
        embeddings,
        w,
        shape,
        onOcclusionProgress,
      );
      break;
    }
    default: {
      const unknown: never = config.method;
      throw new Error(`computeContributions: unknown method "${unknown}"`);
    }
  }
  zeroInvalidContributions(contributions, w, config.method);
  return lossChange === undefined
    ? { contributions, mask: w }
    : { contributions, mask: w, lossChange };
}

/**
 * `[batch, position, modality]` contributions of the modality embeddings `embeddings`
 * `[batch, position, modality, dim]` under the fusion mask `mask` `[batch, position, modality]`.
 * Pairs with `mask` 0 (padding, missing modality) get exactly 0; a mask value outside [0, 1]
 * (NaN included) is refused, naming its flat index. Nothing is recorded on any
 * enclosing gradient tape; every intermediate tensor is disposed. Values are read asynchronously
 * (so this runs on GPU backends too).
 *
 * @example
 * ```ts
 * const c = await computeContributions(lossOf, E, w, { ...DEFAULT_ATTRIBUTION_CONFIG, method: "occlusion" });
 * // c[(b * positions + p) * modalities + m] = L_b(w[b,p,m] = 0) - L_b(full)
 * ```
 */
export async function computeContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
  config: ContributionConfig = DEFAULT_ATTRIBUTION_CONFIG,
): Promise<Float32Array> {
  return (await contributionsAndMask(lossOfEmbeddings, embeddings, mask, config)).contributions;
}
