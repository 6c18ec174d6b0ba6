/**
 * dense and layerNorm cases the layer tests leave open: an input whose middle axis is not 1, and
 * an epsilon other than the default. Found by mutation round KE (session 46).
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { dense, layerNorm } from "../../lib/nn/layers.ts";

await initBackend({ verbose: false });

Deno.test("dense maps every position of a [batch, position, in] input on its own", () => {
  // KE10: only the last axis is the input width; flattening from the first axis mixed positions
  // (and failed, except where there was one position, as in the first dense test).
  tf.tidy(() => {
    const x = tf.tensor3d([[[1, 2], [0, 1], [3, 0]], [[-1, 1], [2, 2], [0, 0]]]); // [2, 3, 2]
    const kernel = tf.tensor2d([[1, 0, 2], [0, 1, -1]]);
    const y = dense(x, kernel, tf.tensor1d([0, 0, 1]));
    assertEquals(y.shape, [2, 3, 3]);
    assertEquals(
      Array.from(y.dataSync()),
      [1, 2, 1, 0, 1, 0, 3, 0, 7, -1, 1, -2, 2, 2, 3, 0, 0, 1],
    );
  });
});

Deno.test("layerNorm uses the epsilon it is given", () => {
  // KE12: the parameter is the documented way to change it; a layer that kept 1e-6 whatever it was
  // given would pass every test run at the default.
  tf.tidy(() => {
    const row = [1, 2, 3, 6];
    const x = tf.tensor2d([row]);
    const y = layerNorm(x, tf.ones([4]), tf.zeros([4]), 1).dataSync();
    const mean = 3;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / 4; // 3.5
    row.forEach((v, k) => assertAlmostEquals(y[k], (v - mean) / Math.sqrt(variance + 1), 1e-5));
  });
});
