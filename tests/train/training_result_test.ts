/**
 * What trainModel reports besides its metrics: the run's resolved config, each epoch's losses and
 * times and the run's mean step time and wall time, measured; an epoch marked `improved` only
 * when its validation beat the best; and the windows it trained on (`windows: "last"` trains each
 * long history's last window only).
 */
import { assert, assertAlmostEquals, assertEquals, assertGreater } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { resolveTrainerConfig } from "../../lib/train/config.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const quiet = { onProgress: (_: EpochProgress) => {} };
const modelConfig = { backbone: "gru4rec" as const, dim: 4, maxLength: 4, seed: 1 };

Deno.test("the progress and the result carry the run's losses and times, measured", async () => {
  // Each step sleeps 50 ms (afterStep runs inside the step, without using the CPU) and adds a
  // constant auxiliary loss of 0.25.
  const split = leaveOneOut(cycleDataset(8, 10, 6), 4);
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  try {
    const result = await trainModel(model, split, { maxEpochs: 2, batchSize: 4 }, {
      ...quiet,
      afterStep: () => void Atomics.wait(sleeper, 0, 0, 50),
      auxiliaryLoss: () => tf.scalar(0.25),
      validate: () => ({ "NDCG@10": 0 }),
    });
    assertEquals(result.config, resolveTrainerConfig({ maxEpochs: 2, batchSize: 4 }));
    const steps = result.history.reduce((sum, epoch) => sum + epoch.steps, 0);
    assertEquals(steps, 4);
    assert(result.meanStepSeconds >= 0.05, `mean step ${result.meanStepSeconds} s`);
    assert(result.totalSeconds >= steps * 0.05, `total ${result.totalSeconds} s`);
    // The run's mean step is over its steps, not its epochs (found by mutation round AL, AL33).
    const stepTime = result.history.reduce(
      (sum, epoch) => sum + epoch.stepSeconds * epoch.steps,
      0,
    );
    assertAlmostEquals(result.meanStepSeconds, stepTime / steps, 1e-9);
    for (const epoch of result.history) {
      assertEquals(epoch.maxEpochs, 2);
      assertAlmostEquals(epoch.auxiliaryLoss, 0.25, 1e-6);
      assertAlmostEquals(epoch.loss - epoch.recommendationLoss, 0.25, 1e-5);
      // The mean of the epoch's steps: at least one sleep, and the steps fit in the epoch.
      assert(epoch.stepSeconds >= 0.05, `step ${epoch.stepSeconds} s`);
      assert(
        epoch.stepSeconds * epoch.steps <= epoch.epochSeconds,
        `${epoch.steps} steps of ${epoch.stepSeconds} s in an epoch of ${epoch.epochSeconds} s`,
      );
    }
  } finally {
    model.dispose();
  }
});

Deno.test("an epoch is marked improved only when its validation beats the best so far", async () => {
  const split = leaveOneOut(cycleDataset(8, 10, 6), 4);
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const scores = [0.3, 0.2, 0.3, 0.4];
  let validations = 0;
  try {
    const result = await trainModel(model, split, {
      maxEpochs: 5,
      evalEvery: 1,
      batchSize: 8,
      patience: 10,
    }, { ...quiet, validate: () => ({ "NDCG@10": scores[validations++] ?? 0 }) });
    // A worse and an equal validation are no gain; 0.4 is, and the last epoch's 0 is not.
    assertEquals(result.history.map((epoch) => epoch.improved), [true, false, false, true, false]);
    assertEquals(result.bestEpoch, 4);
    // Each epoch's progress carries the best so far and its epoch, not that epoch's validation.
    assertEquals(
      result.history.map((epoch) => [epoch.bestValidation, epoch.bestEpoch]),
      [[0.3, 1], [0.3, 1], [0.3, 1], [0.4, 4], [0.4, 4]],
    );
  } finally {
    model.dispose();
  }
});

Deno.test("early stopping reads validation NDCG@10 only, and patience counts validations, not epochs", async () => {
  const split = leaveOneOut(cycleDataset(8, 10, 6), 4);
  const model = new SequentialRecommender(split.dataset, modelConfig);
  // Validated after epochs 2, 4 and 6: NDCG@10 falls while HR@10 rises. With patience 2 the run
  // stops after epoch 6 (two validations without a better NDCG@10), best at epoch 2. A trainer
  // that followed HR@10 would find a gain at every validation; one that counted the epochs
  // without a validation would stop after epoch 4.
  const validations = [
    { "NDCG@10": 0.5, "HR@10": 0.1 },
    { "NDCG@10": 0.4, "HR@10": 0.9 },
    { "NDCG@10": 0.3, "HR@10": 1 },
  ];
  let count = 0;
  try {
    const result = await trainModel(model, split, {
      maxEpochs: 10,
      evalEvery: 2,
      batchSize: 8,
      maxBatchesPerEpoch: 1,
      patience: 2,
    }, { ...quiet, validate: () => validations[count++] });
    assertEquals(
      [result.stoppedBy, result.epochsRun, result.bestEpoch, result.bestValidation],
      ["patience", 6, 2, 0.5],
    );
    assertEquals(result.history.map((epoch) => epoch.improved), [
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    assertEquals(count, 3);
  } finally {
    model.dispose();
  }
});

Deno.test('windows "last": each epoch trains on the last window of each long history only', async () => {
  // Training histories of 8 items read 4 at a time: "all" cuts each into two windows.
  const split = leaveOneOut(cycleDataset(6, 10, 10), 4);
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const seen: number[][] = [];
  try {
    const result = await trainModel(model, split, { maxEpochs: 1, batchSize: 4, windows: "last" }, {
      ...quiet,
      inputMask: (batch: SequenceBatch) => {
        seen.push(Array.from(batch.items));
        return undefined;
      },
      validate: () => ({ "NDCG@10": 0 }),
    });
    const batches = (windows: "all" | "last") =>
      trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true, windows });
    assertGreater(batches("all").length, batches("last").length);
    assertEquals(seen, batches("last").map((batch) => Array.from(batch.items)));
    assertEquals(result.history[0].steps, batches("last").length);
  } finally {
    model.dispose();
  }
});
