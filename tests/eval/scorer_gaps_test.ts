/**
 * modelScorer reads a batch's scores off the device and frees the score tensor: an evaluation
 * scores every user in chunks, and a tensor kept per chunk would grow device memory with the
 * number of users.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("modelScorer: scoring a batch leaves no tensor behind", async () => {
  const split = leaveOneOut(tinyDataset());
  const model = new SequentialRecommender(split.dataset, { dim: 8, seed: 2 });
  try {
    const scorer = modelScorer(model);
    const batch = {
      users: Int32Array.of(0, 1),
      items: Int32Array.of(0, 1, 2, 1, 2, 3),
      valid: Float32Array.of(1, 1, 1, 1, 1, 1),
      batchSize: 2,
      length: 3,
    };
    await scorer.score(batch); // a first call may build what the model keeps (not per batch)
    const before = tf.memory().numTensors;
    const scores = await scorer.score(batch);
    assertEquals(scores.length, 2 * model.numItems);
    assertEquals(tf.memory().numTensors, before, "the score tensor is freed");
  } finally {
    model.dispose();
  }
});
