/**
 * Gradient of the per-user next-item loss with respect to the modality embeddings, computed on a
 * detached copy of the inputs so that it never reaches the training tape, and read asynchronously
 * (one transfer) so that it also runs on GPU backends.
 */
import { readFloat32 } from "../backend/read_values.ts";
import { freeTapeOnThrow } from "../backend/gradient_tape.ts";
import { tf } from "../backend/tf.ts";
import type { Tensor, Tensor1D, Tensor3D, Tensor4D } from "../backend/tf.ts";
import type { LossOfEmbeddings, PairShape } from "./types.ts";

/** What {@linkcode embeddingGradient} returns. */
export interface EmbeddingGradient {
  /** dL_b/dE[b,p,m,:] `[batch, position, modality, dim]`, or dL_b/dw[b,p,m] `[batch, position, modality]`. */
  gradient: Float32Array;
  /** `[batch]` per-user loss at the given inputs. */
  loss: Float32Array;
}

/**
 * A second handle on the same device memory, which no gradient tape links back to `tensor`
 * (tfjs has no stop-gradient op): no kernel runs, so nothing is recorded, and nothing is read to
 * the host (the former copy through `dataSync` could not run on a GPU backend). Dispose it like
 * any tensor; the memory is freed when both handles are.
 *
 * @example
 * ```ts
 * const e = detachedCopy(embeddings); // tf.grad(f)(e) never reaches what made `embeddings`
 * ```
 */
export function detachedCopy<T extends Tensor>(tensor: T): T {
  const engine = tf.engine();
  engine.backend.incRef(tensor.dataId);
  return engine.makeTensorFromTensorInfo({
    dataId: tensor.dataId,
    shape: tensor.shape,
    dtype: tensor.dtype,
  }) as T;
}

/** Throws unless `embeddings` is `[b, p, m, d]` and `mask` is `[b, p, m]` with the same b, p, m. */
export function checkEmbeddingInputs(
  where: string,
  embeddings: Tensor,
  mask: Tensor,
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

/**
 * Throws unless the loss closure returned one value per user (`shape`: the shape of what it
 * returned). Inside `tf.grad` call it only after `tf.grad` returns: a throw inside it keeps the
 * tensors saved for the backward pass, which no `tf.tidy` frees (4 per call leaked).
 */
export function checkPerUserLoss(where: string, shape: readonly number[], batch: number): void {
  if (shape.length !== 1 || shape[0] !== batch) {
    throw new Error(
      `${where}: lossOfEmbeddings must return [batch = ${batch}], got [${shape}]`,
    );
  }
}

/** The gradient and the per-user loss, left on the device (the caller disposes both). */
export interface GradientTensors {
  /** dL/dE `[batch, position, modality, dim]` or dL/dw `[batch, position, modality]`. */
  gradient: Tensor;
  /** `[batch]` per-user loss. */
  loss: Tensor1D;
}

/**
 * Gradient of the summed per-user loss with respect to `E` or `w`, plus the per-user loss, as
 * tensors: callers that derive contributions keep them on the device and read once.
 */
export function lossGradientTensors(
  where: string,
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
  withRespectTo: "embeddings" | "mask",
): GradientTensors {
  const shape = checkEmbeddingInputs(where, embeddings, mask);
  const kept: { loss?: tf.Tensor } = {};
  try {
    // A loss that throws inside tf.grad left the tape's saved inputs behind (3 tensors a call).
    const gradient = freeTapeOnThrow(() =>
      tf.tidy(() => {
        const e = detachedCopy(embeddings);
        const w = detachedCopy(mask);
        const lossSum = (x: tf.Tensor) => {
          const loss = withRespectTo === "embeddings"
            ? lossOfEmbeddings(x as tf.Tensor4D, w)
            : lossOfEmbeddings(e, x as tf.Tensor3D);
          kept.loss = tf.keep(loss);
          return tf.sum(loss);
        };
        const gradient = tf.grad(lossSum)(withRespectTo === "embeddings" ? e : w);
        // Checked once tf.grad has returned (see checkPerUserLoss); the tidy frees the gradient.
        checkPerUserLoss(where, kept.loss!.shape, shape[0]);
        return gradient;
      })
    );
    return { gradient, loss: kept.loss as tf.Tensor1D };
  } catch (error) {
    kept.loss?.dispose();
    throw error;
  }
}

/** Reads {@linkcode lossGradientTensors} in one transfer and disposes the tensors. */
async function lossGradient(
  where: string,
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  mask: tf.Tensor3D,
  withRespectTo: "embeddings" | "mask",
): Promise<EmbeddingGradient> {
  const tensors = lossGradientTensors(where, lossOfEmbeddings, embeddings, mask, withRespectTo);
  try {
    const [gradient, loss] = await readFloat32([tensors.gradient, tensors.loss]);
    return { gradient, loss };
  } finally {
    tf.dispose([tensors.gradient, tensors.loss]);
  }
}

/**
 * dL/dE for every user at once: because users are independent, the gradient of the summed loss
 * holds each user's own gradient in that user's row. `gradient` is `[batch, position, modality, dim]`.
 *
 * @example
 * ```ts
 * const { gradient, loss } = await embeddingGradient((e, w) => tf.sum(tf.mul(e, tf.expandDims(w, 3)), [1, 2, 3]), E, w);
 * ```
 */
export function embeddingGradient(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
): Promise<EmbeddingGradient> {
  return lossGradient("embeddingGradient", lossOfEmbeddings, embeddings, mask, "embeddings");
}

/**
 * dL/dw, the gradient with respect to the fusion mask; `gradient` is `[batch, position, modality]`.
 * Unlike dL/dE it sees how the fusion renormalises when a modality is dropped (masked mean).
 *
 * @example
 * ```ts
 * const { gradient } = await maskGradient(lossOf, E, w); // [batch, position, modality]
 * ```
 */
export function maskGradient(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
): Promise<EmbeddingGradient> {
  return lossGradient("maskGradient", lossOfEmbeddings, embeddings, mask, "mask");
}
