/**
 * A user who has every item already gets no recommendation: explainRecommendations says so instead
 * of passing the search's "none found" (-1) on as an item id.
 */
import { assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { explainRecommendations } from "../../lib/explain/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("explainRecommendations: a user with every item already is refused by name", async () => {
  // 4 items, histories of 6 over a cycle: every user's train, validation and test cover all 4.
  const split = leaveOneOut(cycleDataset(2, 4, 6), 4);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4 });
  try {
    await assertRejects(
      () => explainRecommendations(model, split, { users: 1 }),
      Error,
      `user ${split.dataset.userIds[0]} has every item already`,
    );
  } finally {
    model.dispose();
  }
});
