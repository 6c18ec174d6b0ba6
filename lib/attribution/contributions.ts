/**
 * Raw contribution of each modality of each history item to the next-item loss, by one of the
 * methods of {@linkcode AttributionMethod}. Higher = more important; 0 at invalid pairs.
 */
import { tf } from "../backend/tf.ts";
import type { Tensor3D, Tensor4D } from "../backend/tf.ts";
import { tidyRead } from "../backend/tidy_read.ts";
import {
  checkEmbeddingInputs,
  detachedCopy,
  embeddingGradient,
  maskGradient,
} from "./embedding_gradient.ts";
import { integratedGradientContributions } from "./_integrated_gradients.ts";
import { occlusionContributions } from "./_occlusion.ts";
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

function gradientContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  mask: tf.Tensor3D,
  method: "gradient_x_input" | "gradient_norm",
): Float32Array {
  const { gradient } = embeddingGradient(lossOfEmbeddings, embeddings, mask);
  return tidyRead(() => {
    const g = tf.tensor4d(gradient, embeddings.shape);
    return method === "gradient_x_input"
      ? tf.neg(tf.sum(tf.mul(g, detachedCopy(embeddings)), -1))
      : tf.sqrt(tf.sum(tf.square(g), -1));
  }) as Float32Array;
}

/**
 * `[batch, position, modality]` contributions of the modality embeddings `embeddings`
 * `[batch, position, modality, dim]` under the fusion mask `mask` `[batch, position, modality]`.
 * Pairs with `mask <= 0` (padding, missing modality) get exactly 0. Nothing is recorded on any
 * enclosing gradient tape; every intermediate tensor is disposed.
 *
 * @example
 * ```ts
 * const c = computeContributions(lossOf, E, w, { ...DEFAULT_ATTRIBUTION_CONFIG, method: "occlusion" });
 * // c[(b * positions + p) * modalities + m] = L_b(w[b,p,m] = 0) - L_b(full)
 * ```
 */
export function computeContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
  config: ContributionConfig = DEFAULT_ATTRIBUTION_CONFIG,
): Float32Array {
  const shape: PairShape = checkEmbeddingInputs("computeContributions", embeddings, mask);
  let contributions: Float32Array;
  switch (config.method) {
    case "gradient_x_input":
    case "gradient_norm":
      contributions = gradientContributions(lossOfEmbeddings, embeddings, mask, config.method);
      break;
    case "mask_gradient": {
      const { gradient } = maskGradient(lossOfEmbeddings, embeddings, mask);
      const w = mask.dataSync();
      contributions = gradient.map((g, i) => -g * w[i]);
      break;
    }
    case "integrated_gradients":
      contributions = integratedGradientContributions(
        lossOfEmbeddings,
        embeddings,
        mask,
        shape,
        config.integratedGradientsSteps,
        config.integratedGradientsBaseline,
      );
      break;
    case "occlusion":
      contributions = occlusionContributions(lossOfEmbeddings, embeddings, mask, shape);
      break;
    default: {
      const unknown: never = config.method;
      throw new Error(`computeContributions: unknown method "${unknown}"`);
    }
  }
  const valid = validPairs(mask.dataSync());
  for (let i = 0; i < contributions.length; i++) {
    if (!valid[i]) contributions[i] = 0;
    else if (!Number.isFinite(contributions[i])) {
      throw new Error(
        `computeContributions(${config.method}): contribution at flat index ${i} is ` +
          `${contributions[i]}; the loss closure produced a non-finite value`,
      );
    }
  }
  return contributions;
}
