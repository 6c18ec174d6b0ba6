import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tapGradient } from "../../lib/nn/gradient_tap.ts";
import { dense, dropout, dropoutSeed, layerNorm } from "../../lib/nn/layers.ts";
import { hashSeeds } from "../../lib/util/random.ts";
import { seededDropout } from "../../lib/backend/kernels/dropout.ts";

function mask(stepSeed: number, layer: number): number[] {
  return tf.tidy(() =>
    Array.from(dropout(tf.ones([64, 50]), 0.2, true, stepSeed, layer).dataSync())
  );
}

Deno.test("dropout: two layers' masks at neighbouring steps differ (seeds hashed, not added)", async () => {
  await initBackend({ verbose: false });
  const run = 0;
  for (let step = 0; step < 5; step++) {
    for (let layer = 1; layer < 5; layer++) {
      // With seed = run * K + step + layer these two pairs drew the same mask.
      const here = mask(hashSeeds(run, step + 1), layer - 1);
      const there = mask(hashSeeds(run, step), layer);
      const same = here.filter((v, i) => v === there[i]).length / here.length;
      // Independent Bernoulli(0.8) masks agree on 0.8^2 + 0.2^2 = 68 % of entries (sd 0.7 %).
      assert(same < 0.75, `step ${step} layer ${layer}: ${(100 * same).toFixed(1)} % equal`);
    }
  }
  assertEquals(mask(hashSeeds(run, 3), 2), mask(hashSeeds(run, 3), 2), "reproducible");
  // Layers of one step draw their own masks: a shared one would drop the same units in every
  // layer (SASRec's input, attention and feed-forward dropout all cover [position, dim]).
  for (let layer = 1; layer < 4; layer++) {
    const here = mask(hashSeeds(run, 3), layer);
    const next = mask(hashSeeds(run, 3), layer + 1);
    const same = here.filter((v, i) => v === next[i]).length / here.length;
    assert(same < 0.75, `layers ${layer} and ${layer + 1}: ${(100 * same).toFixed(1)} % equal`);
  }
  assert(dropoutSeed(hashSeeds(run, 4), 1) !== dropoutSeed(hashSeeds(run, 3), 2));
  // Hashed, not summed: (seed, layer 1) and (seed + 1, layer 0) are unrelated too.
  for (let seed = 0; seed < 4; seed++) assert(dropoutSeed(seed, 1) !== dropoutSeed(seed + 1, 0));
});

Deno.test("dense: x kernel + bias over the last axis, by hand; no bias, no shift", async () => {
  await initBackend({ verbose: false });
  tf.tidy(() => {
    const x = tf.tensor3d([[[1, 2]], [[3, -1]]]); // [2, 1, 2]
    const kernel = tf.tensor2d([[1, 0, 2], [0, 1, -1]]);
    const bias = tf.tensor1d([10, 20, 30]);
    const y = dense(x, kernel, bias);
    assertEquals(y.shape, [2, 1, 3]);
    assertEquals(Array.from(y.dataSync()), [11, 22, 30, 13, 19, 37]);
    assertEquals(Array.from(dense(x, kernel).dataSync()), [1, 2, 0, 3, -1, 7]);
  });
});

Deno.test("dropout: identity when not training or at rate 0", async () => {
  await initBackend({ verbose: false });
  const x = tf.ones([3, 4]);
  assertEquals(dropout(x, 0.5, false, 1, 0), x);
  assertEquals(dropout(x, 0, true, 1, 0), x);
  x.dispose();
});

Deno.test("layerNorm: the fused kernel runs for the shared layer and matches the composite maths", async () => {
  await initBackend({ verbose: false });
  const x = tf.tensor2d([[1, 2, 3, 6], [0, 0, 1, -1]]);
  const gain = tf.tensor1d([1, 2, 1, 0.5]);
  const bias = tf.tensor1d([0, 0, 1, 0]);
  const profile = await tf.profile(() => layerNorm(x, gain, bias));
  assert(profile.kernels.some((k) => k.name === "DemureLayerNorm"), "fused kernel used");
  const y = profile.result as tf.Tensor;
  const values = y.dataSync();
  const rows = [[1, 2, 3, 6], [0, 0, 1, -1]];
  const g = [1, 2, 1, 0.5], b = [0, 0, 1, 0];
  rows.forEach((row, r) => {
    const mean = row.reduce((s, v) => s + v, 0) / 4;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / 4;
    row.forEach((v, k) => {
      const expected = (v - mean) / Math.sqrt(variance + 1e-6) * g[k] + b[k];
      assertAlmostEquals(values[r * 4 + k], expected, 1e-5);
    });
  });
  tf.dispose([x, gain, bias, y]);
});

Deno.test("tapGradient: the sink sees dLoss/dy and x, and x's gradient passes through unchanged", async () => {
  await initBackend({ verbose: false });
  const x = tf.tensor2d([[1, -2, 3], [0.5, 4, -1]]);
  const c = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const seen: number[][] = [];
  const tensors = tf.memory().numTensors;
  // Loss sum(c * y^2) with y = tap(x): dLoss/dy = 2 c x, so dLoss/dx = 2 c x too.
  const gradient = tf.grad((input: tf.Tensor) => {
    const y = tapGradient(input, (dy, forward) => {
      seen.push(Array.from(dy.dataSync()), Array.from(forward.dataSync()));
    });
    return tf.sum(tf.mul(c, tf.square(y)));
  })(x);
  const want = Array.from(x.dataSync(), (v, i) => 2 * c.dataSync()[i] * v);
  assertEquals(seen, [want, Array.from(x.dataSync())]);
  assertEquals(Array.from(await gradient.data()), want);
  gradient.dispose();
  assertEquals(tf.memory().numTensors, tensors, "the tap's saved input and dy are freed");
  // Without a gradient tape the tap is an identity that never calls its sink.
  const y = tapGradient(x, () => seen.push([]));
  assertEquals(Array.from(await y.data()), Array.from(x.dataSync()));
  assertEquals(seen.length, 2);
  tf.dispose([x, c, y]);
});

Deno.test("dropoutSeed: hashSeeds(stepSeed, layer) in that order, the seed every recorded mask was drawn with", () => {
  // The arguments swapped draw other masks (hashSeeds is no symmetric hash): every training
  // number of results-of-record/ would change.
  for (const [stepSeed, layer] of [[7, 2], [0, 1], [123456789, 0]]) {
    assertEquals(dropoutSeed(stepSeed, layer), hashSeeds(stepSeed, layer), `${stepSeed}, ${layer}`);
  }
  assertEquals(dropoutSeed(7, 2), 205515735);
  assert(dropoutSeed(7, 2) !== dropoutSeed(2, 7));
});

Deno.test("dropout: layer k's mask is the one dropoutSeed(stepSeed, k) draws, not a neighbour's", async () => {
  await initBackend({ verbose: false });
  tf.tidy(() => {
    const x = tf.ones([16, 8]);
    for (const layer of [0, 1, 3]) {
      const y = Array.from(dropout(x, 0.2, true, 41, layer).dataSync());
      const own = Array.from(seededDropout(x, 0.2, dropoutSeed(41, layer)).dataSync());
      assertEquals(y, own, `layer ${layer}`);
    }
  });
});
