/**
 * `trainingPassSmoothing` w: a window's stored scores are w * (newest visit) + (1 - w) * (stored
 * average), renormalised; tested at an asymmetric w so that the two weights cannot be swapped.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { normaliseContributions } from "../../lib/attribution/normalise.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { Adam } from "../../lib/train/adam.ts";
import { trainStep } from "../../lib/train/step.ts";

import { batch, split, trainer, TRAINING_PASS } from "./_one_batch.ts";

await initBackend({ verbose: false });

/** The cached scores after steps 1 and 2 of a run with this smoothing (same model, same batch). */
async function scoresAfter(smoothing: number): Promise<Float32Array[]> {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const adam = new Adam();
  const demure = demureHooks(model, { ...TRAINING_PASS, trainingPassSmoothing: smoothing });
  const saved: Float32Array[] = [];
  for (let step = 0; step < 3; step++) {
    await trainStep({ model, optimizer: adam, batch, step, config: trainer, hooks: demure.hooks });
    if (step > 0) {
      saved.push(demure.hooks.checkpointState!.save().tensors.get("demure/scores")!.data);
    }
  }
  adam.dispose();
  model.dispose();
  return saved;
}

Deno.test("trainingPassSmoothing 0.3: the stored scores are 0.3 x the newest visit + 0.7 x the previous", async () => {
  // Run A keeps the newest visit (w = 1); run B averages with w = 0.3. Step 1's capture replaces
  // the separately attributed first mask in both (not averaged), and the views of step 2 read the
  // same mask, so both runs capture the same contributions at step 2.
  const [newestAfter1, newestAfter2] = await scoresAfter(1);
  const [averagedAfter1, averagedAfter2] = await scoresAfter(0.3);
  assertEquals(averagedAfter1, newestAfter1, "a first visit's capture is not averaged");
  const valid = Uint8Array.from(newestAfter1, (z) => Number.isNaN(z) ? 0 : 1);
  const shape = [batch.batchSize, batch.length, 3] as [number, number, number];
  const blend = (w: number) =>
    normaliseContributions(
      newestAfter2.map((z, i) => valid[i] ? w * z + (1 - w) * newestAfter1[i] : 0),
      valid,
      shape,
      "zscore",
    );
  const expected = blend(0.3);
  const swapped = blend(0.7);
  assert(
    expected.some((z, i) => valid[i] && Math.abs(z - swapped[i]) > 1e-2),
    "the weights 0.3 and 0.7 give different scores here",
  );
  expected.forEach((z, i) => {
    if (valid[i]) assertAlmostEquals(averagedAfter2[i], z, 1e-4, `score ${i}`);
    else assert(Number.isNaN(averagedAfter2[i]), `score ${i} of an invalid pair`);
  });
});
