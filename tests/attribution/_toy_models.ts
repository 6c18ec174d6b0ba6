/**
 * Small models with known attributions, built directly from tf ops, used by the attribution tests.
 * Shapes: E [batch, position, modality, dim], w [batch, position, modality].
 */
import { tf } from "../../lib/backend/tf.ts";
import type { LossOfEmbeddings } from "../../lib/attribution/types.ts";

/** Masked embeddings w * E, [batch, position, modality, dim]. */
function masked(embeddings: tf.Tensor4D, mask: tf.Tensor3D): tf.Tensor4D {
  return tf.mul(embeddings, tf.expandDims(mask, 3));
}

/** L_b = sum_{p,m,d} w[b,p,m] a[p,m,d] E[b,p,m,d]: every method equals -a . e exactly. */
export function linearLoss(weights: tf.Tensor3D): LossOfEmbeddings {
  return (embeddings, mask) => tf.sum(tf.mul(masked(embeddings, mask), weights), [1, 2, 3]);
}

/** L_b = 0.5 |sum_{p,m} w[b,p,m] E[b,p,m,:]|^2. */
export function quadraticLoss(): LossOfEmbeddings {
  return (embeddings, mask) => {
    const pooled = tf.sum(masked(embeddings, mask), [1, 2]);
    return tf.mul(0.5, tf.sum(tf.square(pooled), 1));
  };
}

/**
 * A tiny next-item model: h_b = tanh(sum_{p,m} w e W), loss = cross-entropy of softmax(h . items)
 * at target_b. Nonlinear, with interactions between pairs, like the real model.
 */
export function nextItemLoss(
  projection: tf.Tensor2D,
  itemTable: tf.Tensor2D,
  targets: tf.Tensor1D,
): LossOfEmbeddings {
  return (embeddings, mask) => {
    const pooled = tf.sum(masked(embeddings, mask), [1, 2]);
    const state = tf.tanh(tf.matMul(pooled, projection));
    const logits = tf.matMul(state, itemTable, false, true);
    const logProbabilities = tf.logSoftmax(logits);
    const numItems = itemTable.shape[0];
    return tf.neg(tf.sum(tf.mul(logProbabilities, tf.oneHot(targets, numItems)), 1));
  };
}

/** A seeded next-item toy: its closure, embeddings and mask (caller disposes the tensors). */
export interface NextItemToy {
  lossOf: LossOfEmbeddings;
  embeddings: tf.Tensor4D;
  mask: tf.Tensor3D;
  tensors: tf.Tensor[];
}

/**
 * Builds a {@linkcode nextItemLoss} toy whose modality embeddings have per-modality scales, so
 * that some modalities matter much more than others (a clear ranking to recover).
 */
export function makeNextItemToy(
  batch: number,
  positions: number,
  modalityScales: number[],
  dim: number,
  seed: number,
): NextItemToy {
  const modalities = modalityScales.length;
  const numItems = 7;
  const projection = tf.randomNormal(
    [dim, dim],
    0,
    1 / Math.sqrt(dim),
    "float32",
    seed,
  ) as tf.Tensor2D;
  const itemTable = tf.randomNormal([numItems, dim], 0, 1, "float32", seed + 1) as tf.Tensor2D;
  const targets = tf.tensor1d(Array.from({ length: batch }, (_, b) => (b * 3) % numItems), "int32");
  const raw = tf.randomNormal([batch, positions, modalities, dim], 0, 1, "float32", seed + 2);
  const scales = tf.reshape(tf.tensor1d(modalityScales), [1, 1, modalities, 1]);
  const embeddings = tf.mul(raw, scales) as tf.Tensor4D;
  raw.dispose();
  scales.dispose();
  const mask = tf.ones([batch, positions, modalities]) as tf.Tensor3D;
  return {
    lossOf: nextItemLoss(projection, itemTable, targets),
    embeddings,
    mask,
    tensors: [projection, itemTable, targets, embeddings, mask],
  };
}
