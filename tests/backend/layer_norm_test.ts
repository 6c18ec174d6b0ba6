import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  layerNorm,
  layerNormRowsGradient,
  registerLayerNormKernels,
} from "../../lib/backend/kernels/layer_norm.ts";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertEquals(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The same maths written with tf ops: the reference. */
function composite(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor, epsilon = 1e-6) {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), gain), bias);
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`fused layerNorm on ${backend}: hand value, composite ops and their gradients`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // Row [1, 3]: mean 2, variance 1 -> [-1, 1] (epsilon 0), then * gain + bias.
    const hand = layerNorm(tf.tensor2d([[1, 3]]), tf.tensor1d([2, 3]), tf.tensor1d([0.5, 0]), 0);
    assert(maxAbsDiff(hand.dataSync(), [-1.5, 3]) < 1e-6, `${hand.dataSync()}`);
    const x = tf.randomNormal([4, 3, 8], 1, 2, "float32", 41);
    const gain = tf.randomNormal([8], 1, 0.3, "float32", 42);
    const bias = tf.randomNormal([8], 0, 0.3, "float32", 43);
    const weights = tf.randomNormal([4, 3, 8], 0, 1, "float32", 44);
    const ours = layerNorm(x, gain, bias, 1e-6);
    const reference = composite(x, gain, bias, 1e-6);
    assert(maxAbsDiff(ours.dataSync(), reference.dataSync()) < 1e-5, "forward");
    // A non-uniform upstream gradient, so every term of the backward formula matters.
    const loss = (f: typeof layerNorm) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(f(a, g, b, 1e-6)), weights));
    const before = tf.memory().numTensors;
    const fused = tf.grads(loss(layerNorm))([x, gain, bias]);
    const stock = tf.grads(loss(composite))([x, gain, bias]);
    ["x", "gain", "bias"].forEach((name, i) => {
      assertEquals(fused[i].shape, stock[i].shape);
      const error = maxAbsDiff(fused[i].dataSync(), stock[i].dataSync());
      assert(error < 1e-4, `d loss / d ${name}: max difference ${error}`);
    });
    assertEquals(tf.memory().numTensors - before, 6, "only the six gradients remain");
    tf.dispose([hand, x, gain, bias, weights, ours, reference, ...fused, ...stock]);
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`fused layerNorm on ${backend}: epsilon enters the variance (flat row, large epsilon)`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // The test above uses epsilon 1e-6 on rows of variance about 4, where dropping it changes
    // nothing measurable. A flat row has variance 0: with epsilon the output is the bias, without
    // it 0 / 0. Row [1, 3] has variance 1: epsilon 3 gives rstd 1 / sqrt(4) = 0.5.
    const gain = tf.tensor1d([2, 3]);
    const bias = tf.tensor1d([0.5, -1]);
    const flatRow = tf.tensor2d([[5, 5]]), spreadRow = tf.tensor2d([[1, 3]]);
    const flat = layerNorm(flatRow, gain, bias, 1e-6);
    assertEquals(Array.from(flat.dataSync()), [0.5, -1]);
    const wide = layerNorm(spreadRow, gain, bias, 3);
    assert(maxAbsDiff(wide.dataSync(), [-0.5 * 2 + 0.5, 0.5 * 3 - 1]) < 1e-6, `${wide.dataSync()}`);
    tf.dispose([gain, bias, flatRow, spreadRow, flat, wide]);
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`fused layerNorm on ${backend}: more rows than the row is wide, gradients included`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // The saved mean and rstd hold one entry per row: [7, 3] has 7 rows of 3 (the test above has
    // 12 rows of 8, where a count taken from the wrong axes is larger, never smaller).
    const x = tf.randomNormal([7, 3], 2, 1.5, "float32", 45);
    const gain = tf.randomNormal([3], 1, 0.3, "float32", 46);
    const bias = tf.randomNormal([3], 0, 0.3, "float32", 47);
    const weights = tf.randomNormal([7, 3], 0, 1, "float32", 48);
    const loss = (f: typeof layerNorm) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(f(a, g, b, 1e-6)), weights));
    const fused = tf.grads(loss(layerNorm))([x, gain, bias]);
    const stock = tf.grads(loss(composite))([x, gain, bias]);
    ["x", "gain", "bias"].forEach((name, i) => {
      const error = maxAbsDiff(fused[i].dataSync(), stock[i].dataSync());
      assert(error < 1e-4, `d loss / d ${name}: max difference ${error}`);
    });
    tf.dispose([x, gain, bias, weights, ...fused, ...stock]);
  });

  Deno.test(`layerNorm on ${backend}: the default epsilon is 1e-6`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    // Row [0, 0.002] has variance 1e-6, as large as epsilon: x_hat = -/+ 0.001 / sqrt(2e-6)
    // = -/+ 0.7071 (epsilon 1e-5 would give 0.3015, epsilon 0 gives 1).
    const x = tf.tensor2d([[0, 0.002]]), gain = tf.ones([2]), bias = tf.zeros([2]);
    const y = layerNorm(x, gain, bias);
    const expected = 0.001 / Math.sqrt(2e-6);
    assert(maxAbsDiff(y.dataSync(), [-expected, expected]) < 1e-3, `${y.dataSync()}`);
    tf.dispose([x, gain, bias, y]);
  });
}

Deno.test("layerNorm without the fused kernels (composite ops) matches a float64 computation", async () => {
  // Backends without the fused kernels (webgpu, tensorflow) run the composite ops; here on cpu
  // with the two kernels unregistered. Rows have a mean far from 0, so a variance taken of x
  // instead of x - mean is caught.
  await tf.setBackend("cpu");
  registerLayerNormKernels("cpu");
  tf.unregisterKernel("DemureLayerNorm", "cpu");
  tf.unregisterKernel("DemureLayerNormGrad", "cpu");
  try {
    assert(tf.getKernel("DemureLayerNorm", "cpu") === undefined, "composite ops only");
    const rows = [[1, 2, 4, 9], [10, 10.5, 11, 13], [-3, -3, -2, -8]];
    const gainValues = [1.5, -0.5, 2, 1], biasValues = [0.1, 0.2, -0.3, 0];
    const epsilon = 1e-3;
    const expected = rows.flatMap((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      const rstd = 1 / Math.sqrt(variance + epsilon);
      return row.map((v, k) => (v - mean) * rstd * gainValues[k] + biasValues[k]);
    });
    const x = tf.tensor2d(rows), gain = tf.tensor1d(gainValues), bias = tf.tensor1d(biasValues);
    const y = layerNorm(x, gain, bias, epsilon);
    assert(maxAbsDiff(y.dataSync(), expected) < 1e-5, `${y.dataSync()}`);
    tf.dispose([x, gain, bias, y]);
  } finally {
    registerLayerNormKernels("cpu");
  }
  assert(tf.getKernel("DemureLayerNorm", "cpu") !== undefined, "fused kernels registered again");
});

Deno.test("layerNormRowsGradient sums the gain and bias gradients over rows in float64", () => {
  // Rows [0, 2] (mean 1, rstd 1: x_hat [-1, 1]) under upstream gradients 1e8, 1 and -1e8: the
  // sums are exactly -1 / 1 (gain) and 1 (bias). A float32 running sum loses the 1 against 1e8
  // (its spacing there is 8) and gives 0.
  const x = Float32Array.of(0, 2, 0, 2, 0, 2), gain = Float32Array.of(1, 1);
  const mean = Float32Array.of(1, 1, 1), rstd = Float32Array.of(1, 1, 1);
  const dy = Float32Array.of(1e8, 1e8, 1, 1, -1e8, -1e8);
  const dx = new Float32Array(6), dGain = new Float32Array(2), dBias = new Float32Array(2);
  layerNormRowsGradient(dy, x, gain, mean, rstd, 2, dx, dGain, dBias);
  assertEquals(Array.from(dGain), [-1, 1]);
  assertEquals(Array.from(dBias), [1, 1]);
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`registerLayerNormKernels(${backend}) again keeps the kernels it registered first`, () => {
    const names = ["DemureLayerNorm", "DemureLayerNormGrad"];
    assertEquals(registerLayerNormKernels(backend), ["LayerNorm(fused)"]);
    const first = names.map((name) => tf.getKernel(name, backend)!.kernelFunc);
    // Registering again would replace them (tfjs warns) with new closures of the same maths.
    assertEquals(registerLayerNormKernels(backend), ["LayerNorm(fused)"]);
    names.forEach((name, i) =>
      assert(tf.getKernel(name, backend)!.kernelFunc === first[i], `${name} kept`)
    );
  });
}

Deno.test("layerNorm looks for the fused kernels on the backend that runs, not on another", async () => {
  // cpu has the kernels, wasm not (unregistered here): on wasm the composite ops must run.
  registerLayerNormKernels("cpu");
  await tf.setBackend("wasm");
  registerLayerNormKernels("wasm");
  tf.unregisterKernel("DemureLayerNorm", "wasm");
  tf.unregisterKernel("DemureLayerNormGrad", "wasm");
  try {
    tf.tidy(() => {
      const y = layerNorm(tf.tensor2d([[1, 3]]), tf.tensor1d([2, 3]), tf.tensor1d([0.5, 0]), 0);
      assert(maxAbsDiff(y.dataSync(), [-1.5, 3]) < 1e-6, `${y.dataSync()}`);
    });
  } finally {
    registerLayerNormKernels("wasm");
  }
  assert(tf.getKernel("DemureLayerNorm", "wasm") !== undefined, "fused kernels registered again");
});
