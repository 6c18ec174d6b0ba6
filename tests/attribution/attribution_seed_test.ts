/**
 * The attribution and the explanations draw nothing: every method's result for a batch is the
 * same bits every time, whatever dropout seed the model was last given (the attribution runs the
 * model without dropout), whatever ran in between, and when two attributions run at once. So
 * Demure's masks depend on the run's seeds only through the trained weights.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { attributeBatch } from "../../lib/attribution/attribute_batch.ts";
import { ATTRIBUTION_METHODS } from "../../lib/attribution/types.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { explainRecommendations } from "../../lib/explain/explain.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SEEDED_SPLIT, seededRun } from "../train/_seeded_run.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

/** Dropout high, so that a pass that used it would read differently under another seed. */
const MODEL = { dim: 8, maxLength: 6, seed: 3, sasrec: { blocks: 1, heads: 2, dropout: 0.5 } };
const [batch] = trainingBatches(SEEDED_SPLIT, 0, { batchSize: 4, seed: 0, shuffle: false });

for (const method of ATTRIBUTION_METHODS) {
  Deno.test(`attributeBatch (${method}): the same bits whatever the dropout seed and what ran before`, async () => {
    const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
    try {
      const config = { method, integratedGradientsSteps: 4 };
      model.setDropoutSeed(1);
      const first = await attributeBatch(model, batch, config);
      model.setDropoutSeed(2);
      await seededRun(MODEL, 5, {}, 6); // a seeded run of another model in between
      const before = tf.memory().numTensors;
      const [again, alongside] = await Promise.all([
        attributeBatch(model, batch, config),
        attributeBatch(model, batch, config),
      ]);
      assertBitIdentical(again, first);
      assertBitIdentical(alongside, first);
      assertEquals(tf.memory().numTensors, before);
    } finally {
      model.dispose();
    }
  });
}

Deno.test("explainRecommendations: the same recommendations and reasons whatever the dropout seed", async () => {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
  try {
    const explain = async () => {
      const { recommendations, histories } = await explainRecommendations(model, SEEDED_SPLIT, {
        users: 4,
      });
      return { recommendations, rows: histories.rows() };
    };
    model.setDropoutSeed(1);
    const first = await explain();
    model.setDropoutSeed(2);
    await seededRun(MODEL, 5, {}, 6);
    assertBitIdentical(await explain(), first);
    assertEquals(first.recommendations.length, 4);
  } finally {
    model.dispose();
  }
});
