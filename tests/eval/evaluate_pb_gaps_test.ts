/**
 * evaluateRanking behaviour that mutation round PB found unpinned: falsy-but-present settings are
 * validated, not skipped; a users filter reads only the listed users; a sampled negative that is
 * no whole item id is named as foreign; the card keeps the loss exactly as given.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { evaluateRanking, type EvaluationConfig } from "../../lib/eval/evaluate.ts";
import type { Scorer } from "../../lib/eval/scorer.ts";
import { sampleEvaluationNegatives } from "../../lib/eval/sampled_negatives.ts";
import type { LeaveOneOutSplit } from "../../lib/data/types.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";
import { tableScorer } from "./_table_scorer.ts";

// 3 users over 8 items; user u walks u, u+1, ..., u+4: train = [u, u+1, u+2], valid u+3, test u+4.
const split = leaveOneOut(cycleDataset(3, 8, 5));

const flat = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);

Deno.test('falsy settings are validated, not taken as absent: loss 0, seed NaN, cut-offs a string, ranking or stage ""', async () => {
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  const bad: [Record<string, unknown>, string, string][] = [
    // `if (config.loss)` let 0 through, and the card printed a number as the loss.
    [{ loss: 0 }, "EvaluationConfig.loss", "a string"],
    // `if (config.seed)` let NaN through to the card.
    [{ seed: Number.NaN }, "EvaluationConfig.seed", "NaN"],
    // A string has a length and is no list: it is refused as the setting, not a TypeError.
    [{ cutoffs: "10" }, "EvaluationConfig.cutoffs", "a non-empty list"],
    // `if (config.ranking)` let "" through: history silently kept, the card naming protocol "".
    [{ ranking: "" }, "EvaluationConfig.ranking", '""'],
    [{ stage: "" }, "EvaluationConfig.stage", '""'],
    // Sampled ranking refuses any protocol given with it, the empty one too.
    [{ sampled: negatives, ranking: "" }, "EvaluationConfig.ranking", "undefined with"],
    // The ranking is checked before the cut-offs: their range depends on it (here 1 + 3).
    [
      { sampled: negatives, ranking: "history_kept", cutoffs: [1000] },
      "EvaluationConfig.ranking",
      "undefined with",
    ],
  ];
  for (const [fields, setting, text] of bad) {
    let scored = 0;
    const scorer: Scorer = {
      ...tableScorer(flat),
      score: (batch) => (scored++, tableScorer(flat).score(batch)),
    };
    const error = await assertRejects(
      () => evaluateRanking(scorer, split, { stage: "test", ...fields } as EvaluationConfig),
      SettingError,
    ) as SettingError;
    assertEquals(error.setting, setting, error.message);
    assertStringIncludes(error.message, text);
    assertEquals(scored, 0, "rejected before any scoring");
  }
});

Deno.test("users null, a number or a string is refused as a SettingError naming users, not read as every user", async () => {
  // Array.from(null) was a bare TypeError naming no setting (left open by mutation round PB).
  for (const users of [null, 3, "12"]) {
    const error = await assertRejects(
      () =>
        evaluateRanking(tableScorer(flat), split, {
          stage: "test",
          users,
        } as unknown as EvaluationConfig),
      SettingError,
    ) as SettingError;
    assertStringIncludes(error.setting, "users");
    assertStringIncludes(error.message, "a non-empty list of internal user ids");
  }
});

Deno.test("the card keeps the loss exactly as given, the empty string included", async () => {
  const result = await evaluateRanking(tableScorer(flat), split, { stage: "test", loss: "" });
  assertEquals(result.protocol.loss, "");
});

Deno.test("a users filter reads only the listed users: another user's empty history is not refused", async () => {
  const split5 = leaveOneOut(cycleDataset(5, 10, 5));
  const emptied: LeaveOneOutSplit = {
    ...split5,
    train: split5.train.map((items, user) => user === 1 ? new Int32Array(0) : items),
  };
  const table = [0, 1, 2, 3, 4].map(() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const scorer: Scorer = { ...tableScorer(table), numItems: 10 };
  // User 1 sits between the listed users 0 and 2, in the same chunk.
  const result = await evaluateRanking(scorer, emptied, {
    stage: "valid",
    users: Int32Array.of(0, 2),
    chunkSize: 4,
  });
  assertEquals(Array.from(result.users), [0, 2]);
  await assertRejects(
    () => evaluateRanking(scorer, emptied, { stage: "valid", users: Int32Array.of(1) }),
    Error,
    "evaluateRanking: user u1 has an empty history",
  );
});

Deno.test("a sampled negative that is no whole item id (1.5) is named as foreign to the dataset", async () => {
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  const broken = {
    ...negatives,
    negatives: negatives.negatives.map((items, user) =>
      user === 2 ? [1.5, ...items.slice(1)] : items
    ),
  };
  const error = await assertRejects(
    () => evaluateRanking(tableScorer(flat), split, { stage: "test", sampled: broken }),
    Error,
    "table scores its sampled negative #0, item 1.5 (not an item id of this dataset's 8 items) " +
      "undefined for user u2",
  );
  assertEquals(error.cause !== undefined, true);
});
