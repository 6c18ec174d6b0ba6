/**
 * Audit (session 49): sampled-negative evaluation. A count above the fewest unseen items of any
 * user is a SettingError naming the setting, the value and the allowed range, before anything is
 * drawn or written; negatives handed to the evaluation that hold the user's own target or history
 * are refused, not ranked against.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import {
  loadOrCreateSampledNegatives,
  type SampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { settingError } from "../_setting_error.ts";
import { tableScorer } from "./_table_scorer.ts";

// 10 items. User 0 consumed 4 distinct items (6 unseen); user 1, 7 distinct (3 unseen, the
// fewest); user 2, 5 distinct (5 unseen).
const split = leaveOneOutSplit(
  tinyDataset([[0, 1, 2, 3, 0], [0, 1, 2, 3, 4, 5, 6], [9, 8, 7, 6, 5]], 10),
  { maxLength: 4 },
);

Deno.test("count above the fewest unseen items: a SettingError naming count, the range and that user", () => {
  const error = settingError(() => sampleEvaluationNegatives(split, { count: 4, seed: 0 }));
  assertEquals([error.setting, error.value], ["SampledNegativesConfig.count", 4]);
  // The allowed range ends at user 1's 3 unseen items, though user 0 (first) has 6.
  assertEquals(
    error.message,
    "SampledNegativesConfig.count is 4; allowed: an integer >= 1 and <= 3 (sampled ranking: " +
      "user u1 (index 1) has only 3 unseen items, fewer than 4 negatives)",
  );
  // The range's end is accepted, and every user's negatives are then distinct unseen items.
  const drawn = sampleEvaluationNegatives(split, { count: 3, seed: 0 });
  drawn.negatives.forEach((row, user) => {
    assertEquals(new Set(row).size, 3);
    for (const item of row) assert(!split.dataset.sequences[user].includes(item));
  });
  assertEquals([...drawn.negatives[1]].sort(), [7, 8, 9]);
});

Deno.test("count above the fewest unseen items writes no negatives file", () => {
  const folder = Deno.makeTempDirSync();
  try {
    const path = `${folder}/negatives.json`;
    const error = settingError(() =>
      loadOrCreateSampledNegatives(path, split, { count: 7, seed: 2 })
    );
    assertEquals(error.setting, "SampledNegativesConfig.count");
    assertStringIncludes(error.message, "allowed: an integer >= 1 and <= 3");
    assertEquals([...Deno.readDirSync(folder)], []);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("negatives are the seed's: one seed draws the same rows, another seed other rows", () => {
  const rows = (seed: number) => sampleEvaluationNegatives(split, { count: 3, seed }).negatives;
  assertEquals(rows(5), rows(5));
  const seeds = [0, 1, 2, 3, 4, 5].map((seed) => JSON.stringify(rows(seed)));
  assert(new Set(seeds).size > 1, "every seed drew the same negatives");
});

/** The negatives of `split` for the evaluation, with user `user`'s row replaced by `row`. */
function withRow(user: number, row: number[]): SampledNegatives {
  const good = sampleEvaluationNegatives(split, { count: 3, seed: 1 });
  return { ...good, negatives: good.negatives.map((items, u) => (u === user ? row : items)) };
}

const scores = [0, 1, 2].map(() => [5, 4, 3, 2, 1, 0, 1, 2, 3, 4]);

Deno.test("evaluation refuses negatives that hold the user's target or history, naming the row", async () => {
  // User 2 walks 9, 8, 7, 6, 5: test target 5, validation target 6, history 9, 8, 7.
  const cases: [number[], string][] = [
    [[5, 0, 1], "negatives[2][0] = 5 is the user's test target"],
    [[0, 6, 1], "negatives[2][1] = 6 is the user's validation target"],
    [[0, 1, 9], "negatives[2][2] = 9 is in the user's training history"],
    [[0, 1, 1], "negatives[2][2] = 1 repeats negatives[2][1]"],
    [[0, 1], "negatives[2] holds 2 negatives, expected 3"],
  ];
  for (const [row, problem] of cases) {
    for (const stage of ["valid", "test"] as const) {
      const error = await assertRejects(
        () => evaluateRanking(tableScorer(scores), split, { stage, sampled: withRow(2, row) }),
        SettingError,
      );
      assertEquals((error as SettingError).setting, "EvaluationConfig.sampled.negatives[2]");
      assertEquals((error as SettingError).value, row);
      assertStringIncludes(
        error.message,
        `allowed: 3 distinct items that user u2 (index 2) never interacted with, as the sampler ` +
          `draws them (here ${problem})`,
      );
    }
  }
  // The sampler's own rows are ranked.
  const good = sampleEvaluationNegatives(split, { count: 3, seed: 1 });
  const result = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    sampled: good,
  });
  assertEquals(result.ranks.length, 3);
});

Deno.test("evaluation refuses negatives that count none: every target would rank first", async () => {
  const good = sampleEvaluationNegatives(split, { count: 3, seed: 1 });
  const none: SampledNegatives = { ...good, count: 0, negatives: good.negatives.map(() => []) };
  const error = await assertRejects(
    () => evaluateRanking(tableScorer(scores), split, { stage: "test", sampled: none }),
    SettingError,
  );
  assertEquals((error as SettingError).setting, "EvaluationConfig.sampled.count");
  assertStringIncludes(
    error.message,
    "EvaluationConfig.sampled.count is 0; allowed: an integer >= 1",
  );
});
