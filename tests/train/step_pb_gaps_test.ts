/**
 * trainStep's failure paths, found unpinned by mutation round PB: a step that fails (its
 * auxiliary loss throws, or its loss is not finite) frees every tensor it made, the input mask
 * included, and tells afterStep the step (not the epoch) and that it did not apply; a NaN
 * gradient norm stops the step as an infinite one does.
 */
import { assert, assertAlmostEquals, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { Adam } from "../../lib/train/adam.ts";
import { resolveTrainerConfig, TrainingDivergedError } from "../../lib/train/config.ts";
import { trainStep } from "../../lib/train/step.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { termWithGradient } from "./_gradient_of_choice.ts";

await initBackend({ verbose: false });

Deno.test("trainStep: a failed step frees every tensor it made, the input mask included, and tells afterStep its step", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const config = resolveTrainerConfig({ batchSize: 4 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true });
  const adam = new Adam(config.optimizer);
  const inputMask = (b: { batchSize: number; length: number }) =>
    tf.ones([b.batchSize, b.length, 3]) as tf.Tensor3D;
  const after: [number, boolean][] = [];
  const afterStep = (step: number, applied: boolean) => void after.push([step, applied]);
  // A first step creates Adam's moments, so the count below is the steady state.
  await trainStep({ model, optimizer: adam, batch, step: 0, config, hooks: { inputMask } });
  const tensors = tf.memory().numTensors;
  // The auxiliary loss throws inside the gradient tape: L_rec was already kept for the read-back.
  await assertRejects(
    () =>
      trainStep({
        model,
        optimizer: adam,
        batch,
        step: 7,
        epoch: 2,
        config,
        hooks: {
          inputMask,
          afterStep,
          auxiliaryLoss: () => {
            throw new Error("auxiliary loss broke");
          },
        },
      }),
    Error,
    "auxiliary loss broke",
  );
  assertEquals(tf.memory().numTensors, tensors, "nothing kept after a throwing auxiliary loss");
  // The loss is not finite: the finite check throws after the read-back, before the update.
  const diverged = await assertRejects(
    () =>
      trainStep({
        model,
        optimizer: adam,
        batch,
        step: 8,
        epoch: 2,
        config,
        hooks: { inputMask, afterStep, auxiliaryLoss: () => tf.scalar(Infinity) },
      }),
    TrainingDivergedError,
    // Each part in its place: the infinite one is the auxiliary loss, L_rec is finite.
    "loss is Infinity (L_rec ",
  );
  assertMatch(diverged.message, /\(L_rec \d[^,]*, auxiliary Infinity\)/);
  assertEquals(tf.memory().numTensors, tensors, "nothing kept after a non-finite loss");
  assertEquals(after, [[7, false], [8, false]]);
  adam.dispose();
  model.dispose();
});

Deno.test("trainStep: a NaN gradient norm with a finite loss stops before the update, naming the loss", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const config = resolveTrainerConfig({ batchSize: 4 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true });
  // An auxiliary term of value 0.5 whose gradient is NaN: the loss is finite, the norm is not.
  const poisoned = termWithGradient(0.5, Number.NaN);
  const adam = new Adam(config.optimizer);
  const weights = () => model.parameters.variables().map((v) => Array.from(v.dataSync()));
  const before = weights();
  const error = await assertRejects(
    () =>
      trainStep({
        model,
        optimizer: adam,
        batch,
        step: 3,
        config,
        hooks: {
          auxiliaryLoss: (context) => poisoned(context.model.parameters.variables()[0]),
        },
      }),
    TrainingDivergedError,
    "gradient norm is NaN at epoch 1, step 3 (loss ",
  );
  assertEquals(weights(), before, "no update after a NaN gradient norm");
  // The message names the total loss (L_rec + 0.5), not L_rec alone: with the weights untouched
  // and the same step seed, a step without the term measures the same L_rec.
  const named = Number(/\(loss ([^)]+)\)/.exec(error.message)?.[1]);
  const { recommendation } = await trainStep({ model, optimizer: adam, batch, step: 3, config });
  assert(Number.isFinite(recommendation) && Number.isFinite(named), error.message);
  assertAlmostEquals(named, recommendation + 0.5, 1e-5);
  adam.dispose();
  model.dispose();
});
