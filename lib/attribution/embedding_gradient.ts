/**
 * Gradient of the per-user next-item loss with respect to the modality embeddings, computed on a
 * detached copy of the inputs so that it never reaches the training tape.
 */
import { tf } from "../backend/tf.ts";
import type { Tensor, Tensor3D, Tensor4D } from "../backend/tf.ts";
import type { LossOfEmbeddings, PairShape } from "./types.ts";

/** What {@linkcode embeddingGradient} returns. */
export interface EmbeddingGradient {
  /** dL_b/dE[b,p,m,:] `[batch, position, modality, dim]`, or dL_b/dw[b,p,m] `[batch, position, modality]`. */
  gradient: Float32Array;
  /** `[batch]` per-user loss at the given inputs. */
  loss: Float32Array;
}

/**
 * Copies a tensor through its values, so that nothing computed from the copy is recorded on an
 * enclosing gradient tape (tfjs has no stop-gradient op).
 */
export function detachedCopy<T extends Tensor>(tensor: T): T {
  // slice(): on the cpu backend dataSync() hands out the backend's own buffer.
  return tf.tensor(tensor.dataSync().slice(), tensor.shape, tensor.dtype) as T;
}

/** Throws unless `embeddings` is `[b, p, m, d]` and `mask` is `[b, p, m]` with the same b, p, m. */
export function checkEmbeddingInputs(
  where: string,
  embeddings: tf.Tensor,
  mask: tf.Tensor,
): PairShape {
  if (embeddings.rank !== 4) {
    throw new Error(
      `${where}: embeddings must be [batch, position, modality, dim], got shape [${embeddings.shape}]`,
    );
  }
  const [batch, positions, modalities] = embeddings.shape;
  const expected = [batch, positions, modalities];
  if (mask.rank !== 3 || mask.shape.some((size, axis) => size !== expected[axis])) {
    throw new Error(
      `${where}: mask must be [batch, position, modality] = [${expected}], got [${mask.shape}]`,
    );
  }
  return [batch, positions, modalities];
}

/** Throws unless the loss closure returned one finite value per user. */
export function checkPerUserLoss(where: string, loss: tf.Tensor, batch: number): void {
  if (loss.rank !== 1 || loss.shape[0] !== batch) {
    throw new Error(
      `${where}: lossOfEmbeddings must return [batch = ${batch}], got [${loss.shape}]`,
    );
  }
}

/** Gradient of the summed per-user loss with respect to `E` or `w`, plus the per-user loss. */
function lossGradient(
  where: string,
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  mask: tf.Tensor3D,
  withRespectTo: "embeddings" | "mask",
): EmbeddingGradient {
  const shape = checkEmbeddingInputs(where, embeddings, mask);
  // Tensors leave the tidy scope and are read afterwards: a typed array returned from inside
  // tf.tidy is walked element by element (see tidyRead).
  let perUser: tf.Tensor1D | undefined;
  const gradient = tf.tidy(() => {
    const e = detachedCopy(embeddings);
    const w = detachedCopy(mask);
    const lossSum = (x: tf.Tensor) => {
      const loss = withRespectTo === "embeddings"
        ? lossOfEmbeddings(x as tf.Tensor4D, w)
        : lossOfEmbeddings(e, x as tf.Tensor3D);
      checkPerUserLoss(where, loss, shape[0]);
      perUser = tf.keep(loss);
      return tf.sum(loss);
    };
    return tf.grad(lossSum)(withRespectTo === "embeddings" ? e : w);
  });
  try {
    return {
      gradient: gradient.dataSync().slice() as Float32Array,
      loss: (perUser as tf.Tensor1D | undefined)?.dataSync().slice() as Float32Array,
    };
  } finally {
    gradient.dispose();
    (perUser as tf.Tensor1D | undefined)?.dispose();
  }
}

/**
 * dL/dE for every user at once: because users are independent, the gradient of the summed loss
 * holds each user's own gradient in that user's row. `gradient` is `[batch, position, modality, dim]`.
 *
 * @example
 * ```ts
 * const { gradient, loss } = embeddingGradient((e, w) => tf.sum(tf.mul(e, tf.expandDims(w, 3)), [1, 2, 3]), E, w);
 * ```
 */
export function embeddingGradient(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
): EmbeddingGradient {
  return lossGradient("embeddingGradient", lossOfEmbeddings, embeddings, mask, "embeddings");
}

/**
 * dL/dw, the gradient with respect to the fusion mask; `gradient` is `[batch, position, modality]`.
 * Unlike dL/dE it sees how the fusion renormalises when a modality is dropped (masked mean).
 *
 * @example
 * ```ts
 * const { gradient } = maskGradient(lossOf, E, w); // [batch, position, modality]
 * ```
 */
export function maskGradient(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
): EmbeddingGradient {
  return lossGradient("maskGradient", lossOfEmbeddings, embeddings, mask, "mask");
}
