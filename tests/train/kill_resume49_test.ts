/**
 * A run killed after an epoch's checkpoint (again and again) and started again with the same
 * settings ends with the bits of the uninterrupted run: every epoch's numbers, the weights, the
 * best epoch and why it stopped. Unlike a resume to a larger `maxEpochs` (trainer_test.ts,
 * resume_seed_test.ts), the cap stays: a kill between validations (`evalEvery` 2) must not add one,
 * and early stopping, Demure's plateau warm-up and its training-pass masks run on across kills.
 */
import { assertEquals } from "@std/assert";
import type { DemureConfig } from "../../lib/demure/config.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { TrainerConfig, TrainerHooks } from "../../lib/train/config.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { SEEDED_SPLIT, weightsOf } from "./_seeded_run.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

const MODEL = { dim: 8, maxLength: 6, sasrec: { blocks: 1, heads: 2, dropout: 0.2 }, seed: 1 };

class Killed extends Error {}

type HooksFor = (model: SequentialRecommender) => TrainerHooks;

const demure = (config: Partial<DemureConfig>): HooksFor => (model) =>
  demureHooks(model, { everyVisits: 2, rho: 0.4, ...config }).hooks;

/**
 * Trains with `trainer` (the cap 6) and stops the process's run after epoch `killAfter`, as a kill
 * there would (its checkpoint is written before the progress is reported). Returns what it
 * computed, the clock's times left out.
 */
async function run(trainer: Partial<TrainerConfig>, hooksFor: HooksFor, killAfter?: number) {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
  const epochs: Partial<EpochProgress>[] = [];
  try {
    const result = await trainModel(
      model,
      SEEDED_SPLIT,
      { maxEpochs: 6, batchSize: 2, seed: 2, ...trainer },
      {
        ...hooksFor(model),
        onProgress: ({ epochSeconds: _, stepSeconds: __, secondsLeftAtMost: ___, ...rest }) => {
          epochs.push(rest);
          if (rest.epoch === killAfter) throw new Killed();
        },
      },
    ).catch((error) => {
      if (error instanceof Killed) return undefined;
      throw error;
    });
    const outcome = result && {
      bestValidation: result.bestValidation,
      bestEpoch: result.bestEpoch,
      stoppedBy: result.stoppedBy,
      epochs: result.resumedFromEpoch + result.epochsRun,
    };
    return { epochs, weights: weightsOf(model), outcome };
  } finally {
    model.dispose();
  }
}

const RUNS: Record<string, { trainer: Partial<TrainerConfig>; hooks: HooksFor; kills: number[] }> =
  {
    "validation every 2nd epoch, patience 1, killed between validations": {
      trainer: { evalEvery: 2, patience: 1 },
      hooks: () => ({}),
      kills: [1, 2, 3],
    },
    "patience 2, killed after each epoch": {
      trainer: { patience: 2 },
      hooks: () => ({}),
      kills: [1, 2, 3, 4, 5],
    },
    "Demure, warm-up until a plateau": {
      trainer: { patience: 5 },
      hooks: demure({ warmupBy: "plateau", warmupEpochs: 1 }),
      kills: [1, 2, 3, 4],
    },
    "Demure, training-pass masks": {
      trainer: {},
      hooks: demure({ denoiseInput: false, warmupSteps: 1 }),
      kills: [1, 3],
    },
  };

for (const [name, { trainer, hooks, kills }] of Object.entries(RUNS)) {
  Deno.test(`kill and start again (${name}): the bits of the uninterrupted run`, async () => {
    const straight = await run(trainer, hooks);
    const dir = Deno.makeTempDirSync();
    try {
      const epochs: Partial<EpochProgress>[] = [];
      let last;
      for (const killAfter of [...kills, undefined]) {
        last = await run({ ...trainer, checkpointDir: dir }, hooks, killAfter);
        epochs.push(...last.epochs);
      }
      assertEquals(
        epochs.map((epoch) => epoch.epoch),
        straight.epochs.map((epoch) => epoch.epoch),
        "each epoch trained once (a kill after an epoch loses none)",
      );
      assertBitIdentical(epochs, straight.epochs);
      assertBitIdentical(last!.weights, straight.weights);
      assertBitIdentical(last!.outcome, straight.outcome);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
}
