/** Tiny hand-made datasets and a finite-difference gradient checker shared by the model tests. */
import { idModality } from "../../lib/data/id_modality.ts";
import { assertAlmostEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import type { InteractionDataset, LeaveOneOutSplit, SequenceBatch } from "../../lib/data/types.ts";
import type {
  ForwardOutput,
  SequentialRecommender,
} from "../../lib/models/sequential_recommender.ts";
import type { AuxiliaryLossContext } from "../../lib/train/config.ts";

/**
 * 6 items, 3 modalities: id; dense "text" (3-d, item 5 missing); multi_hot "genre" (4 genres,
 * item 0 missing). 4 users.
 */
export function tinyDataset(): InteractionDataset {
  const numItems = 6;
  const text = new Float32Array([
    1,
    0,
    0, //
    0,
    1,
    0,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    1,
    1,
    0,
    0,
    0, // item 5: missing
  ]);
  const genre = new Float32Array([
    0,
    0,
    0,
    0, // item 0: missing
    1,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    1,
  ]);
  const sequences = [[0, 1, 2, 3, 4], [1, 2, 3, 4, 5], [2, 3, 4, 5, 0], [3, 4, 5, 0, 1]].map((s) =>
    Int32Array.from(s)
  );
  return {
    name: "tiny",
    numUsers: 4,
    numItems,
    userIds: ["u0", "u1", "u2", "u3"],
    itemIds: ["i0", "i1", "i2", "i3", "i4", "i5"],
    sequences,
    modalities: [
      idModality(numItems),
      {
        name: "text",
        kind: "dense",
        dim: 3,
        values: text,
        present: Uint8Array.from([1, 1, 1, 1, 1, 0]),
        provenance: { source: "hand-made", normalisation: "none" },
      },
      {
        name: "genre",
        kind: "multi_hot",
        dim: 4,
        values: genre,
        present: Uint8Array.from([0, 1, 1, 1, 1, 1]),
        provenance: { source: "hand-made", normalisation: "none" },
      },
    ],
    metadata: { source: "test fixture", preprocessing: [], fingerprint: "tiny-v1" },
  };
}

/**
 * A dataset whose users walk a fixed cycle over `numItems` items (item i is followed by i+1 mod n):
 * easy to learn, so a model should overfit it.
 */
export function cycleDataset(
  numUsers: number,
  numItems: number,
  length: number,
): InteractionDataset {
  const sequences: Int32Array[] = [];
  for (let u = 0; u < numUsers; u++) {
    sequences.push(Int32Array.from({ length }, (_, t) => (u + t) % numItems));
  }
  return {
    name: `cycle-${numUsers}x${numItems}`,
    numUsers,
    numItems,
    userIds: sequences.map((_, u) => `u${u}`),
    itemIds: Array.from({ length: numItems }, (_, i) => `i${i}`),
    sequences,
    modalities: [idModality(numItems)],
    metadata: {
      source: "test fixture",
      preprocessing: [],
      fingerprint: `cycle-${numUsers}-${numItems}`,
    },
  };
}

/** Leave-one-out split of a dataset (last = test, second to last = validation). */
export function leaveOneOut(dataset: InteractionDataset, maxLength = 50): LeaveOneOutSplit {
  return {
    dataset,
    train: dataset.sequences.map((s) => s.slice(0, s.length - 2)),
    validTarget: Int32Array.from(dataset.sequences, (s) => s[s.length - 2]),
    testTarget: Int32Array.from(dataset.sequences, (s) => s[s.length - 1]),
    maxLength,
    protocol: ["leave-one-out by time (test fixture)"],
  };
}

/**
 * Asserts that tf.grad(f) at x matches central differences on every coordinate (or the first
 * `limit`), within `tolerance` absolute + relative to the gradient size.
 */
export function assertGradientMatches(
  f: (x: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  { epsilon = 1e-2, tolerance = 2e-2, limit = Infinity } = {},
): void {
  const analytic = tf.tidy(() => tf.grad(f)(x).dataSync());
  const base = x.dataSync().slice();
  const count = Math.min(base.length, limit);
  for (let i = 0; i < count; i++) {
    const value = (delta: number) =>
      tf.tidy(() => {
        const bumped = base.slice();
        bumped[i] += delta;
        return f(tf.tensor(bumped, x.shape, "float32")).dataSync()[0];
      });
    const numeric = (value(epsilon) - value(-epsilon)) / (2 * epsilon);
    assertAlmostEquals(
      analytic[i],
      numeric,
      tolerance * (1 + Math.abs(numeric)),
      `gradient at flat index ${i}`,
    );
  }
}

/**
 * The context an auxiliary loss receives for `out` = `model.forward(batch)` at step 0 of epoch 0,
 * hook seed `seed` (L_rec itself left at 0: the auxiliary losses under test do not read it).
 */
export function auxiliaryContext(
  model: SequentialRecommender,
  batch: SequenceBatch,
  out: ForwardOutput,
  seed: number,
): AuxiliaryLossContext {
  return { ...out, model, batch, step: 0, epoch: 0, recommendationLoss: tf.scalar(0), seed };
}

/** Two full histories of 6 over tinyDataset's items (items 0 and 5 each lack a modality). */
export const TWO_FULL_HISTORIES: SequenceBatch = {
  users: Int32Array.of(0, 1),
  items: Int32Array.of(4, 5, 0, 1, 2, 3, 0, 5, 3, 2, 1, 4),
  valid: new Float32Array(12).fill(1),
  batchSize: 2,
  length: 6,
};

/** Two histories of 3 over tinyDataset's items 0-5, the first with its first position padding. */
export const TWO_PADDED_HISTORIES: SequenceBatch = {
  users: Int32Array.of(0, 1),
  items: Int32Array.of(0, 1, 2, 3, 4, 5),
  valid: Float32Array.of(0, 1, 1, 1, 1, 1),
  batchSize: 2,
  length: 3,
};
