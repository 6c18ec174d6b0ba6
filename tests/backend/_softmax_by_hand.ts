/** Softmax cross-entropy of one row, by hand: the reference of the kernel tests. */
import { tf } from "../../lib/backend/tf.ts";
import { softmaxCrossEntropy } from "../../lib/backend/kernels/softmax_cross_entropy.ts";

export function byHand(row: number[], target: number): { loss: number; gradient: number[] } {
  const max = Math.max(...row);
  const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
  const loss = max + Math.log(sum) - row[target];
  const gradient = row.map((v, j) => Math.exp(v - max) / sum - (j === target ? 1 : 0));
  return { loss, gradient };
}

/**
 * What `softmaxCrossEntropy` gives on the current backend: the kernels it ran, the per-row loss,
 * and the gradient of `sum(loss * weights)` with respect to the logits.
 */
export async function lossAndGradient(
  rows: number[][],
  targets: number[],
  weights: number[],
): Promise<{ kernels: string[]; loss: Float32Array; gradient: number[][] }> {
  const logits = tf.tensor2d(rows);
  const ids = tf.tensor1d(targets, "int32");
  const dy = tf.tensor1d(weights);
  const profile = await tf.profile(() => softmaxCrossEntropy(logits, ids));
  const result = profile.result as tf.Tensor;
  const loss = result.dataSync() as Float32Array;
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(softmaxCrossEntropy(x, ids), dy)))(
    logits,
  );
  const values = gradient.arraySync() as number[][];
  tf.dispose([logits, ids, dy, result, gradient]);
  return { kernels: profile.kernels.map((k) => k.name), loss, gradient: values };
}
