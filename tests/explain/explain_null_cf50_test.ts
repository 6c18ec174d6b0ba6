/**
 * `ExplainOptions` fills its defaults by the rule of every configuration object
 * (docs/configuration.md): a setting left out or given as `undefined` takes
 * `DEFAULT_EXPLAIN_OPTIONS`' value, and `null` is a value, refused with a `SettingError` naming the
 * setting, the value and what is allowed. `{ users: null }` explained the first 8 users, and a null
 * method, reasons or explain ran the default, silently.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import {
  DEFAULT_EXPLAIN_OPTIONS,
  type ExplainOptions,
  explainRecommendations,
} from "../../lib/explain/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SettingError } from "../../lib/util/settings.ts";

await initBackend({ verbose: false });

const { split } = await prepareDataset({
  kind: "synthetic",
  config: { numUsers: 40, numItems: 30, historyLength: 8 },
});

Deno.test("ExplainOptions: null is refused for every setting, naming it, the value and what is allowed", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: split.maxLength });
  try {
    const users = split.train.length;
    const cases: [keyof ExplainOptions, string][] = [
      ["users", `an integer >= 1 and <= ${users}, or a list of internal user ids`],
      ["method", 'one of "gradient_x_input"'],
      ["reasons", "an integer >= 1"],
      ["explain", 'one of "recommendation", "history"'],
    ];
    for (const [field, allowed] of cases) {
      const options = { [field]: null } as unknown as ExplainOptions;
      const error = await assertRejects(
        () => explainRecommendations(model, split, options),
        SettingError,
        `ExplainOptions.${field} is null; allowed: ${allowed}`,
      ) as SettingError;
      assertEquals([error.setting, error.value], [`ExplainOptions.${field}`, null]);
    }
  } finally {
    model.dispose();
  }
});

Deno.test("ExplainOptions: left out or undefined is DEFAULT_EXPLAIN_OPTIONS", async () => {
  assertEquals(DEFAULT_EXPLAIN_OPTIONS, {
    users: 8,
    method: "gradient_x_input",
    reasons: 3,
    explain: "recommendation",
  });
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: split.maxLength });
  try {
    const undefinedOnes = await explainRecommendations(model, split, {
      users: undefined,
      method: undefined,
      reasons: undefined,
      explain: undefined,
    });
    assertEquals(undefinedOnes.recommendations.length, 8);
    assertEquals(undefinedOnes.method, "gradient_x_input");
    assertEquals(undefinedOnes.explain, "recommendation");
    for (const recommendation of undefinedOnes.recommendations) {
      assertEquals(recommendation.reasons.length, 3);
    }
    const leftOut = await explainRecommendations(model, split);
    assertEquals(leftOut.recommendations, undefinedOnes.recommendations);
  } finally {
    model.dispose();
  }
});
