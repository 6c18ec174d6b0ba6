import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { evaluateRanking, type EvaluationConfig } from "../../lib/eval/evaluate.ts";
import { NonFiniteScoreError } from "../../lib/eval/metrics.ts";
import { formatProtocol } from "../../lib/eval/protocol.ts";
import type { Scorer } from "../../lib/eval/scorer.ts";
import {
  loadOrCreateSampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";
import { tableScorer } from "./_table_scorer.ts";

// 3 users over 8 items; user u walks u, u+1, ..., u+4: train = [u, u+1, u+2], valid u+3, test u+4.
const split = leaveOneOut(cycleDataset(3, 8, 5));

Deno.test("full ranking: history excluded by default, kept on request, ties pessimistic", async () => {
  // user 0: test target 4 (history 0,1,2,3). user 1: target 5. user 2: target 6.
  const scores = [
    [9, 9, 9, 9, 5, 5, 1, 0], // above: none after excluding 0..3; tie with item 5 -> rank 1
    [0, 0, 0, 0, 0, 3, 7, 7], // items 6, 7 above -> rank 2
    [0, 0, 0, 0, 0, 0, 8, 0], // top -> rank 0
  ];
  const result = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    cutoffs: [1, 2],
  });
  assertEquals(Array.from(result.ranks), [1, 2, 0]);
  assertEquals(Array.from(result.perUser["HR@2"]), [1, 0, 1]);
  assertAlmostEquals(result.metrics["HR@1"], 1 / 3, 1e-12);
  assertAlmostEquals(result.metrics.MRR, (1 / 2 + 1 / 3 + 1) / 3, 1e-12);
  assertAlmostEquals(result.metrics["NDCG@2"], (1 / Math.log2(3) + 0 + 1) / 3, 1e-12);
  assertStringIncludes(result.protocol.ranking, "history items excluded");
  const kept = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    ranking: "history_kept",
  });
  assertEquals(kept.ranks[0], 5); // items 0..3 (9) and item 5 (tie) ahead
  assertStringIncludes(kept.protocol.ranking, "KEPT");
  // Validation excludes the training items only: user 0's target 3 ties with items 0..2 -> excluded.
  const valid = await evaluateRanking(tableScorer(scores), split, { stage: "valid", chunkSize: 2 });
  assertEquals(valid.ranks[0], 0);
});

Deno.test("sampled ranking: negatives never seen by the user, persisted and reused", async () => {
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  negatives.negatives.forEach((row, user) => {
    assertEquals(new Set(row).size, 3);
    for (const item of row) assertEquals(split.dataset.sequences[user].includes(item), false);
  });
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  Deno.removeSync(path);
  const first = loadOrCreateSampledNegatives(path, split, { count: 3, seed: 4 });
  const second = loadOrCreateSampledNegatives(path, split, { count: 3, seed: 4 });
  assertEquals(second, first);
  assertThrows(
    () => loadOrCreateSampledNegatives(path, split, { count: 3, seed: 5 }),
    Error,
    "seed 4 != 5",
  );
  assertThrows(
    () => sampleEvaluationNegatives(split, { count: 4, seed: 0 }),
    Error,
    "fewer than 4",
  );
  const scores = [[0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]];
  const result = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    sampled: first,
  });
  assertEquals(Array.from(result.ranks), [0, 0, 3]); // user 2: all three negatives tie
  assertStringIncludes(result.protocol.ranking, "SAMPLED");
  Deno.removeSync(path);
});

Deno.test("a non-finite score is an error naming the user, stage and item, full or sampled", async () => {
  // user 1's test target is 5; item 7 (a candidate) scores NaN.
  const scores = [0, 1, 2].map(() => [0, 0, 0, 0, 1, 1, 0, 0]);
  scores[1][7] = Number.NaN;
  const full = await assertRejects(
    () => evaluateRanking(tableScorer(scores), split, { stage: "test" }),
    Error,
    "evaluateRanking (test): table scores item 7 NaN for user u1 (index 1)",
  );
  assert(full.cause instanceof NonFiniteScoreError);
  // A negative id outside the 8 items read undefined and counted below the target.
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  negatives.negatives[2][1] = 8;
  const finite = [0, 1, 2].map(() => [0, 0, 0, 0, 1, 1, 1, 0]);
  await assertRejects(
    () => evaluateRanking(tableScorer(finite), split, { stage: "valid", sampled: negatives }),
    Error,
    "evaluateRanking (valid): table scores its sampled negative #1, item 8 (not an item id of " +
      "this dataset's 8 items) undefined for user u2 (index 2)",
  );
  // A user without a list of negatives is not ranked against all items instead.
  const missing = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  delete (missing.negatives as unknown as Record<number, unknown>)[1];
  await assertRejects(
    () => evaluateRanking(tableScorer(finite), split, { stage: "valid", sampled: missing }),
    Error,
    "evaluateRanking (valid): the sampled negatives hold no list for user u1 (index 1)",
  );
});

Deno.test("protocol card: a loss or seed not given reads unstated, never a made-up value", async () => {
  const scores = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  const bare = await evaluateRanking(tableScorer(scores), split, { stage: "test" });
  // Was loss "none" and seed 0: a trained model's card then stated a false protocol.
  assertEquals([bare.protocol.loss, bare.protocol.seed], [undefined, undefined]);
  assertEquals("loss" in bare.protocol || "seed" in bare.protocol, false);
  const card = formatProtocol(bare.protocol);
  assertStringIncludes(card, "loss: unstated");
  assertStringIncludes(card, "stage: test, seed: unstated");
  const stated = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    loss: "none",
    seed: 0,
  });
  assertEquals([stated.protocol.loss, stated.protocol.seed], ["none", 0]);
  assertStringIncludes(formatProtocol(stated.protocol), "stage: test, seed: 0");
});

Deno.test("timers run during a long evaluation: a turn of the event loop every second", async () => {
  // A cell claim's heartbeat and the Ctrl-C listener that gives the claim up are event-loop tasks;
  // a scorer's reads never reach the event loop. Each chunk sleeps 600 ms (without the CPU).
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const table = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  let timerFired = false;
  let firedBeforeChunk: number | undefined;
  let chunks = 0;
  const slow: Scorer = {
    name: "slow",
    numItems: 8,
    score: (batch: SequenceBatch) => {
      if (chunks === 0) setTimeout(() => timerFired = true, 0);
      if (timerFired && firedBeforeChunk === undefined) firedBeforeChunk = chunks;
      Atomics.wait(sleeper, 0, 0, 600);
      chunks++;
      return tableScorer(table).score(batch);
    },
  };
  await evaluateRanking(slow, split, { stage: "test", chunkSize: 1 });
  assertEquals(chunks, 3);
  // Before the last chunk (a turn once a second has passed), not only after the evaluation.
  assert(firedBeforeChunk !== undefined, "the timer set at the first chunk ran during the loop");
});

/** The `SettingError` `evaluation` rejects with (fails on any other outcome). */
async function settingErrorOf(evaluation: () => Promise<unknown>): Promise<SettingError> {
  return await assertRejects(evaluation, SettingError) as SettingError;
}

Deno.test("bad evaluation settings: a SettingError naming EvaluationConfig's field, nothing run", async () => {
  const scores = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  const bad: [Record<string, unknown>, string, string][] = [
    // A cut-off past the 8 items counts every target a hit (HR@1000 was 1).
    [{ cutoffs: [1000] }, "EvaluationConfig.cutoffs[0]", "<= 8"],
    [{ cutoffs: [5, 0] }, "EvaluationConfig.cutoffs[1]", "integer >= 1"],
    [{ cutoffs: [-5] }, "EvaluationConfig.cutoffs[0]", "-5"],
    [{ cutoffs: [2.5] }, "EvaluationConfig.cutoffs[0]", "2.5"],
    [{ cutoffs: [5, 5] }, "EvaluationConfig.cutoffs", "distinct"],
    // No metric at all was computed: empty metrics, silently.
    [{ cutoffs: [] }, "EvaluationConfig.cutoffs", "a non-empty list"],
    [{ ranking: "bogus" }, "EvaluationConfig.ranking", '"bogus"'],
    [{ stage: "train" }, "EvaluationConfig.stage", '"train"'],
    [{ chunkSize: 0 }, "EvaluationConfig.chunkSize", "0"],
    [{ cutof: [5] }, "EvaluationConfig.cutof", "one of the settings stage, cutoffs"],
    [{ users: new Int32Array([0, 99]) }, "EvaluationConfig.users[1]", "<= 2"],
    [{ users: new Int32Array(0) }, "EvaluationConfig.users", "non-empty"],
    // A repeated id was dropped: two users evaluated where three were listed.
    [
      { users: new Int32Array([2, 0, 2]) },
      "EvaluationConfig.users[2]",
      "user 2 is already at index 0",
    ],
    [{ seed: -1 }, "EvaluationConfig.seed", "-1"],
    [{ seed: 2 ** 31 }, "EvaluationConfig.seed", "2147483648"],
    // The card would print a number or an object as the training loss's description.
    [{ loss: 5 }, "EvaluationConfig.loss", "a string"],
  ];
  for (const [fields, setting, text] of bad) {
    let scored = 0;
    const scorer: Scorer = {
      ...tableScorer(scores),
      score: (batch) => (scored++, tableScorer(scores).score(batch)),
    };
    const error = await settingErrorOf(
      () => evaluateRanking(scorer, split, { stage: "test", ...fields } as EvaluationConfig),
    );
    assertEquals(error.setting, setting, error.message);
    assertStringIncludes(error.message, text);
    assertEquals(scored, 0, "rejected before any scoring");
  }
  // Sampled ranking: a full-ranking protocol given too is refused, so are another split's negatives.
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  const withRanking = await settingErrorOf(
    () =>
      evaluateRanking(tableScorer(scores), split, {
        stage: "test",
        sampled: negatives,
        ranking: "history_kept",
      }),
  );
  assertEquals(withRanking.setting, "EvaluationConfig.ranking");
  const otherSplit = leaveOneOut(cycleDataset(4, 8, 5));
  const foreign = await settingErrorOf(
    () => evaluateRanking(tableScorer(scores), otherSplit, { stage: "test", sampled: negatives }),
  );
  assertEquals(foreign.setting, "EvaluationConfig.sampled");
  // Sampled: the target is ranked among 1 + 3 items, so a cut-off of 5 is refused, 4 is not.
  const cutoff = await settingErrorOf(
    () =>
      evaluateRanking(tableScorer(scores), split, {
        stage: "test",
        sampled: negatives,
        cutoffs: [5],
      }),
  );
  assertStringIncludes(cutoff.message, "1 + 3 sampled negatives");
  await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    sampled: negatives,
    cutoffs: [4],
  });
  // The whole catalogue is the largest cut-off of full ranking.
  const all = await evaluateRanking(tableScorer(scores), split, { stage: "test", cutoffs: [8] });
  assertEquals(all.metrics["HR@8"], 1);
});

Deno.test("sampled negatives for fewer users than the split are a SettingError, before any scoring", async () => {
  // Same dataset (fingerprint matches) but the list stops after user 1: user 2 would have no
  // negatives. The config check must refuse it up front, not fail midway after scoring.
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  const short = { ...negatives, negatives: negatives.negatives.slice(0, 2) };
  let scored = 0;
  const scorer: Scorer = {
    ...tableScorer([[0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0], new Array(8).fill(0)]),
    score: (batch: SequenceBatch) => {
      scored++;
      return new Float32Array(batch.batchSize * 8);
    },
  };
  const error = await assertRejects(
    () => evaluateRanking(scorer, split, { stage: "test", sampled: short }),
    SettingError,
    "for 2 users",
  ) as SettingError;
  assertEquals(error.setting, "EvaluationConfig.sampled");
  assertEquals(scored, 0);
});

Deno.test("history_excluded excludes the WHOLE history, also items older than the model's window", async () => {
  // 1 user over 8 items walking 0..5, maxLength 2: train [0, 1, 2, 3], valid 4, test 5. The model
  // reads only the last 2 items, but items 0..4 are all the user's history at the test stage.
  // Scores: item 0 = 9 (oldest history item), 6 = 7, target 5 = 5, the rest 0. Candidates are
  // 5, 6, 7: only item 6 is above the target, rank 1. (Excluding only the window's items would
  // leave items 0 and 1 in: rank 2.)
  const long = leaveOneOut(cycleDataset(1, 8, 6), 2);
  const result = await evaluateRanking(tableScorer([[9, 0, 0, 0, 0, 5, 7, 0]]), long, {
    stage: "test",
  });
  assertEquals(Array.from(result.ranks), [1]);
});

Deno.test("a score matrix of the wrong size is an error naming the scorer and both shapes", async () => {
  // Each user's test target tops its own row, read correctly every rank is 0. One extra leading
  // column (a padding item 0) makes rows 9 wide: read with stride 8, the ranks were [3, 3, 3].
  const padded: Scorer = {
    name: "padded",
    numItems: 8,
    score: (batch: SequenceBatch) => {
      const out = new Float32Array(batch.batchSize * 9);
      for (let row = 0; row < batch.batchSize; row++) {
        for (let i = 0; i < 9; i++) out[row * 9 + i] = 0.1 * i;
        out[row * 9 + 1 + split.testTarget[batch.users[row]]] = 100;
      }
      return out;
    },
  };
  await assertRejects(
    () => evaluateRanking(padded, split, { stage: "test", ranking: "history_kept" }),
    Error,
    "evaluateRanking (test): scorer padded returned 27 scores for a batch of 3 users; expected " +
      "3 users x 8 items = 24",
  );
  // One score short per row: refused the same way, not only when an undefined hits a candidate.
  const short: Scorer = {
    name: "short",
    numItems: 8,
    score: (batch: SequenceBatch) => new Float32Array(batch.batchSize * 7),
  };
  await assertRejects(
    () => evaluateRanking(short, split, { stage: "valid", chunkSize: 2 }),
    Error,
    "scorer short returned 14 scores for a batch of 2 users; expected 2 users x 8 items = 16",
  );
});

Deno.test("an absent stage is the documented default, test: test targets, test history", async () => {
  // User 0's validation item 3 scores above its test target 4: only the test stage excludes it.
  const scores = [[0, 0, 0, 5, 4, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 1, 0]];
  // A config read from a file or a JS caller may leave `stage` out.
  const bare = await evaluateRanking(tableScorer(scores), split, {} as EvaluationConfig);
  const test = await evaluateRanking(tableScorer(scores), split, { stage: "test" });
  const valid = await evaluateRanking(tableScorer(scores), split, { stage: "valid" });
  assertEquals(bare.protocol.stage, "test");
  assertEquals(Array.from(bare.ranks), Array.from(test.ranks));
  assert(Array.from(valid.ranks).join() !== Array.from(test.ranks).join(), "stages must differ");
});

Deno.test("the protocol card names a full-ranking protocol only for full ranking", async () => {
  const scores = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  const full = await evaluateRanking(tableScorer(scores), split, { stage: "test" });
  assertEquals(full.protocol.rankingProtocol, "history_excluded");
  const sampled = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    sampled: sampleEvaluationNegatives(split, { count: 3, seed: 4 }),
  });
  // Sampled ranking has no full-ranking protocol: naming one would misdescribe the numbers.
  assertEquals("rankingProtocol" in sampled.protocol, false);
});

Deno.test("sampled negatives of another dataset with as many users are refused by its fingerprint", async () => {
  // As many users (3) is no proof of the same dataset: another dataset's negatives would rank this
  // split's targets against items the user may have seen, silently. Only the fingerprint tells.
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  const foreign = { ...negatives, datasetFingerprint: "another-dataset" };
  let scored = 0;
  const table = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  const scorer: Scorer = {
    ...tableScorer(table),
    score: (batch) => (scored++, tableScorer(table).score(batch)),
  };
  const error = await settingErrorOf(
    () => evaluateRanking(scorer, split, { stage: "test", sampled: foreign }),
  );
  assertEquals(error.setting, "EvaluationConfig.sampled");
  assertStringIncludes(error.message, "negatives of dataset another-dataset for 3 users");
  assertStringIncludes(error.message, "(cycle-3-8, 3 users)");
  assertEquals(scored, 0);
});

Deno.test("a scorer of another catalogue size is refused before scoring, naming both sizes", async () => {
  // It claims 9 items but returns rows of the dataset's 8: without the check its rows pass the
  // size check (3 x 8) and a model of another catalogue is ranked silently.
  let scored = 0;
  const table = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  const other: Scorer = {
    name: "other",
    numItems: 9,
    score: (batch) => (scored++, tableScorer(table).score(batch)),
  };
  await assertRejects(
    () => evaluateRanking(other, split, { stage: "test" }),
    Error,
    "evaluateRanking: scorer has 9 items, the dataset 8",
  );
  assertEquals(scored, 0);
});

Deno.test("a non-finite score of the target names the target item", async () => {
  // User 0's test target is 4; its score is NaN. The message says it is the target, not any item.
  const scores = [0, 1, 2].map(() => [0, 0, 0, 0, 1, 1, 0, 0]);
  scores[0][4] = Number.NaN;
  const error = await assertRejects(
    () => evaluateRanking(tableScorer(scores), split, { stage: "test" }),
    Error,
    "evaluateRanking (test): table scores its target item 4 NaN for user u0 (index 0)",
  );
  assert(error.cause instanceof NonFiniteScoreError);
});

Deno.test("protocol card: the dataset and ranking lines state the split's own counts and seed", async () => {
  // 3 users, 8 items, 3 x 5 = 15 interactions; 3 negatives drawn with seed 4 (every count differs,
  // so two counts swapped or one counted as another would show).
  const scores = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  const sampled = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    sampled: negatives,
  });
  assertEquals(
    sampled.protocol.dataset,
    "cycle-3x8: 3 users, 8 items, 15 interactions, fingerprint cycle-3-8",
  );
  assertEquals(
    sampled.protocol.ranking,
    "SAMPLED ranking: 1 positive + 3 persisted negatives (seed 4, never interacted), ties pessimistic",
  );
  const full = await evaluateRanking(tableScorer(scores), split, { stage: "test" });
  assertEquals(
    full.protocol.ranking,
    "full ranking over all 8 items, history items excluded [history_excluded], target never " +
      "excluded, ties pessimistic",
  );
});

Deno.test("a non-finite score of sampled negative item 0 names item 0 as an item of the dataset", async () => {
  // User 2 walks 2..6, so its 3 negatives are items 0, 1 and 7. Item 0 is the first id of the
  // catalogue, not an id outside it: only ids < 0 or >= 8 are flagged as foreign.
  const negatives = sampleEvaluationNegatives(split, { count: 3, seed: 4 });
  const index = negatives.negatives[2].indexOf(0);
  assert(index >= 0, "item 0 is among user 2's negatives");
  const scores = [0, 1, 2].map(() => [0, 0, 0, 0, 1, 1, 1, 0]);
  scores[2][0] = Number.NaN;
  const error = await assertRejects(
    () => evaluateRanking(tableScorer(scores), split, { stage: "test", sampled: negatives }),
    Error,
    `evaluateRanking (test): table scores its sampled negative #${index}, item 0 NaN for user u2`,
  );
  assert(!error.message.includes("not an item id"), error.message);
});

Deno.test("cut-offs are taken as given: unsorted, more than three, each metric at its own K", async () => {
  // Ranks [1, 2, 0] (the scores of the first test, history excluded). With cutoffs [8, 1, 3, 2]:
  // HR@1 = [0, 0, 1] -> 1/3, HR@2 = [1, 0, 1] -> 2/3, HR@3 = HR@8 = 1.
  // NDCG@K = 1 / log2(rank + 2) for rank < K: rank 1 -> 1 / log2(3), rank 2 -> 1 / log2(4) = 1/2,
  // rank 0 -> 1. NDCG@3 = (1 / log2(3) + 1/2 + 1) / 3; NDCG@2 drops the 1/2; NDCG@1 = 1/3.
  const result = await evaluateRanking(
    tableScorer([[9, 9, 9, 9, 5, 5, 1, 0], [0, 0, 0, 0, 0, 3, 7, 7], [0, 0, 0, 0, 0, 0, 8, 0]]),
    split,
    { stage: "test", cutoffs: [8, 1, 3, 2] },
  );
  assertEquals(Object.keys(result.metrics), [
    "HR@8",
    "HR@1",
    "HR@3",
    "HR@2",
    "NDCG@8",
    "NDCG@1",
    "NDCG@3",
    "NDCG@2",
    "MRR",
  ]);
  assertEquals(Object.keys(result.perUser), Object.keys(result.metrics));
  const l3 = 1 / Math.log2(3);
  const expected: Record<string, number> = {
    "HR@8": 1,
    "HR@1": 1 / 3,
    "HR@3": 1,
    "HR@2": 2 / 3,
    "NDCG@8": (l3 + 0.5 + 1) / 3,
    "NDCG@1": 1 / 3,
    "NDCG@3": (l3 + 0.5 + 1) / 3,
    "NDCG@2": (l3 + 1) / 3,
    MRR: (1 / 2 + 1 / 3 + 1) / 3,
  };
  for (const [name, value] of Object.entries(expected)) {
    assertAlmostEquals(result.metrics[name], value, 1e-12, name);
  }
});

Deno.test("validation ranks the later test item as a candidate: only the training items are excluded", async () => {
  // User u: train [u, u+1, u+2], valid target u+3, test item u+4 (not yet seen at validation,
  // so a candidate like any other item; excluding it would lift every validation rank).
  // user 0: target 3 (5), test item 4 above (9) -> rank 1.
  // user 1: target 4 (5), test item 5 and item 6 above (9) -> rank 2.
  // user 2: target 5 (4), test item 6 tied (4), counted ahead (pessimistic) -> rank 1.
  const result = await evaluateRanking(
    tableScorer([[0, 0, 0, 5, 9, 0, 0, 0], [0, 0, 0, 0, 5, 9, 9, 0], [0, 0, 0, 0, 0, 4, 4, 0]]),
    split,
    { stage: "valid", cutoffs: [1, 2] },
  );
  assertEquals(Array.from(result.ranks), [1, 2, 1]);
  assertAlmostEquals(result.metrics.MRR, (1 / 2 + 1 / 3 + 1 / 2) / 3, 1e-12);
  assertAlmostEquals(result.metrics["HR@2"], 2 / 3, 1e-12);
});
