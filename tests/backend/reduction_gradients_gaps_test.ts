/**
 * The Mean and Sum gradients of lib/backend/kernels/reduction_gradients.ts over axis 0 given as a
 * number: 0 is an axis, not "no axis" (every axis). Found by mutation round NE (NE21).
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerReductionGradients } from "../../lib/backend/kernels/reduction_gradients.ts";

registerReductionGradients();

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Mean and Sum gradients (${backend}) over axis 0, a number`, async () => {
    await tf.setBackend(backend);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const mean = tf.grad((t: tf.Tensor) => tf.mean(t, 0).mul(tf.tensor1d([1, 2, 3])).sum())(x);
    assertEquals([mean.shape, Array.from(mean.dataSync())], [[2, 3], [0.5, 1, 1.5, 0.5, 1, 1.5]]);
    const sum = tf.grad((t: tf.Tensor) => tf.sum(t, 0).mul(tf.tensor1d([1, 2, 3])).sum())(x);
    assertEquals([sum.shape, Array.from(sum.dataSync())], [[2, 3], [1, 2, 3, 1, 2, 3]]);
    tf.dispose([x, mean, sum]);
  });
}
