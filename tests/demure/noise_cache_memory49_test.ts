/**
 * Demure's noise-mask cache over long training: it holds one entry per (user, window) of the
 * training data, however many epochs run and however often the masks are recomputed (every visit
 * here), on both attribution sources. An entry keyed by anything that changes with the step or
 * the epoch, or a store that appended instead of replacing, would grow the cache (and the `last`
 * checkpoint that saves it) with every epoch.
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { type DemureConfig, demureHooks } from "../../lib/demure/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/mod.ts";
import { split } from "./_one_batch.ts";

await initBackend({ verbose: false });

const BATCH_SIZE = 2;

/** The cache's entries after `epochs` epochs of Demure masking from the second step on. */
async function cacheEntriesAfter(epochs: number, config: Partial<DemureConfig>): Promise<number> {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  try {
    const demure = demureHooks(model, { warmupSteps: 1, everyVisits: 1, rho: 0.4, ...config });
    await trainModel(model, split, { maxEpochs: epochs, batchSize: BATCH_SIZE, seed: 3 }, {
      ...demure.hooks,
      onProgress: () => {},
      validate: () => Promise.resolve({ "NDCG@10": 0 }),
    });
    const saved = demure.hooks.checkpointState!.save();
    return saved.tensors.get("demure/keysHigh")!.data.length;
  } finally {
    model.dispose();
  }
}

/** The (user, window) rows of an epoch: the same every epoch, only their order changes. */
function windowsOfAnEpoch(): number {
  const keys = new Set<string>();
  for (
    const batch of trainingBatches(split, 0, { batchSize: BATCH_SIZE, seed: 3, shuffle: true })
  ) {
    for (let row = 0; row < batch.batchSize; row++) {
      keys.add(`${batch.users[row]}/${batch.windows?.[row] ?? 0}`);
    }
  }
  return keys.size;
}

Deno.test("the noise-mask cache holds one entry per (user, window) after 2 and after 12 epochs, both sources", async () => {
  const windows = windowsOfAnEpoch();
  const sources: Partial<DemureConfig>[] = [
    { attributionSource: "separate_pass" },
    { attributionSource: "training_pass", denoiseInput: false },
  ];
  for (const source of sources) {
    const label = source.attributionSource;
    assertEquals(await cacheEntriesAfter(2, source), windows, `${label}, 2 epochs`);
    assertEquals(await cacheEntriesAfter(12, source), windows, `${label}, 12 epochs`);
  }
});
