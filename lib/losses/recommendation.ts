/**
 * The next-item recommendation loss L_rec over user states and the item table.
 * - `cross_entropy` (default): softmax over ALL items, -log p(target) (no sampling bias).
 * - `bce`: binary cross-entropy with one sampled negative per position (original SASRec):
 *   softplus(-h.t_pos) + softplus(h.t_neg).
 * Positions: `all` (default, SASRec style: every real position predicts its next item) or `last`
 * (only the final position, cheaper; fewer training signals). The loss is the mean over the chosen
 * positions.
 *
 * @example
 * ```ts
 * const loss = recommendationLoss(states, itemTable, batch, { kind: "cross_entropy", positions: "all" });
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Scalar, Tensor2D, Tensor3D } from "../backend/tf.ts";
import { softmaxCrossEntropy } from "../backend/kernels/softmax_cross_entropy.ts";
import type { SequenceBatch } from "../data/types.ts";
import { checkOneOf, type SettingNames } from "../util/settings.ts";

/** Configuration of {@linkcode recommendationLoss}. */
export interface RecommendationLossConfig {
  /** Which loss L_rec is. Default "cross_entropy". */
  kind: "cross_entropy" | "bce";
  /** Which positions contribute to L_rec. Default "all". */
  positions: "all" | "last";
}

/** Which positions contribute to L_rec: {@linkcode RecommendationLossConfig.positions}. */
export type LossPositions = RecommendationLossConfig["positions"];

/** Which loss L_rec is: {@linkcode RecommendationLossConfig.kind}. */
export type RecommendationLossKind = RecommendationLossConfig["kind"];

/** Defaults of {@linkcode RecommendationLossConfig}. */
export const DEFAULT_RECOMMENDATION_LOSS: RecommendationLossConfig = Object.freeze({
  kind: "cross_entropy",
  positions: "all",
});

/** Every setting of {@linkcode RecommendationLossConfig}. */
export const RECOMMENDATION_LOSS_SETTINGS: SettingNames<RecommendationLossConfig> = Object.freeze({
  kind: true,
  positions: true,
});

/** Throws a `SettingError` unless `kind` and `positions` are known values. */
export function validateRecommendationLossConfig(
  config: RecommendationLossConfig,
  where = "RecommendationLossConfig",
): void {
  checkOneOf(`${where}.kind`, config.kind, ["cross_entropy", "bce"]);
  checkOneOf(`${where}.positions`, config.positions, ["all", "last"]);
}

/** The batch fields the loss reads. */
export type LossBatch = Pick<SequenceBatch, "valid" | "targets" | "batchSize" | "length">;

/** A one-line description printed next to results, e.g. "cross-entropy over all items, all positions". */
export function describeLoss(config: RecommendationLossConfig): string {
  const kind = config.kind === "cross_entropy"
    ? "cross-entropy over all items"
    : "binary cross-entropy with 1 sampled negative";
  return `${kind}, ${config.positions === "all" ? "all positions" : "last position"}`;
}

/**
 * Flat indices (batch * length + position) of the positions that enter the loss: real items with a
 * target, all of them or only the last position of each row.
 */
export function lossPositions(batch: LossBatch, positions: LossPositions): Int32Array {
  const chosen: number[] = [];
  for (let b = 0; b < batch.batchSize; b++) {
    const first = positions === "last" ? batch.length - 1 : 0;
    for (let t = first; t < batch.length; t++) {
      const flat = b * batch.length + t;
      if (batch.valid[flat] === 1) chosen.push(flat);
    }
  }
  return Int32Array.from(chosen);
}

/**
 * L_rec as a scalar. states [batch, position, dim], itemTable [numItems, dim].
 * `negatives` (for `bce`): [batch * position] item ids aligned with `batch.targets`
 * (see {@linkcode sampleNegatives}); another length is refused.
 */
export function recommendationLoss(
  states: Tensor3D,
  itemTable: Tensor2D,
  batch: LossBatch,
  config: RecommendationLossConfig = DEFAULT_RECOMMENDATION_LOSS,
  negatives?: Int32Array,
): Scalar {
  const targets = batch.targets;
  if (targets === undefined) throw new Error("recommendationLoss: the batch has no targets");
  const flat = lossPositions(batch, config.positions);
  if (flat.length === 0) throw new Error("recommendationLoss: the batch has no valid position");
  const chosenTargets = Int32Array.from(flat, (i) => targets[i]);
  return tf.tidy(() => {
    const dim = states.shape[2];
    const rows = tf.gather(tf.reshape(states, [-1, dim]), tf.tensor1d(flat, "int32")); // [n, dim]
    const targetIds = tf.tensor1d(chosenTargets, "int32");
    if (config.kind === "cross_entropy") {
      const logits = tf.matMul(rows, itemTable, false, true); // [n, numItems]
      return meanCrossEntropy(logits, targetIds);
    }
    const targetVectors = tf.gather(itemTable, targetIds); // [n, dim]
    const positive = tf.sum(tf.mul(rows, targetVectors), -1); // [n]
    if (negatives === undefined) throw new Error("recommendationLoss: bce needs sampled negatives");
    // One per position, flat like `batch.targets`: a short array read undefined (item 0) silently.
    const positions = batch.batchSize * batch.length;
    if (negatives.length !== positions) {
      throw new Error(
        `recommendationLoss: ${negatives.length} sampled negatives for ${positions} positions ` +
          `(batch ${batch.batchSize} x length ${batch.length})`,
      );
    }
    const chosenNegatives = Int32Array.from(flat, (i) => negatives[i]);
    const negativeVectors = tf.gather(itemTable, tf.tensor1d(chosenNegatives, "int32"));
    const negative = tf.sum(tf.mul(rows, negativeVectors), -1);
    return tf.mean(tf.add(tf.softplus(tf.neg(positive)), tf.softplus(negative))) as tf.Scalar;
  });
}

/**
 * Mean softmax cross-entropy of logits [n, numItems] against target ids [n] (see
 * {@linkcode rowCrossEntropy}).
 */
function meanCrossEntropy(logits: tf.Tensor, targets: tf.Tensor1D): tf.Scalar {
  return tf.mean(softmaxCrossEntropy(logits, targets)) as tf.Scalar;
}

/**
 * Softmax cross-entropy of each row of logits [n, numItems] against target ids [n] -> [n]; the
 * fused kernel of lib/backend/kernels/softmax_cross_entropy.ts (one pass per row, the gradient
 * softmax - one_hot written in the same pass) where registered.
 *
 * @example
 * ```ts
 * const perRow = rowCrossEntropy(tf.matMul(rows, itemTable, false, true), targetIds); // [n]
 * ```
 */
export function rowCrossEntropy(logits: tf.Tensor, targets: tf.Tensor1D): tf.Tensor1D {
  return softmaxCrossEntropy(logits, targets);
}
