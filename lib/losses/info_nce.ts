/**
 * InfoNCE contrastive loss for the Demure views: each anchor (user state from the full history) is
 * pulled toward its positive (user state from the denoised history) and pushed away from
 * negatives: explicit ones (e.g. the state from the history with the points of interest masked)
 * and, by default, the other users' positives in the batch.
 *
 *   loss_i = -log( exp(s(a_i, p_i) / tau) / sum_{c in candidates_i} exp(s(a_i, c) / tau) )
 *
 * candidates_i = { p_i } + { p_j : j != i } (in-batch) + { n_{i,k} } (explicit); the loss is the
 * mean over the batch. s is cosine similarity by default (scale-free, so tau alone sets the
 * sharpness), or the dot product.
 *
 * @example
 * ```ts
 * const loss = infoNce(anchor, positive, { temperature: 0.2, negatives: tf.expandDims(negative, 1) });
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Scalar, Tensor2D, Tensor3D } from "../backend/tf.ts";
import {
  checkBoolean,
  checkNumber,
  checkOneOf,
  checkSettingNames,
  type NumberRange,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";
import { unitRows } from "./_unit_rows.ts";

/** Similarity between two user states. */
export type SimilarityKind = "cosine" | "dot";

/** Configuration of {@linkcode infoNce}; defaults in {@linkcode DEFAULT_INFO_NCE_CONFIG}. */
export interface InfoNceConfig {
  /** tau in {@linkcode CONTRASTIVE_TEMPERATURE_RANGE} (>= 1e-6). Default 0.2. */
  temperature: number;
  /** Default `"cosine"`. */
  similarity: SimilarityKind;
  /** Use the other rows' positives as negatives. Default true. */
  inBatchNegatives: boolean;
  /**
   * Cosine only: a vector norm is clamped to at least this before dividing, so that an all-zero
   * state gives similarity 0 instead of NaN. Default 1e-8.
   */
  epsilon: number;
}

/** The documented defaults. */
export const DEFAULT_INFO_NCE_CONFIG: Readonly<InfoNceConfig> = Object.freeze({
  temperature: 0.2,
  similarity: "cosine",
  inBatchNegatives: true,
  epsilon: 1e-8,
});

/** Options of {@linkcode infoNce}: any {@linkcode InfoNceConfig} field, plus explicit negatives. */
export interface InfoNceOptions extends Partial<InfoNceConfig> {
  /** `[batch, k, dim]` extra negatives of each anchor. */
  negatives?: Tensor3D;
}

/** Every option of {@linkcode infoNce}: a misspelt one (`temprature`) ran at its default. */
const INFO_NCE_OPTION_SETTINGS: SettingNames<InfoNceOptions> = Object.freeze({
  temperature: true,
  similarity: true,
  inBatchNegatives: true,
  epsilon: true,
  negatives: true,
});

/**
 * The temperatures a contrastive loss ({@linkcode infoNce}, `ntXent`) and the configurations that
 * feed one (Demure, CL4SRec) accept: at least 1e-6. A logit is s / tau in float32: at 1e-6 cosine
 * logits stay within +-1e6, each rounded by at most 0.03; at 1e-9 by up to 32, so the loss is off
 * by tens; below about 3e-39 1/tau overflows float32 and both losses are NaN. "> 0" accepted all
 * of these (and at 1e-10 NT-Xent's then fixed self-similarity logit, -1e9, outweighed the real
 * ones: the loss 45 % too high). Every default (0.2, CL4SRec's 1.0) and every swept value (0.1 to
 * 0.5) lies far inside.
 */
export const CONTRASTIVE_TEMPERATURE_RANGE: Readonly<NumberRange> = Object.freeze({ min: 1e-6 });

/** Every {@linkcode SimilarityKind}, for validation and error messages. */
export const SIMILARITY_KINDS: readonly SimilarityKind[] = ["cosine", "dot"];

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range. An infinite temperature gave the constant log(candidates), an unknown similarity the dot
 * product and a string "false" in-batch negatives, silently.
 */
export function validateInfoNceConfig(config: InfoNceConfig): void {
  checkNumber("InfoNceConfig.temperature", config.temperature, CONTRASTIVE_TEMPERATURE_RANGE);
  checkOneOf("InfoNceConfig.similarity", config.similarity, SIMILARITY_KINDS);
  checkBoolean("InfoNceConfig.inBatchNegatives", config.inBatchNegatives);
  checkNumber("InfoNceConfig.epsilon", config.epsilon, { above: 0 });
}

function checkShapes(anchor: tf.Tensor, positive: tf.Tensor, negatives?: tf.Tensor): void {
  if (anchor.rank !== 2) {
    throw new Error(`infoNce: anchor must be [batch, dim], got [${anchor.shape}]`);
  }
  if (positive.rank !== 2 || positive.shape.some((s, i) => s !== anchor.shape[i])) {
    throw new Error(
      `infoNce: positive must be [${anchor.shape}] like anchor, got [${positive.shape}]`,
    );
  }
  if (
    negatives !== undefined &&
    (negatives.rank !== 3 || negatives.shape[0] !== anchor.shape[0] ||
      negatives.shape[2] !== anchor.shape[1])
  ) {
    throw new Error(
      `infoNce: negatives must be [batch = ${anchor.shape[0]}, k, dim = ${anchor.shape[1]}], ` +
        `got [${negatives.shape}]`,
    );
  }
}

/**
 * Mean InfoNCE loss of `anchor` `[batch, dim]` against `positive` `[batch, dim]` (row i is the
 * positive of anchor i). Throws when an anchor would have no negative at all, and a `SettingError`
 * for an option that is unknown or out of range ({@linkcode validateInfoNceConfig}).
 *
 * @example
 * ```ts
 * const anchor = tf.tensor2d([[1, 0], [0, 1]]);
 * const positive = tf.tensor2d([[1, 0.1], [0.1, 1]]);
 * infoNce(anchor, positive).dataSync()[0]; // small: each anchor is closest to its own positive
 * ```
 */
export function infoNce(
  anchor: Tensor2D,
  positive: Tensor2D,
  options: InfoNceOptions = {},
): Scalar {
  checkSettingNames("InfoNceOptions", options, INFO_NCE_OPTION_SETTINGS);
  const { negatives, ...overrides } = options;
  const config: InfoNceConfig = withDefaults(DEFAULT_INFO_NCE_CONFIG, overrides);
  validateInfoNceConfig(config);
  checkShapes(anchor, positive, negatives);
  const explicitCount = negatives?.shape[1] ?? 0;
  if (explicitCount === 0 && !(config.inBatchNegatives && anchor.shape[0] > 1)) {
    throw new Error(
      "infoNce: no negatives (give `negatives` or in-batch negatives with batch > 1)",
    );
  }
  return tf.tidy(() => {
    const cosine = config.similarity === "cosine";
    const a = cosine ? unitRows(anchor, config.epsilon) : anchor;
    const p = cosine ? unitRows(positive, config.epsilon) : positive;
    const positiveLogit = tf.div(tf.sum(tf.mul(a, p), -1), config.temperature); // [batch]
    const columns: tf.Tensor2D[] = [];
    if (config.inBatchNegatives) {
      // Row i holds s(a_i, p_j) for every j; the diagonal is the positive itself.
      columns.push(tf.div(tf.matMul(a, p, false, true), config.temperature));
    } else {
      columns.push(tf.expandDims(positiveLogit, 1));
    }
    if (negatives !== undefined && explicitCount > 0) {
      const n = cosine ? unitRows(negatives, config.epsilon) : negatives;
      // [batch, 1, dim] x [batch, k, dim]^T -> [batch, 1, k]
      const explicit = tf.matMul(tf.expandDims(a, 1), n, false, true);
      columns.push(tf.div(tf.squeeze(explicit, [1]), config.temperature));
    }
    const logits = columns.length === 1 ? columns[0] : tf.concat(columns, 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, -1), positiveLogit)) as tf.Scalar;
  });
}
