/**
 * Attribution of one batch of histories on the workspace's model: the modality embeddings, the
 * presence-and-padding mask and the item table are built from the batch, the per-user sequence
 * loss ({@linkcode sequenceLossOf}) is attributed, and every tensor is disposed before returning.
 *
 * @example
 * ```ts
 * const batch = withNextItemTargets(evaluationBatch.batch, evaluationBatch.targets);
 * const result = await attributeBatch(model, batch, { method: "occlusion" });
 * result.noiseMask; // [batch, position, modality], 1 = noise
 * ```
 */
import { tf } from "../backend/tf.ts";
import { attributeModalities } from "./attribute.ts";
import type { AttributionConfig, AttributionResult } from "./types.ts";
import type { SequenceBatch } from "../data/types.ts";
import type { LossPositions } from "../losses/recommendation.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { sequenceLossOf } from "./sequence_loss.ts";
import type { OcclusionProgressCallback } from "./progress.ts";

/** What the attribution of a batch reads from the model (the caller disposes every tensor). */
export interface AttributionInputs {
  /** [batch, position, modality]: 1 where the history item has the modality. */
  presence: tf.Tensor3D;
  /** [batch, position, modality]: presence times the padding mask (the valid pairs). */
  weights: tf.Tensor3D;
  /** [batch, position, modality, dim]: the modality embeddings of the history items. */
  embeddings: tf.Tensor4D;
  /** [items, dim]: the item table the next-item loss scores against. */
  itemTable: tf.Tensor2D;
}

/** The model's inputs to the attribution of `batch` (used by {@linkcode attributeBatch}). */
export function attributionInputs(
  model: SequentialRecommender,
  batch: SequenceBatch,
): AttributionInputs {
  return tf.tidy(() => {
    const items = tf.tensor2d(batch.items, [batch.batchSize, batch.length], "int32");
    const valid = tf.tensor2d(batch.valid, [batch.batchSize, batch.length]);
    const all = model.encodeAllItems();
    const presence = model.presence(items);
    return {
      presence,
      // Valid pairs: a real history position whose item has the modality.
      weights: tf.mul(presence, tf.expandDims(valid, 2)) as tf.Tensor3D,
      embeddings: model.embedModalities(items, all),
      itemTable: model.itemTable(all),
    };
  });
}

/**
 * Attributes `batch` (which must carry next-item targets) with `config`; `positions` says whose
 * losses {@linkcode sequenceLossOf} averages (default `"all"`, Demure's); `onOcclusionProgress`
 * hears occlusion's progress (see `progress.ts`).
 */
export async function attributeBatch(
  model: SequentialRecommender,
  batch: SequenceBatch,
  config: Partial<AttributionConfig> = {},
  positions: LossPositions = "all",
  onOcclusionProgress?: OcclusionProgressCallback,
): Promise<AttributionResult> {
  const inputs = attributionInputs(model, batch);
  try {
    const lossOf = sequenceLossOf(model, batch, inputs.presence, inputs.itemTable, positions);
    return await attributeModalities(
      lossOf,
      inputs.embeddings,
      inputs.weights,
      config,
      onOcclusionProgress,
    );
  } finally {
    tf.dispose(Object.values(inputs));
  }
}
