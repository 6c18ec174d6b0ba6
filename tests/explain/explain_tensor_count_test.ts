/**
 * explainRecommendations (and what it returns: AttributedHistories' views, rowsTable, rowsFrame,
 * describeRecommendation) leaves no tensor behind, for every attribution method and explanation
 * target, and neither does a refusal: a bad option, or a user with every item already (refused
 * after the scores were read).
 */
import { assert } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ATTRIBUTION_METHODS } from "../../lib/attribution/types.ts";
import {
  describeRecommendation,
  explainRecommendations,
  EXPLANATION_TARGETS,
  rowsTable,
} from "../../lib/explain/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { cycleDataset, leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { assertFlatTensorCount, assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

Deno.test("explainRecommendations leaves no tensor, for every method and target, views included", async () => {
  const split = leaveOneOut(tinyDataset(), 4);
  for (const backbone of ["sasrec", "gru4rec"] as const) {
    const model = new SequentialRecommender(split.dataset, { backbone, dim: 8, maxLength: 4 });
    try {
      for (const method of ATTRIBUTION_METHODS) {
        for (const explain of EXPLANATION_TARGETS) {
          await assertFlatTensorCount(`${backbone} ${method} ${explain}`, async () => {
            const { recommendations, histories } = await explainRecommendations(model, split, {
              users: 2,
              method,
              explain,
            });
            // The views read the host copy of the attribution: no tensor either.
            assert(describeRecommendation(recommendations[0]).includes("user u0"));
            assert(rowsTable(histories.rows()).rows.length > 0);
            histories.byModality();
          });
        }
      }
    } finally {
      model.dispose();
    }
  }
});

Deno.test("explainRecommendations' refusals leave no tensor", async () => {
  const split = leaveOneOut(tinyDataset(), 4);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4 });
  try {
    await assertRefusalFlat(
      "users out of range",
      () => explainRecommendations(model, split, { users: 5 }),
      SettingError,
      "ExplainOptions.users",
    );
    await assertRefusalFlat(
      "unknown user id",
      () => explainRecommendations(model, split, { users: [0, 9] }),
      SettingError,
      "ExplainOptions.users",
    );
  } finally {
    model.dispose();
  }
  // Refused after the model scored the batch: the scores' tensor is freed all the same.
  const full = leaveOneOut(cycleDataset(2, 4, 6), 4);
  const small = new SequentialRecommender(full.dataset, { dim: 8, maxLength: 4 });
  try {
    await assertRefusalFlat(
      "every item seen",
      () => explainRecommendations(small, full, { users: 1 }),
      Error,
      "has every item already",
    );
  } finally {
    small.dispose();
  }
});
