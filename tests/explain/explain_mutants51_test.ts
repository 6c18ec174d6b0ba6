/**
 * explainRecommendations, a mutant that survived the explain tests: when users come as a list, a
 * user who has every item already is named by its own id, not by the id of the user at its row's
 * index (every earlier test asked for the first users, whose row and index agree).
 */
import { assertNotEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { explainRecommendations } from "../../lib/explain/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("explainRecommendations: users as a list: a user with every item already is named by its own id", async () => {
  // 4 items, histories of 6 over a cycle: every user's train, validation and test cover all 4.
  const split = leaveOneOut(cycleDataset(3, 4, 6), 4);
  const { userIds } = split.dataset;
  assertNotEquals(userIds[2], userIds[0]);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4 });
  try {
    const error = await assertRejects(
      () => explainRecommendations(model, split, { users: [2] }),
      Error,
      `user ${userIds[2]} has every item already`,
    );
    assertNotEquals(error.message.includes(`user ${userIds[0]} `), true);
  } finally {
    model.dispose();
  }
});
