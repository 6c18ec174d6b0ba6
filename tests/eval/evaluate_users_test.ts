/**
 * evaluateRanking over several chunks of users: every chunk continues where the previous ended,
 * the history mask of one user never leaks into the next user's ranking, and an empty history is
 * refused rather than ranked.
 */
import { assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import type { LeaveOneOutSplit } from "../../lib/data/types.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";
import { tableScorer } from "./_table_scorer.ts";

Deno.test("evaluation chunks continue the user order: chunk size 2 over 5 users equals one chunk", async () => {
  // 5 users over 10 items; user u walks u..u+4: train [u, u+1, u+2], valid u+3, test u+4.
  const split = leaveOneOut(cycleDataset(5, 10, 5));
  const chunks = evaluationBatches(split, "test", 2);
  assertEquals(chunks.map((chunk) => Array.from(chunk.batch.users)), [[0, 1], [2, 3], [4]]);
  assertEquals(
    chunks.flatMap((chunk) => Array.from(chunk.targets)),
    Array.from(split.testTarget),
  );
  // Test targets 4..8, each user u with u items scored above its target (none in its history).
  const table = [
    [0, 0, 0, 0, 9, 0, 0, 0, 0, 0], // target 4 on top: rank 0
    [0, 0, 0, 0, 0, 5, 6, 0, 0, 0], // target 5 below item 6: rank 1
    [8, 8, 0, 0, 0, 0, 5, 0, 0, 0], // target 6 below items 0, 1: rank 2
    [9, 8, 7, 0, 0, 0, 0, 1, 0, 0], // target 7 below items 0, 1, 2: rank 3
    [9, 9, 9, 9, 0, 0, 0, 0, 1, 0], // target 8 below items 0..3: rank 4
  ];
  const config = { stage: "test" as const, cutoffs: [1, 5] };
  const chunked = await evaluateRanking(tableScorer(table), split, { ...config, chunkSize: 2 });
  const whole = await evaluateRanking(tableScorer(table), split, { ...config, chunkSize: 256 });
  assertEquals(Array.from(whole.users), [0, 1, 2, 3, 4]);
  assertEquals(Array.from(whole.ranks), [0, 1, 2, 3, 4]);
  assertEquals(Array.from(chunked.users), [0, 1, 2, 3, 4]);
  assertEquals(Array.from(chunked.ranks), Array.from(whole.ranks));
  for (const name of Object.keys(whole.perUser)) {
    assertEquals(Array.from(chunked.perUser[name]), Array.from(whole.perUser[name]), name);
  }
  assertEquals(chunked.metrics, whole.metrics);
});

Deno.test("the history mask is cleared between users: another user's history is ranked", async () => {
  // 3 users over 8 items (user u walks u..u+4). Item 0 is in user 0's test history (0, 1, 2, 3)
  // only; user 1's test history is 1, 2, 3, 4 and its target 5.
  const split = leaveOneOut(cycleDataset(3, 8, 5));
  const table = [
    [9, 9, 9, 9, 5, 5, 1, 0], // history 0..3 excluded; item 5 ties target 4: rank 1
    [9, 0, 0, 0, 0, 3, 7, 7], // items 0, 6, 7 above target 5 (item 0 is NOT its history): rank 3
    [0, 0, 0, 0, 0, 0, 8, 0], // target 6 on top: rank 0
  ];
  for (const chunkSize of [1, 3]) {
    const result = await evaluateRanking(tableScorer(table), split, { stage: "test", chunkSize });
    // Were item 0 still excluded from user 0's mask, user 1 would get rank 2.
    assertEquals(Array.from(result.ranks), [1, 3, 0], `chunk size ${chunkSize}`);
  }
});

Deno.test("an empty training history is refused at the validation stage, naming the user", async () => {
  const base = leaveOneOut(cycleDataset(3, 8, 5));
  const split: LeaveOneOutSplit = {
    ...base,
    train: base.train.map((items, user) => user === 1 ? new Int32Array(0) : items),
  };
  const table = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  await assertRejects(
    () => evaluateRanking(tableScorer(table), split, { stage: "valid" }),
    Error,
    "evaluateRanking: user u1 has an empty history",
  );
});

Deno.test("EvaluationConfig.users: only the listed users are ranked, means over them alone", async () => {
  // The 5-user fixture of the chunk test above: user u's test target u + 4 has u items above it,
  // so ranks are 0..4. Evaluating users 3 and 1 only (in a chunk of 2, so they sit in different
  // chunks) keeps their ranks 3 and 1, in user order. Means are over these 2 users, not all 5:
  // MRR = (1/(3+1) + 1/(1+1)) / 2 = 0.375; HR@1 = 0 (neither on top); HR@5 = 1 (both rank < 5);
  // NDCG@5 = (1/log2(5) + 1/log2(3)) / 2.
  const split = leaveOneOut(cycleDataset(5, 10, 5));
  const table = [
    [0, 0, 0, 0, 9, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 5, 6, 0, 0, 0],
    [8, 8, 0, 0, 0, 0, 5, 0, 0, 0],
    [9, 8, 7, 0, 0, 0, 0, 1, 0, 0],
    [9, 9, 9, 9, 0, 0, 0, 0, 1, 0],
  ];
  const result = await evaluateRanking(tableScorer(table), split, {
    stage: "test",
    cutoffs: [1, 5],
    chunkSize: 2,
    users: Int32Array.of(3, 1),
  });
  assertEquals(Array.from(result.users), [1, 3]);
  assertEquals(Array.from(result.ranks), [1, 3]);
  assertEquals(Array.from(result.perUser.MRR), [1 / 2, 1 / 4]);
  assertAlmostEquals(result.metrics.MRR, 0.375, 1e-12);
  assertEquals(result.metrics["HR@1"], 0);
  assertEquals(result.metrics["HR@5"], 1);
  assertAlmostEquals(result.metrics["NDCG@5"], (1 / Math.log2(5) + 1 / Math.log2(3)) / 2, 1e-12);
  // Users 4 and 0: each is row 0 of its chunk ([0, 1], [2, 3], [4]), and user 2 is row 0 too, so
  // a filter reading the row in the chunk, not the user id, also ranked user 2 (users 3 and 1
  // above are row 1 of theirs, where row and user agree). Ranks 0 and 4: MRR = (1 + 1/5) / 2.
  const ends = await evaluateRanking(tableScorer(table), split, {
    stage: "test",
    cutoffs: [1, 5],
    chunkSize: 2,
    users: Int32Array.of(4, 0),
  });
  assertEquals(Array.from(ends.users), [0, 4]);
  assertEquals(Array.from(ends.ranks), [0, 4]);
  assertAlmostEquals(ends.metrics.MRR, 0.6, 1e-12);
});

Deno.test("a split without users is refused, not reported as metrics of 0", async () => {
  // Found by mutation round AG (AG29): the means over no users divided 0 by max(1, 0) and read 0.
  const split = leaveOneOut(cycleDataset(2, 8, 5));
  const empty: LeaveOneOutSplit = {
    ...split,
    train: [],
    validTarget: new Int32Array(0),
    testTarget: new Int32Array(0),
  };
  for (const stage of ["valid", "test"] as const) {
    await assertRejects(
      () => evaluateRanking(tableScorer([new Array(8).fill(0)]), empty, { stage }),
      Error,
      `evaluateRanking (${stage}): the split has no user to evaluate`,
    );
  }
});
