/**
 * The fused layer norm (lib/backend/kernels/layer_norm.ts) at its edges: a 1-D input, rows of one
 * feature, constant rows (whose gradient is scaled by 1 / sqrt(epsilon)), rows of large values,
 * and the composite ops on a 3-D input. Each expected value is worked out in float64 here.
 * Found by mutation round KB (KB01, KB03, KB08, KB11, KB12, KB13).
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { layerNorm, registerLayerNormKernels } from "../../lib/backend/kernels/layer_norm.ts";

function assertClose(actual: ArrayLike<number>, expected: number[], tolerance: number): void {
  assertEquals(actual.length, expected.length, `${Array.from(actual)}`);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    assert(
      Math.abs(actual[i] - expected[i]) <= tolerance * scale,
      `entry ${i}: ${Array.from(actual)} against ${expected}`,
    );
  }
}

/** d sum(layerNorm(x, gain, bias, epsilon) * weights) / d [x, gain, bias], read as arrays. */
function gradients(
  x: tf.Tensor,
  gain: tf.Tensor,
  bias: tf.Tensor,
  weights: tf.Tensor,
  epsilon: number,
): number[][] {
  const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(layerNorm(a, g, b, epsilon), weights));
  const grads = tf.grads(loss)([x, gain, bias]);
  const values = grads.map((grad) => Array.from(grad.dataSync()));
  tf.dispose(grads);
  return values;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`fused layerNorm on ${backend}: a 1-D input is one row`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // x [dim]: no leading axes, one row (the row count is the product of none of them).
    tf.tidy(() => {
      const y = layerNorm(tf.tensor1d([1, 3]), tf.tensor1d([2, 3]), tf.tensor1d([0.5, 0]), 0);
      assertEquals(y.shape, [2]);
      assertClose(y.dataSync(), [-1.5, 3], 1e-6);
    });
  });

  Deno.test(`fused layerNorm on ${backend}: rows of one feature give the bias, and their gradients`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // Width 1: each row is its own mean, x_hat = 0, y = bias. dx = rstd * (g - mean(g)) = 0,
    // d gain = sum(dy * x_hat) = 0, d bias = sum(dy) = 1 + 2 + 3.
    tf.tidy(() => {
      const x = tf.tensor2d([[3], [-2], [7]]), gain = tf.tensor1d([2]), bias = tf.tensor1d([0.5]);
      assertClose(layerNorm(x, gain, bias).dataSync(), [0.5, 0.5, 0.5], 1e-6);
      const [dx, dGain, dBias] = gradients(x, gain, bias, tf.tensor2d([[1], [2], [3]]), 1e-6);
      assertEquals([dx, dGain, dBias], [[0, 0, 0], [0], [6]]);
    });
  });

  Deno.test(`fused layerNorm on ${backend}: a constant row's input gradient is scaled by 1 / sqrt(epsilon)`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // Row [5, 5, 5]: variance 0, rstd = 1 / sqrt(1e-6) = 1000, x_hat = 0. With upstream weights
    // w, g = w * gain = [1, 0, -6] (mean -5/3): dx = 1000 * (g - mean(g)); d gain = 0; d bias = w.
    tf.tidy(() => {
      const x = tf.tensor2d([[5, 5, 5]]), gain = tf.tensor1d([1, 2, 3]), bias = tf.zeros([3]);
      const weights = tf.tensor2d([[1, 0, -2]]);
      const [dx, dGain, dBias] = gradients(x, gain, bias, weights, 1e-6);
      assertClose(dx, [1000 * (1 + 5 / 3), 1000 * (5 / 3), 1000 * (-6 + 5 / 3)], 1e-4);
      assertEquals(dGain, [0, 0, 0]);
      assertEquals(dBias, [1, 0, -2]);
    });
  });

  Deno.test(`fused layerNorm on ${backend}: rows of large values (variance from x - mean)`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // Float32 values near 1e8 and 1e9 spread by tens, in rows of 3 (a mean that is not exact):
    // the variance taken as mean(x^2) - mean^2 loses about 1% of it to the cancellation of two
    // numbers near 1e16 / 1e18, where the spacing of float64 is 2 / 128.
    const rows = [
      [1e8, 1e8 + 8, 1e8 + 40],
      [1e9, 1e9 + 64, 1e9 + 192],
    ];
    const gainValues = [1, 2, -1], biasValues = [0, 0.25, -0.5];
    const expected = rows.flatMap((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      return row.map((v, k) =>
        (v - mean) / Math.sqrt(variance + 1e-6) * gainValues[k] + biasValues[k]
      );
    });
    tf.tidy(() => {
      const y = layerNorm(tf.tensor2d(rows), tf.tensor1d(gainValues), tf.tensor1d(biasValues));
      assertClose(y.dataSync(), expected, 1e-5);
    });
  });
}

Deno.test("layerNorm without the fused kernels (composite ops) normalises the last axis of a 3-D input", async () => {
  // The composite test of layer_norm_test.ts has a 2-D input, where axis 1 is the last axis.
  await tf.setBackend("cpu");
  registerLayerNormKernels("cpu");
  tf.unregisterKernel("DemureLayerNorm", "cpu");
  tf.unregisterKernel("DemureLayerNormGrad", "cpu");
  try {
    const rows = [[1, 2, 6], [0, 4, 8], [-1, -1, 5], [3, 3, 9]];
    const expected = rows.flatMap((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      return row.map((v) => (v - mean) / Math.sqrt(variance + 1e-6));
    });
    tf.tidy(() => {
      const x = tf.tensor3d([rows.slice(0, 2), rows.slice(2)]);
      const y = layerNorm(x, tf.ones([3]), tf.zeros([3]));
      assertEquals(y.shape, [2, 2, 3]);
      assertClose(y.dataSync(), expected, 1e-5);
    });
  } finally {
    registerLayerNormKernels("cpu");
  }
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`layerNorm on ${backend}: a gain or bias that is not [dim] is refused, naming the shapes`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // The fused kernels read gain and bias by column: a [4] gain was cut to its first 3 entries,
    // a [1] gain read NaN past its end, without a word. Found by mutation round KB (KB46).
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2, 6]]);
      for (
        const [gain, bias, shapes] of [
          [tf.ones([4]), tf.zeros([3]), "gain [4] and bias [3]"],
          [tf.ones([1]), tf.zeros([3]), "gain [1] and bias [3]"],
          [tf.ones([3]), tf.zeros([2]), "gain [3] and bias [2]"],
          [tf.ones([1, 3]), tf.zeros([3]), "gain [1,3] and bias [3]"],
        ] as const
      ) {
        const error = assertThrows(() => layerNorm(x, gain, bias));
        assertEquals(
          error.message,
          `layerNorm: ${shapes} must both be [3], the last axis of x [1,3]`,
        );
      }
    });
  });
}
