/**
 * Integrated gradients of the per-user loss along a straight path from a baseline, midpoint
 * Riemann rule. Private helper of `contributions.ts`.
 */
import { freeTapeOnThrow } from "../backend/gradient_tape.ts";
import { tf } from "../backend/tf.ts";
import { checkPerUserLoss, detachedCopy } from "./embedding_gradient.ts";
import {
  INTEGRATED_GRADIENTS_BASELINES,
  type IntegratedGradientsBaseline,
  type LossOfEmbeddings,
  type PairShape,
} from "./types.ts";

/** What {@linkcode integratedGradientContributions} returns; the caller reads and disposes both. */
export interface IntegratedGradientTensors {
  /** `[batch, position, modality]` contributions `-IG`. */
  contributions: tf.Tensor3D;
  /**
   * `[batch]` `L(baseline) - L(full)`, what a user's contributions sum to when the path integral
   * is exact (completeness): the reference of the convergence delta (`completeness.ts`).
   */
  lossChange: tf.Tensor1D;
}

/**
 * Contributions `-IG`, so that a user's contributions sum to `L(baseline) - L(full)` up to the
 * Riemann error, and that loss change itself (two forward passes more, next to `steps` forward
 * and backward passes).
 */
export function integratedGradientContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  mask: tf.Tensor3D,
  shape: PairShape,
  steps: number,
  baseline: IntegratedGradientsBaseline,
): IntegratedGradientTensors {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(
      `attribution: integratedGradientsSteps must be a positive integer, got ${steps}`,
    );
  }
  // computeContributions takes its config unchecked: a baseline it does not know took the masked
  // path below, silently.
  if (!INTEGRATED_GRADIENTS_BASELINES.includes(baseline)) {
    throw new Error(
      `attribution: integratedGradientsBaseline must be one of ` +
        `${INTEGRATED_GRADIENTS_BASELINES.map((name) => `"${name}"`).join(", ")}, ` +
        `got ${JSON.stringify(baseline)}`,
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
      // A loss that throws inside tf.grad left the tape's saved inputs behind.
      const next = freeTapeOnThrow(() =>
        tf.tidy(() => {
          const gradient = baseline === "zero_embedding"
            ? tf.grad((x: tf.Tensor) => lossOf(x as tf.Tensor4D, w))(
              tf.mul(e, alpha) as tf.Tensor4D,
            )
            : tf.grad((m: tf.Tensor) => lossOf(e, m as tf.Tensor3D))(
              tf.mul(w, alpha) as tf.Tensor3D,
            );
          checkPerUserLoss("integrated gradients", lossShape, batch);
          return tf.add(gradientSum, gradient);
        })
      );
      gradientSum.dispose();
      gradientSum = next;
    }
    // One tidy: a loss that throws here leaves neither tensor behind.
    const [contributions, lossChange] = tf.tidy(() => {
      const meanGradient = tf.div(gradientSum, steps);
      const attribution = baseline === "zero_embedding"
        ? tf.sum(tf.mul(e, meanGradient), -1)
        : tf.mul(w, meanGradient);
      const atBaseline = baseline === "zero_embedding"
        ? lossOfEmbeddings(tf.zerosLike(e), w)
        : lossOfEmbeddings(e, tf.zerosLike(w));
      return [tf.neg(attribution), tf.sub(atBaseline, lossOfEmbeddings(e, w))];
    });
    return {
      contributions: contributions as tf.Tensor3D,
      lossChange: lossChange as tf.Tensor1D,
    };
  } finally {
    // Also when the loss is rejected (not one value per user): the copies and the running sum go.
    tf.dispose([e, w, gradientSum]);
  }
}
