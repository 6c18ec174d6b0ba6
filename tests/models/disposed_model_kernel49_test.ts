/**
 * A disposed model used again (a notebook cell run again after the one that disposed it, as
 * notebook 03's last cell does) fails with one line saying so and what to do, not tfjs's
 * "variableGrads() expects at least one of the input variables to be trainable" or "Cannot read
 * properties of undefined (reading 'backend')" (lib/models/sequential_recommender.ts).
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SequentialRecommender } from "../../lib/models/mod.ts";
import { trainingBatches } from "../../lib/data/mod.ts";
import { trainModel } from "../../lib/train/mod.ts";
import { evaluateRanking, modelScorer } from "../../lib/eval/mod.ts";
import { attributeBatch } from "../../lib/attribution/mod.ts";
import { cycleDataset, leaveOneOut } from "./_fixtures.ts";

await initBackend({ verbose: false });

const DISPOSED = "this SequentialRecommender was disposed (model.dispose())";

Deno.test("a disposed model: training, evaluation, attribution and its own methods say it was disposed", async () => {
  const split = leaveOneOut(cycleDataset(16, 20, 9), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 16, maxLength: 10, seed: 1 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: false });
  model.dispose();
  model.dispose(); // twice: nothing more to free, no error
  const before = tf.memory().numTensors;
  await assertRejects(
    () => trainModel(model, split, { maxEpochs: 1, batchSize: 4 }),
    Error,
    DISPOSED,
  );
  await assertRejects(
    () => evaluateRanking(modelScorer(model), split, { stage: "test" }),
    Error,
    DISPOSED,
  );
  await assertRejects(() => attributeBatch(model, batch, {}), Error, DISPOSED);
  assertThrows(() => model.forward(batch), Error, DISPOSED);
  assertThrows(() => model.scoreLast(batch), Error, DISPOSED);
  assertThrows(() => model.itemTable(), Error, DISPOSED);
  assertThrows(() => model.trainableVariables(), Error, DISPOSED);
  assertThrows(() => model.presenceOf([0]), Error, DISPOSED);
  tf.tidy(() => {
    const items = tf.zeros([1, 2], "int32") as tf.Tensor2D;
    assertThrows(() => model.embedModalities(items), Error, DISPOSED);
    assertThrows(() => model.presence(items), Error, DISPOSED);
  });
  assertEquals(tf.memory().numTensors, before, "the refused calls leave no tensor behind");
});
