/**
 * Integrated gradients of the per-user loss along a straight path from a baseline, midpoint
 * Riemann rule. Private helper of `contributions.ts`.
 */
import { tf } from "../backend/tf.ts";
import { checkPerUserLoss, detachedCopy } from "./embedding_gradient.ts";
import type { IntegratedGradientsBaseline, LossOfEmbeddings, PairShape } from "./types.ts";

/**
 * Returns `[batch, position, modality]` contributions `-IG` as a tensor (the caller reads and
 * disposes it), so that a user's contributions sum to `L(baseline) - L(full)` (up to the Riemann
 * error).
 */
export function integratedGradientContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  mask: tf.Tensor3D,
  shape: PairShape,
  steps: number,
  baseline: IntegratedGradientsBaseline,
): tf.Tensor3D {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(
      `attribution: integratedGradientsSteps must be a positive integer, got ${steps}`,
    );
  }
  const e = detachedCopy(embeddings);
  const w = detachedCopy(mask);
  const batch = shape[0];
  // The loss's shape is checked once tf.grad has returned (see checkPerUserLoss).
  let lossShape: readonly number[] = [];
  const lossOf = (x: tf.Tensor4D, m: tf.Tensor3D) => {
    const loss = lossOfEmbeddings(x, m);
    lossShape = loss.shape;
    return tf.sum(loss);
  };
  // Summing gradients step by step keeps one path point in memory at a time.
  let gradientSum: tf.Tensor = baseline === "zero_embedding" ? tf.zerosLike(e) : tf.zerosLike(w);
  try {
    for (let step = 0; step < steps; step++) {
      const alpha = (step + 0.5) / steps;
      const next = tf.tidy(() => {
        const gradient = baseline === "zero_embedding"
          ? tf.grad((x: tf.Tensor) => lossOf(x as tf.Tensor4D, w))(tf.mul(e, alpha) as tf.Tensor4D)
          : tf.grad((m: tf.Tensor) => lossOf(e, m as tf.Tensor3D))(tf.mul(w, alpha) as tf.Tensor3D);
        checkPerUserLoss("integrated gradients", lossShape, batch);
        return tf.add(gradientSum, gradient);
      });
      gradientSum.dispose();
      gradientSum = next;
    }
    return tf.tidy(() => {
      const meanGradient = tf.div(gradientSum, steps);
      const attribution = baseline === "zero_embedding"
        ? tf.sum(tf.mul(e, meanGradient), -1)
        : tf.mul(w, meanGradient);
      return tf.neg(attribution) as tf.Tensor3D;
    });
  } finally {
    // Also when the loss is rejected (not one value per user): the copies and the running sum go.
    tf.dispose([e, w, gradientSum]);
  }
}
