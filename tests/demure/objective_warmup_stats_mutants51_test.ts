/**
 * DemureTraining.stats() before any mask was made (a hand mutant of objective.ts that survived the
 * Demure tests: the counters of a run with no mask cache yet came from a made-up `{ computed: 0,
 * reused: 1 }`). Before the first step, and while every step so far was in the warm-up, no mask was
 * attributed, reused or drawn: every counter is 0.
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { trainingBatches } from "../../lib/data/mod.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { Adam } from "../../lib/train/adam.ts";
import { resolveTrainerConfig } from "../../lib/train/config.ts";
import { trainStep } from "../../lib/train/step.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("DemureTraining.stats: no mask yet, before the first step and during the warm-up, counts 0 of each", async () => {
  const split = leaveOneOut(tinyDataset(), 4);
  const config = resolveTrainerConfig({ batchSize: 4, seed: 3 });
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const adam = new Adam();
  try {
    for (const variant of ["full", "random_input"] as const) {
      const demure = demureHooks(model, { variant, warmupSteps: 2, everyVisits: 1 });
      const counters = () => {
        const { attributed, reused, random } = demure.stats();
        return { attributed, reused, random };
      };
      const none = { attributed: 0, reused: 0, random: 0 };
      assertEquals(counters(), none, `${variant}: before the first step`);
      const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
      await trainStep({ model, optimizer: adam, batch, step: 0, config, hooks: demure.hooks });
      assertEquals(counters(), none, `${variant}: after a warm-up step`);
      demure.release();
    }
  } finally {
    adam.dispose();
    model.dispose();
  }
});
