/**
 * Demure's noise-mask cache on histories longer than maxLength: each (user, window) row has its
 * own cache entry, whether the windows of a user share a batch or come in different batches, and
 * a window's mask serves `everyVisits` visits.
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import type { InteractionDataset, SequenceBatch } from "../../lib/data/types.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

// The tiny 3-modality dataset with 9 interactions per user: 7 training items, 6 next-item pairs,
// so 3 windows of maxLength 2 per user (12 rows per epoch).
const base = tinyDataset();
const dataset: InteractionDataset = {
  ...base,
  sequences: base.sequences.map((_, u) => Int32Array.from({ length: 9 }, (_, t) => (u + t) % 6)),
};
const split = leaveOneOut(dataset, 2);
const demureConfig = {
  variant: "full" as const,
  attributionSource: "separate_pass" as const,
  warmupSteps: 1,
  everyVisits: 2,
  rho: 0.4,
};
const quiet = { onProgress: (_: EpochProgress) => {}, validate: () => ({ "NDCG@10": 0 }) };

async function train(batchSize: number, maxEpochs: number, config = {}) {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 2, seed: 1 });
  const demure = demureHooks(model, { ...demureConfig, ...config });
  try {
    await trainModel(model, split, { maxEpochs, batchSize, seed: 2 }, {
      ...demure.hooks,
      ...quiet,
    });
  } finally {
    model.dispose();
  }
  return demure;
}

/** The items each cache key holds, from the checkpoint's tensors. */
function storedItems(demure: Awaited<ReturnType<typeof train>>): Map<number, number[]> {
  const tensors = demure.hooks.checkpointState!.save().tensors;
  const high = tensors.get("demure/keysHigh")!.data;
  const low = tensors.get("demure/keysLow")!.data;
  const items = tensors.get("demure/items")!.data;
  const stored = new Map<number, number[]>();
  high.forEach((h, r) =>
    stored.set(h * 65536 + low[r], Array.from(items.subarray(2 * r, 2 * r + 2)))
  );
  return stored;
}

/** Each row's (user, window) key and its window's items. */
function windowItems(batch: SequenceBatch): Map<number, number[]> {
  const expected = new Map<number, number[]>();
  for (let row = 0; row < batch.batchSize; row++) {
    const key = batch.users[row] * 1024 + batch.windows![row];
    expected.set(key, Array.from(batch.items.subarray(2 * row, 2 * row + 2)));
  }
  return expected;
}

Deno.test("windows of one user in one batch each get their own mask, reused at the next visit", async () => {
  const [batch] = trainingBatches(split, 0, { batchSize: 16, seed: 2, shuffle: true });
  assertEquals(batch.batchSize, 12, "every window of every user in the one batch");
  // Epoch 1 (step 0): warm-up; epoch 2: attributed; epoch 3: reused; epoch 4: attributed again.
  const demure = await train(16, 4);
  const stats = demure.stats();
  assertEquals([stats.attributed, stats.reused], [2, 1]);
  // One cache entry per (user, window), holding that window's items.
  assertEquals(windowItems(batch).size, 12);
  assertEquals(storedItems(demure), windowItems(batch));
});

Deno.test("training pass: each window's captured mask is stored under its own (user, window) key", async () => {
  // Epoch 1: warm-up; epoch 2: attributed apart, then captured; epoch 3: captured again.
  const [batch] = trainingBatches(split, 0, { batchSize: 16, seed: 2, shuffle: true });
  const demure = await train(16, 3, { attributionSource: "training_pass", denoiseInput: false });
  assertEquals(demure.stats().captured, 2);
  assertEquals(storedItems(demure), windowItems(batch));
});

Deno.test("windows of one user in different batches keep their own masks across epochs", async () => {
  // One row per batch: 12 steps an epoch. Step 0 is the warm-up; the 11 other windows are
  // attributed in epoch 1 and reused in epoch 2, where the warm-up's window is attributed.
  const demure = await train(1, 2);
  const stats = demure.stats();
  assertEquals([stats.attributed, stats.reused], [12, 11]);
});
