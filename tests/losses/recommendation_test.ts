import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  describeLoss,
  lossPositions,
  recommendationLoss,
} from "../../lib/losses/recommendation.ts";
import { sampleNegatives } from "../../lib/losses/negative_sampling.ts";
import { createRng } from "../../lib/util/random.ts";
import { assertGradientMatches } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

// 2 users x 2 positions; user 0's first position is padding.
const batch = {
  valid: Float32Array.from([0, 1, 1, 1]),
  targets: Int32Array.from([0, 2, 1, 0]),
  batchSize: 2,
  length: 2,
};

Deno.test("lossPositions: all real positions, or the last one only", () => {
  assertEquals(Array.from(lossPositions(batch, "all")), [1, 2, 3]);
  assertEquals(Array.from(lossPositions(batch, "last")), [1, 3]);
});

Deno.test("recommendationLoss: a batch without a real position is refused, not a NaN mean", () => {
  const padding = { ...batch, valid: new Float32Array(4) };
  const states = tf.zeros([2, 2, 2]) as tf.Tensor3D;
  const table = tf.ones([3, 2]) as tf.Tensor2D;
  for (const positions of ["all", "last"] as const) {
    assertThrows(
      () => recommendationLoss(states, table, padding, { kind: "cross_entropy", positions }),
      Error,
      "the batch has no valid position",
    );
  }
  tf.dispose([states, table]);
});

Deno.test("cross-entropy over all items equals the hand computation", () => {
  const states = tf.tensor3d([[[9, 9], [1, 0]], [[0, 1], [1, 1]]]);
  const table = tf.tensor2d([[1, 0], [0, 1], [2, 0]]);
  const ce = (logits: number[], target: number) =>
    Math.log(logits.reduce((a, l) => a + Math.exp(l), 0)) - logits[target];
  // logits = h . table rows: (1,0) -> [1,0,2]; (0,1) -> [0,1,0]; (1,1) -> [1,1,2]
  const expectedAll = (ce([1, 0, 2], 2) + ce([0, 1, 0], 1) + ce([1, 1, 2], 0)) / 3;
  const expectedLast = (ce([1, 0, 2], 2) + ce([1, 1, 2], 0)) / 2;
  const all = recommendationLoss(states, table, batch, { kind: "cross_entropy", positions: "all" });
  const last = recommendationLoss(states, table, batch, {
    kind: "cross_entropy",
    positions: "last",
  });
  assertAlmostEquals(all.dataSync()[0], expectedAll, 1e-5);
  assertAlmostEquals(last.dataSync()[0], expectedLast, 1e-5);
});

Deno.test("bce with given negatives equals the hand computation", () => {
  const states = tf.tensor3d([[[9, 9], [1, 0]], [[0, 1], [1, 1]]]);
  const table = tf.tensor2d([[1, 0], [0, 1], [2, 0]]);
  const negatives = Int32Array.from([0, 1, 2, 1]);
  const softplus = (x: number) => Math.log(1 + Math.exp(x));
  // (1,0): pos item 2 -> 2, neg item 1 -> 0; (0,1): pos 1 -> 1, neg 2 -> 0; (1,1): pos 0 -> 1, neg 1 -> 1
  const expected =
    (softplus(-2) + softplus(0) + softplus(-1) + softplus(0) + softplus(-1) + softplus(1)) / 3;
  const loss = recommendationLoss(
    states,
    table,
    batch,
    { kind: "bce", positions: "all" },
    negatives,
  );
  assertAlmostEquals(loss.dataSync()[0], expected, 1e-5);
});

Deno.test("both losses pass finite-difference gradient checks on states and item table", () => {
  const states = tf.randomNormal([2, 2, 3], 0, 1, "float32", 1);
  const table = tf.randomNormal([4, 3], 0, 1, "float32", 2);
  const negatives = Int32Array.from([0, 3, 2, 1]);
  for (const kind of ["cross_entropy", "bce"] as const) {
    const config = { kind, positions: "all" as const };
    assertGradientMatches(
      (x) => recommendationLoss(x as tf.Tensor3D, table as tf.Tensor2D, batch, config, negatives),
      states,
    );
    assertGradientMatches(
      (x) => recommendationLoss(states as tf.Tensor3D, x as tf.Tensor2D, batch, config, negatives),
      table,
    );
  }
});

Deno.test("sampleNegatives never returns the target and covers the other items", () => {
  const many = {
    valid: new Float32Array(3000).fill(1),
    targets: new Int32Array(3000).fill(2),
    batchSize: 1,
    length: 3000,
  };
  const negatives = sampleNegatives(many, 4, createRng(1));
  const seen = new Set(negatives);
  assert(!seen.has(2));
  assertEquals([...seen].sort(), [0, 1, 3]);
});

Deno.test("sampleNegatives: 0 at padding positions, a real negative at every valid one", () => {
  // Target 0 at the padding: a draw there would be skipped past the target to an item >= 1.
  const padded = {
    valid: Float32Array.from([0, 1, 1]),
    targets: Int32Array.from([0, 2, 1]),
    batchSize: 1,
    length: 3,
  };
  for (let seed = 0; seed < 20; seed++) {
    const negatives = sampleNegatives(padded, 4, createRng(seed));
    assertEquals(negatives[0], 0, `seed ${seed}`);
    assert(negatives[1] !== 2 && negatives[2] !== 1, `seed ${seed}`);
  }
});

Deno.test("sampleNegatives: a catalogue of one item has no negative, refused", () => {
  // With 1 item every position's target is item 0 and there is nothing else to draw. The error
  // names the catalogue size (without the check, rng.int(0) failed with a message about the RNG).
  const one = { valid: Float32Array.of(1), targets: Int32Array.of(0), batchSize: 1, length: 1 };
  assertThrows(() => sampleNegatives(one, 1, createRng(0)), Error, "needs at least 2 items, got 1");
});

Deno.test("sampleNegatives: one entry per position, the last one included", () => {
  // An array one short left the last position's negative at item 0, whatever its target.
  const padded = {
    valid: Float32Array.from([0, 1, 1, 1]),
    targets: Int32Array.from([0, 2, 1, 0]),
    batchSize: 2,
    length: 2,
  };
  for (let seed = 0; seed < 20; seed++) {
    const negatives = sampleNegatives(padded, 3, createRng(seed));
    assertEquals(negatives.length, 4, `seed ${seed}`);
    assert(negatives[3] !== 0, `seed ${seed}: the last position's target is 0`);
  }
});

Deno.test("sampleNegatives: too few items or a batch without targets is refused by name", () => {
  const padded = { valid: Float32Array.of(1), targets: Int32Array.of(0), batchSize: 1, length: 1 };
  assertThrows(
    () => sampleNegatives(padded, 1, createRng(0)),
    Error,
    "sampleNegatives: needs at least 2 items, got 1",
  );
  assertThrows(
    () => sampleNegatives({ ...padded, targets: undefined }, 3, createRng(0)),
    Error,
    "sampleNegatives: the batch has no targets",
  );
});

Deno.test("describeLoss names the loss kind and the positions", () => {
  // The line printed next to results: a swapped kind or positions would mislabel every run.
  assertEquals(
    describeLoss({ kind: "cross_entropy", positions: "all" }),
    "cross-entropy over all items, all positions",
  );
  assertEquals(
    describeLoss({ kind: "bce", positions: "last" }),
    "binary cross-entropy with 1 sampled negative, last position",
  );
});

Deno.test("recommendationLoss: a batch without targets, or bce without negatives, is refused by name", () => {
  // Without the checks each read an index of undefined: a TypeError that named neither.
  const states = tf.zeros([2, 2, 2]) as tf.Tensor3D;
  const table = tf.ones([3, 2]) as tf.Tensor2D;
  const before = tf.memory().numTensors;
  assertThrows(
    () => recommendationLoss(states, table, { ...batch, targets: undefined }),
    Error,
    "recommendationLoss: the batch has no targets",
  );
  assertThrows(
    () => recommendationLoss(states, table, batch, { kind: "bce", positions: "all" }),
    Error,
    "recommendationLoss: bce needs sampled negatives",
  );
  assertEquals(tf.memory().numTensors, before, "tensors left behind");
  tf.dispose([states, table]);
});

Deno.test("sampleNegatives: padding positions draw nothing (a seed's negatives do not depend on the padding)", () => {
  // The draws of a seed go to the valid positions in order: padding in front of them leaves
  // their negatives as they were (a draw at each padding position would shift them all).
  const valid = Float32Array.of(1, 1, 1, 1, 1, 1);
  const targets = Int32Array.of(3, 0, 7, 1, 9, 4);
  const compact = { valid, targets, batchSize: 1, length: 6 };
  const padded = {
    valid: Float32Array.of(0, 0, 0, ...valid),
    targets: Int32Array.of(0, 0, 0, ...targets),
    batchSize: 1,
    length: 9,
  };
  for (let seed = 0; seed < 5; seed++) {
    assertEquals(
      Array.from(sampleNegatives(padded, 10, createRng(seed))),
      [0, 0, 0, ...sampleNegatives(compact, 10, createRng(seed))],
      `seed ${seed}`,
    );
  }
});

Deno.test("recommendationLoss: bce negatives of another length than the batch's positions are refused", () => {
  // One short, the last position's negative read undefined, which Int32Array made item 0: a
  // silent negative whatever the target (0 here, so the "negative" was the target itself).
  const states = tf.zeros([2, 2, 2]) as tf.Tensor3D;
  const table = tf.ones([3, 2]) as tf.Tensor2D;
  const config = { kind: "bce", positions: "all" } as const;
  const before = tf.memory().numTensors;
  for (const length of [3, 5]) {
    assertThrows(
      () => recommendationLoss(states, table, batch, config, new Int32Array(length).fill(1)),
      Error,
      `recommendationLoss: ${length} sampled negatives for 4 positions (batch 2 x length 2)`,
    );
  }
  assertEquals(tf.memory().numTensors, before, "tensors left behind");
  tf.dispose([states, table]);
});

Deno.test("bce over the last position only equals the hand computation", () => {
  // Same batch, states, table and negatives as the bce hand test above, positions "last": the
  // flat positions 1 and 3 only (position 2, user 1's first, is real but not the last).
  //   (1,0): target 2 -> 2, negative 1 -> 0;   (1,1): target 0 -> 1, negative 1 -> 1
  const states = tf.tensor3d([[[9, 9], [1, 0]], [[0, 1], [1, 1]]]);
  const table = tf.tensor2d([[1, 0], [0, 1], [2, 0]]);
  const negatives = Int32Array.from([0, 1, 2, 1]);
  const softplus = (x: number) => Math.log(1 + Math.exp(x));
  const expected = (softplus(-2) + softplus(0) + softplus(-1) + softplus(1)) / 2;
  const loss = recommendationLoss(
    states,
    table,
    batch,
    { kind: "bce", positions: "last" },
    negatives,
  );
  assertAlmostEquals(loss.dataSync()[0], expected, 1e-5);
  tf.dispose([states, table, loss]);
});

Deno.test("cross-entropy stays finite and exact for logits far beyond exp's float32 range", () => {
  // exp(100) overflows float32 (max ~3.4e38): the softmax must be shifted by the row's maximum.
  // One user, two real positions, table rows (1, 0) and (0, 1), both targets item 1:
  //   state (100, 0): logits (100, 0), -log p(1) = 100 + log(1 + e^-100) = 100
  //   state (0, 100): logits (0, 100), -log p(1) = log(1 + e^-100) = 0 (to float precision)
  // mean over the two positions = 50.
  const states = tf.tensor3d([[[100, 0], [0, 100]]]);
  const table = tf.tensor2d([[1, 0], [0, 1]]);
  const large = {
    valid: Float32Array.from([1, 1]),
    targets: Int32Array.from([1, 1]),
    batchSize: 1,
    length: 2,
  };
  const loss = recommendationLoss(states, table, large, {
    kind: "cross_entropy",
    positions: "all",
  });
  assertAlmostEquals(loss.dataSync()[0], 50, 1e-4);
  tf.dispose([states, table, loss]);
});
