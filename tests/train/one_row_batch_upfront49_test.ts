/**
 * A training batch of 1 row has no negative for an in-batch contrastive loss (CL4SRec; Demure with
 * `noiseViewAsNegative: false`). Such a run used to be refused only when that batch came, at the
 * end of the first epoch (or of Demure's warm-up), after minutes of training; now it is refused
 * before the first step, by the hooks' `checkTrainerConfig`, from the rows `trainModel` counts
 * (`trainingBudget`), naming `TrainerConfig.batchSize`, its value and the sizes that work.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import type { LeaveOneOutSplit } from "../../lib/data/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainingBudget, trainModel } from "../../lib/train/trainer.ts";
import {
  oneRowBatchRefusal,
  resolveTrainerConfig,
  type TrainerConfig,
  type TrainerHooks,
  type TrainingBudget,
} from "../../lib/train/config.ts";
import { cl4srecHooks } from "../../lib/baselines/cl4srec.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { weightsOf } from "./_seeded_run.ts";
import { settingError } from "../_setting_error.ts";

await initBackend({ verbose: false });

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

/** `users` histories of 6 interactions over 6 items: 4 training items, 3 next-item pairs each. */
function usersSplit(users: number, maxLength = 5): LeaveOneOutSplit {
  const sequences = Array.from(
    { length: users },
    (_, u) => Array.from({ length: 6 }, (_, t) => (u + t) % 6),
  );
  return leaveOneOutSplit(tinyDataset(sequences, 6), { maxLength });
}

/** What the epoch's batches hold, read off the batches themselves. */
function budgetOfBatches(split: LeaveOneOutSplit, config: TrainerConfig): TrainingBudget {
  const batches = trainingBatches(split, 0, {
    batchSize: config.batchSize,
    seed: config.seed,
    shuffle: true,
    windows: config.windows,
  });
  const trained = batches.slice(0, config.maxBatchesPerEpoch ?? batches.length);
  const rowsOf = new Map<number, number>();
  for (const batch of batches) {
    for (const user of batch.users) rowsOf.set(user, (rowsOf.get(user) ?? 0) + 1);
  }
  return {
    stepsPerEpoch: trained.length,
    rowsPerEpoch: batches.reduce((sum, batch) => sum + batch.batchSize, 0),
    smallestBatchRows: trained.length === 0
      ? 0
      : Math.min(...trained.map((batch) => batch.batchSize)),
    mostRowsOfAUser: Math.max(0, ...rowsOf.values()),
  };
}

/** The batch sizes a refusal names as the nearest that work ("the nearest: 3 or 5"). */
function nearestNamed(error: SettingError): number[] {
  const named = /the nearest: ([\d or]+)\)/.exec(error.allowed);
  assert(named, error.allowed);
  return named[1].split(" or ").map(Number);
}

Deno.test("trainingBudget counts what the epoch's batches hold, without building them", () => {
  let oneRow = 0;
  for (const users of [1, 2, 3, 5]) {
    for (const maxLength of [1, 2, 5]) {
      const split = usersSplit(users, maxLength);
      for (const windows of ["all", "last"] as const) {
        for (let batchSize = 1; batchSize <= 7; batchSize++) {
          for (const maxBatchesPerEpoch of [undefined, 1, 2]) {
            const config = resolveTrainerConfig({ batchSize, windows, maxBatchesPerEpoch });
            const label = JSON.stringify({
              users,
              maxLength,
              windows,
              batchSize,
              maxBatchesPerEpoch,
            });
            const budget = trainingBudget(split, config);
            assertEquals(budget, budgetOfBatches(split, config), label);
            if (budget.smallestBatchRows === 1) oneRow++;
          }
        }
      }
    }
  }
  assert(oneRow > 20, `the grid holds runs with a batch of 1 row: ${oneRow}`);
});

Deno.test("oneRowBatchRefusal: refused exactly when a batch of 1 row is trained; the sizes it names are the nearest that work", () => {
  for (const users of [2, 3, 5, 7]) {
    for (const maxLength of [1, 5]) {
      const split = usersSplit(users, maxLength);
      for (let batchSize = 1; batchSize <= 12; batchSize++) {
        for (const maxBatchesPerEpoch of [undefined, 2]) {
          const config = resolveTrainerConfig({ batchSize, maxBatchesPerEpoch });
          const budget = trainingBudget(split, config);
          const label = JSON.stringify({ users, maxLength, batchSize, maxBatchesPerEpoch });
          const refusal = oneRowBatchRefusal("X's loss", config, budget, "; or Y");
          assertEquals(refusal !== undefined, budget.smallestBatchRows === 1, label);
          if (refusal === undefined) continue;
          assertEquals([refusal.setting, refusal.value], ["TrainerConfig.batchSize", batchSize]);
          assert(refusal.message.startsWith(`TrainerConfig.batchSize is ${batchSize}; allowed:`));
          assertStringIncludes(refusal.allowed, `of the epoch's ${budget.rowsPerEpoch} training`);
          assertStringIncludes(refusal.allowed, "X's loss takes a row's negatives");
          assert(refusal.allowed.endsWith("; or Y"), refusal.allowed);
          const oneRowWith = (size: number) =>
            trainingBudget(split, { ...config, batchSize: size }).smallestBatchRows === 1;
          const nearest = nearestNamed(refusal);
          for (const size of nearest) {
            assert(size >= 2 && !oneRowWith(size), `${label}: ${size} named`);
            // Nothing between the given size and the one named works.
            for (let n = Math.min(size, batchSize) + 1; n < Math.max(size, batchSize); n++) {
              assert(n < 2 || oneRowWith(n), `${label}: ${n} works and is nearer than ${size}`);
            }
          }
          const below = nearest.filter((size) => size < batchSize);
          if (below.length === 0) {
            for (let n = 2; n < batchSize; n++) assert(oneRowWith(n), `${label}: ${n} below`);
          }
        }
      }
    }
  }
});

Deno.test("oneRowBatchRefusal: an epoch of one training row has no batch size that works", () => {
  const split = usersSplit(1, 5); // one user, one window
  for (const batchSize of [1, 2, 128]) {
    const config = resolveTrainerConfig({ batchSize });
    const refusal = oneRowBatchRefusal("X", config, trainingBudget(split, config));
    assert(refusal instanceof SettingError);
    assertStringIncludes(refusal.allowed, "none: the epoch has 1 training row");
  }
});

/** Runs `hooks` on a small SASRec of `split`, recording whether any step or epoch ran. */
async function refusedBeforeAnyStep(
  split: LeaveOneOutSplit,
  trainer: Partial<TrainerConfig>,
  hooksFor: (model: SequentialRecommender) => TrainerHooks,
): Promise<SettingError> {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 5, seed: 3 });
  const before = weightsOf(model);
  const seen: string[] = [];
  const hooks = hooksFor(model);
  const error = await assertRejects(
    () =>
      trainModel(model, split, { seed: 0, maxEpochs: 2, ...trainer }, {
        ...hooks,
        ...(hooks.inputMask
          ? {
            inputMask: (batch, step) => {
              seen.push(`inputMask ${step}`);
              return hooks.inputMask!(batch, step);
            },
          }
          : {}),
        auxiliaryLoss: (context) => {
          seen.push(`auxiliaryLoss ${context.step}`);
          return hooks.auxiliaryLoss!(context);
        },
        onProgress: (progress) => seen.push(`epoch ${progress.epoch}`),
      }),
    SettingError,
  );
  assertEquals(seen, [], "no step and no epoch ran");
  assertEquals(weightsOf(model), before);
  model.dispose();
  assert(error instanceof SettingError);
  return error;
}

Deno.test("CL4SRec's hooks refuse a run with a batch of 1 row before its first step; the trainable ones train", async () => {
  // 3 users of one window each: batches of 2 leave 1 row over; batches of 1 are all of 1 row.
  const split = usersSplit(3);
  for (const [batchSize, nearest] of [[2, "3"], [1, "3"]] as const) {
    const error = await refusedBeforeAnyStep(split, { batchSize }, () => cl4srecHooks());
    assertEquals([error.setting, error.value], ["TrainerConfig.batchSize", batchSize]);
    assertStringIncludes(error.allowed, "CL4SRec's contrastive loss takes a row's negatives");
    assertEquals(nearestNamed(error).join(" or "), nearest);
  }
  // A cap that stops the epoch before its batch of 1 row, and a batch size that leaves none over,
  // train as before.
  for (const trainer of [{ batchSize: 2, maxBatchesPerEpoch: 1 }, { batchSize: 3 }]) {
    const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 5, seed: 3 });
    const result = await trainModel(
      model,
      split,
      { seed: 0, maxEpochs: 1, ...trainer },
      { ...cl4srecHooks(), onProgress: () => {} },
    );
    assertEquals(result.history[0].steps, 1, JSON.stringify(trainer));
    assert(result.history[0].auxiliaryLoss > 0 && Number.isFinite(result.history[0].loss));
    model.dispose();
  }
});

Deno.test("Demure without its noise view refuses a run with a batch of 1 row before its first step; variants without the term, and the noise view, do not", async () => {
  const split = usersSplit(3);
  for (const variant of ["full", "contrastive_only"] as const) {
    for (const warmup of [{ warmupSteps: 0 }, { warmupSteps: 3 }]) {
      const error = await refusedBeforeAnyStep(
        split,
        { batchSize: 2 },
        (model) => demureHooks(model, { variant, noiseViewAsNegative: false, ...warmup }).hooks,
      );
      assertEquals([error.setting, error.value], ["TrainerConfig.batchSize", 2]);
      assertStringIncludes(error.allowed, "DemureConfig.noiseViewAsNegative false");
      assert(
        error.allowed.endsWith(
          "or set noiseViewAsNegative true (the noise view is then every row's negative)",
        ),
      );
    }
  }
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 5, seed: 3 });
  const config = resolveTrainerConfig({ batchSize: 2, maxEpochs: 2 });
  const budget = trainingBudget(split, config);
  assertEquals(budget.smallestBatchRows, 1);
  // No contrastive term, or the noise view as every row's negative: nothing to refuse.
  for (
    const demure of [
      { variant: "attribution_only", noiseViewAsNegative: false },
      { variant: "random_input", noiseViewAsNegative: false },
      { variant: "full" },
      { variant: "contrastive_only" },
    ] as const
  ) {
    demureHooks(model, { ...demure, warmupSteps: 0 }).hooks.checkTrainerConfig!(config, budget);
  }
  // A warm-up the run could never leave is the first thing said: the batch is never reached.
  const warmup = settingError(() =>
    demureHooks(model, { noiseViewAsNegative: false, warmupSteps: 4 }).hooks
      .checkTrainerConfig!(config, budget)
  );
  assertEquals(warmup.setting, "DemureConfig.warmupSteps");
  model.dispose();
});

Deno.test("runCell: a CL4SRec cell with a batch of 1 row is refused before it trains, naming the batch size", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
    features: [{ name: "image", path: `${FIXTURES}tiny_image.txt` }],
  });
  const { rowsPerEpoch } = trainingBudget(data.split, resolveTrainerConfig({}));
  assert(rowsPerEpoch >= 3, `${rowsPerEpoch} rows`);
  const batchSize = rowsPerEpoch - 1; // one full batch, then 1 row
  const epochs: number[] = [];
  const before = tf.memory().numTensors;
  const error = await assertRejects(
    () =>
      runCell(data, SYSTEMS["CL4SRec-MM"], "CL4SRec-MM", {
        seed: 0,
        model: { dim: 8 },
        training: { batchSize, maxEpochs: 1 },
        onProgress: (progress) => epochs.push(progress.epoch),
      }),
    SettingError,
  );
  assertEquals([(error as SettingError).setting, (error as SettingError).value], [
    "TrainerConfig.batchSize",
    batchSize,
  ]);
  assertEquals(epochs, []);
  assertEquals(tf.memory().numTensors, before);
});
