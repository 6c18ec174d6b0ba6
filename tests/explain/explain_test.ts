/**
 * explainRecommendations recommends, for each user, the model's best item the user does not have
 * yet (the evaluation's rule), and gives the strongest reasons in order.
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose } from "../../lib/backend/read_values.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { describeRecommendation, explainRecommendations } from "../../lib/explain/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";

await initBackend({ verbose: false });

Deno.test("explainRecommendations: top unseen item per user, reasons strongest first", async () => {
  const data = await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 40, numItems: 30, historyLength: 8 },
  });
  const { split } = data;
  const model = new SequentialRecommender(split.dataset, { dim: 16, maxLength: split.maxLength });
  try {
    const { recommendations, histories } = await explainRecommendations(model, split, {
      users: 5,
      reasons: 4,
    });
    assertEquals(recommendations.length, 5);
    const { batch } = evaluationBatches(split, "test", 5)[0];
    const scores = await readAndDispose(model.scoreLast(batch));
    for (const [row, recommendation] of recommendations.entries()) {
      const user = recommendation.userIndex;
      const seen = new Set([...split.train[user], split.validTarget[user]]);
      assert(!seen.has(recommendation.itemIndex), "a seen item was recommended");
      const best = Math.max(
        ...Array.from({ length: model.numItems - 1 }, (_, i) => i + 1)
          .filter((item) => !seen.has(item))
          .map((item) => scores[row * model.numItems + item]),
      );
      assertEquals(scores[row * model.numItems + recommendation.itemIndex], best);
      assertEquals(recommendation.reasons.length, 4);
      const values = recommendation.reasons.map((reason) => reason.normalised);
      assertEquals(values, [...values].sort((a, b) => b - a));
      assertEquals(values[0], Math.max(...histories.rows({ user }).map((r) => r.normalised)));
      assert(describeRecommendation(recommendation).startsWith(`user ${recommendation.user}: `));
    }
  } finally {
    model.dispose();
  }
});
