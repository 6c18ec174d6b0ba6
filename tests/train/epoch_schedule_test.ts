/**
 * What the training loop does from epoch to epoch: a new seeded batch order every epoch (the one
 * `trainingBatches` gives for that epoch), a validation after the last epoch even when
 * `maxEpochs` is not a multiple of `evalEvery`, and `maxBatchesPerEpoch` taking the first batches.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { trainingStepsPerEpoch, trainModel } from "../../lib/train/trainer.ts";
import { resolveTrainerConfig } from "../../lib/train/config.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const split = leaveOneOut(cycleDataset(12, 10, 6), 4);
const modelConfig = { backbone: "gru4rec" as const, dim: 4, maxLength: 4, seed: 1 };

Deno.test("every epoch draws its own batch order: trainingBatches(split, epoch, seed)", async () => {
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const epochs: number[][][] = [[]];
  try {
    await trainModel(model, split, { maxEpochs: 2, batchSize: 4, seed: 6 }, {
      inputMask: (batch: SequenceBatch) => {
        epochs[epochs.length - 1].push(Array.from(batch.users));
        return undefined;
      },
      onProgress: (_: EpochProgress) => epochs.push([]),
      validate: () => ({ "NDCG@10": 0 }),
    });
  } finally {
    model.dispose();
  }
  epochs.pop(); // the list opened after the last epoch
  assertEquals(epochs.length, 2);
  const expected = [0, 1].map((epoch) =>
    trainingBatches(split, epoch, { batchSize: 4, seed: 6, shuffle: true, windows: "all" })
      .map((batch) => Array.from(batch.users))
  );
  assertEquals(epochs[0], expected[0]);
  assertEquals(epochs[1], expected[1]);
  assertNotEquals(epochs[0], epochs[1], "epochs 0 and 1 were shuffled alike");
});

Deno.test("the last epoch is validated when maxEpochs is not a multiple of evalEvery", async () => {
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const validatedAfter: number[] = [];
  let epochsDone = 0;
  let result;
  try {
    result = await trainModel(model, split, { maxEpochs: 3, evalEvery: 2, batchSize: 4 }, {
      onProgress: (_: EpochProgress) => epochsDone++,
      validate: () => {
        validatedAfter.push(epochsDone + 1);
        return { "NDCG@10": (epochsDone + 1) / 10 };
      },
    });
  } finally {
    model.dispose();
  }
  assertEquals(validatedAfter, [2, 3]);
  assertEquals(
    result.history.map((progress) => progress.validation?.["NDCG@10"]),
    [undefined, 0.2, 0.3],
  );
  assertEquals(result.bestEpoch, 3);
});

Deno.test("a one-epoch run with evalEvery above 1 still validates its only epoch and keeps it as the best", async () => {
  const model = new SequentialRecommender(split.dataset, modelConfig);
  let validations = 0;
  let result;
  try {
    result = await trainModel(model, split, {
      maxEpochs: 1,
      evalEvery: 3,
      batchSize: 4,
      maxBatchesPerEpoch: 1,
    }, {
      onProgress: (_: EpochProgress) => {},
      validate: () => {
        validations++;
        return { "NDCG@10": 0.25 };
      },
    });
  } finally {
    model.dispose();
  }
  assertEquals(validations, 1);
  assertEquals([result.bestEpoch, result.bestValidation], [1, 0.25]);
  assertEquals(result.history[0].validation, { "NDCG@10": 0.25 });
});

Deno.test("maxBatchesPerEpoch: each epoch trains on exactly the first that many batches", async () => {
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const users: number[][] = [];
  let result;
  try {
    result = await trainModel(model, split, { maxEpochs: 2, batchSize: 2, maxBatchesPerEpoch: 2 }, {
      inputMask: (batch: SequenceBatch) => {
        users.push(Array.from(batch.users));
        return undefined;
      },
      onProgress: (_: EpochProgress) => {},
      validate: () => ({ "NDCG@10": 0 }),
    });
  } finally {
    model.dispose();
  }
  const first = (epoch: number) =>
    trainingBatches(split, epoch, { batchSize: 2, seed: 0, shuffle: true, windows: "all" })
      .slice(0, 2).map((batch) => Array.from(batch.users));
  assertEquals(users, [...first(0), ...first(1)]);
  assertEquals(result.history.map((progress) => progress.steps), [2, 2]);
});

Deno.test("the steps per epoch a hook is told are the epoch's batches, capped by maxBatchesPerEpoch", async () => {
  // Found by mutation round AL (AL25, AL34): Demure's warm-up check reads this budget; an uncapped
  // count let a warm-up longer than a capped run pass as if it fitted.
  const all = trainingBatches(split, 0, { batchSize: 2, seed: 0, shuffle: true, windows: "all" });
  assertEquals(trainingStepsPerEpoch(split, resolveTrainerConfig({ batchSize: 2 })), all.length);
  const capped = resolveTrainerConfig({ batchSize: 2, maxBatchesPerEpoch: 2 });
  assertEquals(trainingStepsPerEpoch(split, capped), 2);
  const roomy = resolveTrainerConfig({ batchSize: 2, maxBatchesPerEpoch: all.length + 5 });
  assertEquals(trainingStepsPerEpoch(split, roomy), all.length);
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const told: number[] = [];
  let result;
  try {
    result = await trainModel(model, split, { maxEpochs: 1, batchSize: 2, maxBatchesPerEpoch: 2 }, {
      checkTrainerConfig: (_, budget) => void told.push(budget.stepsPerEpoch),
      onProgress: (_: EpochProgress) => {},
      validate: () => ({ "NDCG@10": 0 }),
    });
  } finally {
    model.dispose();
  }
  assertEquals(told, [2]);
  assertEquals(result.history.map((progress) => progress.steps), told);
});
