/**
 * A stopped run resumed from its checkpoint draws what the uninterrupted run draws: 1 epoch, then
 * a resume to 2, gives the bits of 2 epochs straight, for the runs whose steps draw more than
 * dropout and batches: BCE negatives, CL4SRec's augmentations, Demure's random masks (fresh per
 * step, or kept per user) and its attributed mask cache. (Plain cross-entropy runs:
 * tests/train/trainer_test.ts.)
 */
import { assertEquals } from "@std/assert";
import { cl4srecAuxiliaryLoss } from "../../lib/baselines/cl4srec.ts";
import type { DemureVariant } from "../../lib/demure/config.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import type { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { TrainerConfig, TrainerHooks } from "../../lib/train/config.ts";
import { seededRun } from "./_seeded_run.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

const MODEL = { dim: 8, maxLength: 6, sasrec: { blocks: 1, heads: 2, dropout: 0.2 } };

const demure = (variant: DemureVariant) => (model: SequentialRecommender) => ({
  hooks: demureHooks(model, { variant, warmupSteps: 1, everyVisits: 2, rho: 0.4 }).hooks,
});

const RUNS: Record<
  string,
  {
    trainer: Partial<TrainerConfig>;
    hooks: (model: SequentialRecommender) => { hooks: TrainerHooks };
  }
> = {
  "BCE negatives": {
    trainer: { loss: { kind: "bce", positions: "all" } },
    hooks: () => ({ hooks: {} }),
  },
  "CL4SRec": {
    trainer: {},
    hooks: () => ({ hooks: { auxiliaryLoss: cl4srecAuxiliaryLoss({ weight: 1 }) } }),
  },
  "Demure contrastive_only": { trainer: {}, hooks: demure("contrastive_only") },
  "Demure random_input": { trainer: {}, hooks: demure("random_input") },
  "Demure full (mask cache)": { trainer: {}, hooks: demure("full") },
};

for (const [name, { trainer, hooks }] of Object.entries(RUNS)) {
  Deno.test(`resume (${name}): 1 epoch then a resume to 2 gives the bits of 2 straight`, async () => {
    const dir = Deno.makeTempDirSync();
    try {
      const straight = await seededRun(MODEL, 1, trainer, 2, hooks);
      const first = await seededRun(
        MODEL,
        1,
        { ...trainer, maxEpochs: 1, checkpointDir: dir },
        2,
        hooks,
      );
      assertEquals(first.epochs.length, 1);
      const resumed = await seededRun(MODEL, 1, { ...trainer, checkpointDir: dir }, 2, hooks);
      assertEquals(resumed.epochs.map((e) => e.epoch), [2], "only the second epoch is trained");
      // Each epoch's numbers; the cap each call was given aside.
      const numbers = (epochs: typeof straight.epochs) =>
        epochs.map(({ maxEpochs: _, ...epoch }) => epoch);
      assertBitIdentical(numbers([...first.epochs, ...resumed.epochs]), numbers(straight.epochs));
      assertBitIdentical(resumed.weights, straight.weights);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
}
