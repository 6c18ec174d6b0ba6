/**
 * The completeness readout of integrated gradients (Captum's convergence delta) against losses
 * whose Riemann error is known in closed form.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeModalities } from "../../lib/attribution/attribute.ts";
import { completenessOf } from "../../lib/attribution/completeness.ts";
import type { IntegratedGradientsBaseline, LossOfEmbeddings } from "../../lib/attribution/types.ts";
import { quadraticLoss } from "./_toy_models.ts";

await initBackend({ verbose: false });

// [batch 2, position 2, modality 2, dim 2]; user 1 lacks modality 1 at position 0.
const E_VALUES = [
  [[[1, 1], [2, 0]], [[0, 1], [1, -1]]],
  [[[-1, 2], [1, 1]], [[2, 2], [0, 3]]],
];
const W_VALUES = [[[1, 1], [1, 1]], [[1, 0], [1, 1]]];

/**
 * L_b = sum (w e)^3: along either baseline's path L(alpha) = alpha^3 L, so IG integrates
 * 3 alpha^2 L, and the midpoint rule with n steps gives (1/3 - 1/(12 n^2)) of the integral's
 * 1/3: the contributions sum to -(1 - 1/(4 n^2)) L against the loss change -L, a delta of
 * exactly L / (4 n^2).
 */
const cubicLoss: LossOfEmbeddings = (embeddings, mask) =>
  tf.sum(tf.pow(tf.mul(embeddings, tf.expandDims(mask, 3)), 3), [1, 2, 3]);

/** L_b of {@linkcode cubicLoss} at the test inputs, in plain JS. */
function cubicLossOf(b: number): number {
  let sum = 0;
  E_VALUES[b].forEach((position, p) =>
    position.forEach((e, m) => e.forEach((v) => sum += (W_VALUES[b][p][m] * v) ** 3))
  );
  return sum;
}

async function integrated(
  lossOf: LossOfEmbeddings,
  steps: number,
  baseline: IntegratedGradientsBaseline,
) {
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const before = tf.memory().numTensors;
  const result = await attributeModalities(lossOf, e, w, {
    method: "integrated_gradients",
    integratedGradientsSteps: steps,
    integratedGradientsBaseline: baseline,
  });
  assertEquals(tf.memory().numTensors, before, "tensors leaked");
  tf.dispose([e, w]);
  return result;
}

for (const baseline of ["zero_embedding", "masked"] as const) {
  Deno.test(`IG completeness (${baseline}): the delta of a cubic loss is L / (4 n^2)`, async () => {
    for (const steps of [1, 2, 5]) {
      const { completeness } = await integrated(cubicLoss, steps, baseline);
      assert(completeness !== undefined, "integrated gradients carry a completeness readout");
      assertEquals([completeness.steps, completeness.baseline], [steps, baseline]);
      const relativeError = 1 / (4 * steps ** 2);
      for (let b = 0; b < 2; b++) {
        const loss = cubicLossOf(b);
        const at = `user ${b}, ${steps} steps`;
        assertAlmostEquals(completeness.lossChange[b], -loss, 1e-4, `loss change, ${at}`);
        assertAlmostEquals(completeness.delta[b], loss * relativeError, 1e-4, `delta, ${at}`);
        assertAlmostEquals(
          completeness.contributionSum[b] - completeness.lossChange[b],
          completeness.delta[b],
          1e-9,
          `delta = sum - change, ${at}`,
        );
      }
      // Every user misses by the same share of its loss change.
      assertAlmostEquals(completeness.maxRelativeDelta, relativeError, 1e-5, `${steps} steps`);
      const largest = Math.max(...[0, 1].map((b) => Math.abs(cubicLossOf(b)))) * relativeError;
      assertAlmostEquals(completeness.maxAbsoluteDelta, largest, 1e-4, `${steps} steps`);
    }
  });
}

Deno.test("IG completeness: without a step count the documented 20 steps are taken", async () => {
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const { completeness } = await attributeModalities(cubicLoss, e, w, {
    method: "integrated_gradients",
  });
  tf.dispose([e, w]);
  assertEquals(completeness?.steps, 20);
  assertAlmostEquals(completeness!.delta[0], cubicLossOf(0) / (4 * 20 ** 2), 1e-5);
});

Deno.test("IG completeness: the midpoint rule is exact on a quadratic loss (delta 0)", async () => {
  const { completeness } = await integrated(quadraticLoss(), 3, "zero_embedding");
  assert(completeness !== undefined);
  for (let b = 0; b < 2; b++) {
    assert(Math.abs(completeness.lossChange[b]) > 1, "the loss moves: the check means something");
    assertAlmostEquals(completeness.delta[b], 0, 1e-4, `user ${b}`);
  }
  assertAlmostEquals(completeness.maxRelativeDelta, 0, 1e-5);
});

Deno.test("IG completeness: only integrated gradients carry the readout", async () => {
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const result = await attributeModalities(cubicLoss, e, w, { method: "gradient_x_input" });
  tf.dispose([e, w]);
  assertEquals(result.completeness, undefined);
});

Deno.test("completenessOf: per-user sums and deltas; no relative delta without a loss change", () => {
  // [batch 2, position 1, modality 2]
  const readout = completenessOf([1, 2, 0.5, -0.5], [2.5, 0], [2, 1, 2], 20, "masked");
  assertEquals(Array.from(readout.contributionSum), [3, 0]);
  assertEquals(Array.from(readout.delta), [0.5, 0]);
  assertEquals([readout.maxAbsoluteDelta, readout.maxRelativeDelta], [0.5, 0.2]);
  // A user whose contributions fall short of its loss change misses by as much as one past it.
  const short = completenessOf([1, 2, -5, 0.5], [5, -5], [2, 1, 2], 20, "masked");
  assertEquals(Array.from(short.delta), [-2, 0.5]);
  assertEquals([short.maxAbsoluteDelta, short.maxRelativeDelta], [2, 0.4]);
  const flat = completenessOf([0, 0], [0], [1, 1, 2], 20, "zero_embedding");
  assert(Number.isNaN(flat.maxRelativeDelta), "no user's loss moved: no scale to compare to");
  assertThrows(
    () => completenessOf([1, 2], [1, 2], [1, 1, 2], 20, "masked"),
    Error,
    "lossChange has 2 values, expected 1",
  );
  // Contributions of another shape would be summed across users' boundaries.
  assertThrows(
    () => completenessOf([1, 2, 3], [1], [1, 1, 2], 20, "masked"),
    Error,
    "completenessOf: contributions has 3 entries, expected 2",
  );
});

/**
 * L_b = sum_{p,m} w (1 . e) + sum_{p,m} w. Its term in w alone moves the loss only along the
 * masked path, so the two baselines differ here (on cubicLoss and quadraticLoss, which depend on
 * w e alone, they coincide). Linear along either path: IG is exact.
 */
const biasedLoss: LossOfEmbeddings = (embeddings, mask) =>
  tf.add(tf.sum(tf.mul(embeddings, tf.expandDims(mask, 3)), [1, 2, 3]), tf.sum(mask, [1, 2]));

Deno.test("IG: each baseline integrates its own path; the masked one weighs by the mask", async () => {
  // A fractional weight (user 0, position 0, modality 1) and a missing modality (user 1).
  const weights = [[[1, 0.5], [1, 1]], [[1, 0], [1, 1]]];
  const sumOf = (b: number, p: number, m: number) => E_VALUES[b][p][m].reduce((s, v) => s + v);
  for (const baseline of ["zero_embedding", "masked"] as const) {
    const e = tf.tensor4d(E_VALUES);
    const w = tf.tensor3d(weights);
    const result = await attributeModalities(biasedLoss, e, w, {
      method: "integrated_gradients",
      integratedGradientsSteps: 2,
      integratedGradientsBaseline: baseline,
    });
    tf.dispose([e, w]);
    // zero_embedding: -w (1 . e); masked: -w dL/dw = -w ((1 . e) + 1).
    const expected = weights.flatMap((user, b) =>
      user.flatMap((position, p) =>
        position.map((weight, m) => -weight * (sumOf(b, p, m) + (baseline === "masked" ? 1 : 0)))
      )
    );
    Array.from(result.contributions).forEach((value, i) =>
      assertAlmostEquals(value, expected[i], 1e-5, `${baseline} at ${i}`)
    );
    for (let b = 0; b < 2; b++) {
      // What the baseline leaves of the loss: all of it (masked) or its term in w (zero_embedding).
      const change = expected.slice(b * 4, (b + 1) * 4).reduce((s, v) => s + v, 0);
      assertAlmostEquals(result.completeness!.lossChange[b], change, 1e-5, `${baseline} user ${b}`);
      assertAlmostEquals(result.completeness!.delta[b], 0, 1e-5, `${baseline} user ${b}`);
    }
  }
});

Deno.test("completenessOf: an empty batch misses by nothing (0) and has no relative scale (NaN)", () => {
  // max over no user: 0 is "no user misses", the identity of a max of absolute values; a start
  // at -Infinity read as a readout no finite check would pass (found by mutation round FB).
  const readout = completenessOf([], [], [0, 3, 2], 20, "zero_embedding");
  assertEquals([readout.contributionSum.length, readout.delta.length], [0, 0]);
  assertEquals(readout.maxAbsoluteDelta, 0);
  assert(Number.isNaN(readout.maxRelativeDelta), `${readout.maxRelativeDelta}`);
});

Deno.test("completenessOf keeps the loss change in double precision, as its Float64Array says", () => {
  // A float32 copy of 0.1 is 0.100000001490116...: a complete attribution (sum = 0.1) read a
  // delta of -1.5e-9 instead of 0 (found by mutation round FB).
  const readout = completenessOf([0.1, 0], [0.1], [1, 1, 2], 20, "masked");
  assert(readout.lossChange instanceof Float64Array);
  assertEquals([readout.lossChange[0], readout.contributionSum[0]], [0.1, 0.1]);
  assertEquals([readout.delta[0], readout.maxAbsoluteDelta, readout.maxRelativeDelta], [0, 0, 0]);
});

Deno.test("completenessOf: a user with no loss change still counts toward the absolute delta; a bad lossChange names the batch", () => {
  // [batch 2, position 1, modality 1]: user 0's loss did not move but its contributions sum to 3;
  // it has no relative delta, yet it misses by 3 (mutation round JH).
  const readout = completenessOf([3, 0.5], [0, 0.5], [2, 1, 1], 20, "masked");
  assertEquals(Array.from(readout.delta), [3, 0]);
  assertEquals([readout.maxAbsoluteDelta, readout.maxRelativeDelta], [3, 0]);
  // One loss change per user: the expected count is the batch, not the positions.
  assertThrows(
    () => completenessOf([1, 2], [1, 2, 3], [1, 2, 1], 20, "masked"),
    Error,
    "completenessOf: lossChange has 3 values, expected 1",
  );
});

Deno.test("completenessOf: a NaN relative delta reads NaN whichever user it belongs to", () => {
  // [batch 2, position 1, modality 1]. The NaN sentinel for "no loss change yet" let a later
  // user's finite relative delta replace a first user's NaN one, so the readout depended on the
  // users' order and read 0 next to a NaN maxAbsoluteDelta (found by mutation round JH).
  for (const contributions of [[NaN, 1], [1, NaN]]) {
    const readout = completenessOf(contributions, [1, 1], [2, 1, 1], 20, "masked");
    assert(Number.isNaN(readout.maxAbsoluteDelta), `${contributions}: absolute`);
    assert(Number.isNaN(readout.maxRelativeDelta), `${contributions}: relative`);
  }
});

Deno.test("completenessOf: a tiny loss change still has a relative delta", () => {
  // Only a change of exactly 0 has no scale; 1e-12 is a scale (mutation round JH).
  const readout = completenessOf([2e-12], [1e-12], [1, 1, 1], 20, "zero_embedding");
  assertAlmostEquals(readout.maxRelativeDelta, 1, 1e-9);
});

/** L_b = sum (w e) + sum e: the embeddings also reach the loss outside the mask. */
const embeddingTermLoss: LossOfEmbeddings = (embeddings, mask) =>
  tf.add(
    tf.sum(tf.mul(embeddings, tf.expandDims(mask, 3)), [1, 2, 3]),
    tf.sum(embeddings, [1, 2, 3]),
  );

Deno.test("IG (masked): the loss change zeroes the mask only, keeping the embeddings", async () => {
  // L(e, 0) - L(e, w) = -sum(w e): the term in e alone stays. Zeroing the embeddings too took it
  // out of the baseline, and the readout reported a delta of sum(e) (mutation round JH).
  const { completeness } = await integrated(embeddingTermLoss, 2, "masked");
  for (let b = 0; b < 2; b++) {
    let weighted = 0;
    E_VALUES[b].forEach((position, p) =>
      position.forEach((e, m) => e.forEach((v) => weighted += W_VALUES[b][p][m] * v))
    );
    assertAlmostEquals(completeness!.lossChange[b], -weighted, 1e-5, `user ${b}`);
    assertAlmostEquals(completeness!.delta[b], 0, 1e-5, `user ${b}`);
  }
});
