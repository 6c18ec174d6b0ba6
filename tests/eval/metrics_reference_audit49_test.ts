/**
 * Audit (session 49): every number evaluateRanking reports against an independent brute-force
 * reference written from the field's definitions (RecBole's full-sort HR@K, NDCG@K; MRR without a
 * cut-off, as the name says), on random small leave-one-out splits with many tied scores and with
 * repeated items (a target that is also a history item). The reference sorts the candidates and
 * reads the target's position; it shares no code with lib/eval/metrics.ts.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import type { LeaveOneOutSplit } from "../../lib/data/types.ts";
import { evaluateRanking, type EvaluationResult } from "../../lib/eval/evaluate.ts";
import type { RankingProtocol } from "../../lib/eval/protocol.ts";
import {
  type SampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { createRng, type Rng } from "../../lib/util/random.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { tableScorer } from "./_table_scorer.ts";

type Stage = "valid" | "test";
const CUTOFFS = [1, 2, 3, 5];

/** A random split: 2 to 6 users over 6 to 12 items, histories of 3 to 9 (items may repeat). */
function randomSplit(rng: Rng): LeaveOneOutSplit {
  const numItems = 6 + rng.int(7);
  const sequences = Array.from(
    { length: 2 + rng.int(5) },
    () => Array.from({ length: 3 + rng.int(7) }, () => rng.int(numItems)),
  );
  return leaveOneOutSplit(tinyDataset(sequences, numItems), { maxLength: 4 });
}

/** Small integer scores, so ties between the target and other items are common. */
function randomScores(rng: Rng, split: LeaveOneOutSplit): number[][] {
  return split.train.map(() =>
    Array.from({ length: split.dataset.numItems }, () => rng.int(4) - 1)
  );
}

/** The items `user` has consumed before the stage's target: training, plus validation at test. */
function historyAt(split: LeaveOneOutSplit, user: number, stage: Stage): number[] {
  const history = [...split.train[user]];
  if (stage === "test") history.push(split.validTarget[user]);
  return history;
}

/**
 * The target's 0-based position in the candidates sorted by score, best first, the target placed
 * after every candidate it ties with (the pessimistic, conservative order).
 */
function referencePosition(candidates: number[], scores: number[], target: number): number {
  const ordered = [...candidates].sort((a, b) => {
    if (scores[a] !== scores[b]) return scores[b] - scores[a];
    if (a === target) return 1;
    if (b === target) return -1;
    return a - b;
  });
  return ordered.indexOf(target);
}

/** HR@K, NDCG@K (DCG of the top-K list over the ideal DCG of one relevant item) and MRR. */
function referenceMetrics(position: number): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const k of CUTOFFS) {
    let hit = 0;
    let dcg = 0;
    for (let slot = 0; slot < k; slot++) {
      if (slot === position) {
        hit = 1;
        dcg += 1 / Math.log2(slot + 2);
      }
    }
    const idcg = 1 / Math.log2(0 + 2);
    metrics[`HR@${k}`] = hit;
    metrics[`NDCG@${k}`] = dcg / idcg;
  }
  metrics.MRR = 1 / (position + 1);
  return metrics;
}

/** The candidates of `user` under full ranking: the catalogue, less the history if excluded. */
function fullCandidates(
  split: LeaveOneOutSplit,
  user: number,
  stage: Stage,
  protocol: RankingProtocol,
  target: number,
): number[] {
  const history = new Set(historyAt(split, user, stage));
  const candidates: number[] = [];
  for (let item = 0; item < split.dataset.numItems; item++) {
    if (item === target || protocol === "history_kept" || !history.has(item)) {
      candidates.push(item);
    }
  }
  return candidates;
}

/** Asserts that `result` holds the reference's position and metrics for every user, and means. */
function assertMatchesReference(
  result: EvaluationResult,
  split: LeaveOneOutSplit,
  scores: number[][],
  stage: Stage,
  candidatesOf: (user: number, target: number) => number[],
  label: string,
): void {
  const numUsers = split.train.length;
  assertEquals(Array.from(result.users), Array.from({ length: numUsers }, (_, u) => u), label);
  const sums: Record<string, number> = {};
  for (let user = 0; user < numUsers; user++) {
    const target = (stage === "test" ? split.testTarget : split.validTarget)[user];
    const position = referencePosition(candidatesOf(user, target), scores[user], target);
    assertEquals(result.ranks[user], position, `${label}: rank of user ${user}`);
    for (const [name, value] of Object.entries(referenceMetrics(position))) {
      assertAlmostEquals(result.perUser[name][user], value, 1e-12, `${label}: ${name} of ${user}`);
      sums[name] = (sums[name] ?? 0) + value;
    }
  }
  assertEquals(Object.keys(result.metrics).sort(), Object.keys(sums).sort(), label);
  for (const [name, sum] of Object.entries(sums)) {
    assertAlmostEquals(result.metrics[name], sum / numUsers, 1e-12, `${label}: mean ${name}`);
  }
}

Deno.test("full ranking matches the brute-force reference: both protocols, both stages, ties pessimistic", async () => {
  const rng = createRng(4901);
  let tiedTargets = 0;
  let repeatedTargets = 0;
  for (let trial = 0; trial < 60; trial++) {
    const split = randomSplit(rng);
    const scores = randomScores(rng, split);
    for (const stage of ["valid", "test"] as const) {
      for (const protocol of ["history_excluded", "history_kept"] as const) {
        const result = await evaluateRanking(tableScorer(scores), split, {
          stage,
          ranking: protocol,
          cutoffs: CUTOFFS,
          chunkSize: 1 + rng.int(4),
        });
        assertMatchesReference(
          result,
          split,
          scores,
          stage,
          (user, target) => fullCandidates(split, user, stage, protocol, target),
          `trial ${trial} ${stage} ${protocol}`,
        );
      }
      split.train.forEach((_, user) => {
        const target = (stage === "test" ? split.testTarget : split.validTarget)[user];
        const others = scores[user].filter((s, item) =>
          item !== target && s === scores[user][target]
        );
        if (others.length > 0) tiedTargets++;
        if (historyAt(split, user, stage).includes(target)) repeatedTargets++;
      });
    }
  }
  // The random cases did exercise ties and targets repeated from the history.
  assert(tiedTargets > 100, `only ${tiedTargets} tied targets`);
  assert(repeatedTargets > 20, `only ${repeatedTargets} repeated targets`);
});

Deno.test("sampled ranking matches the brute-force reference: the target among its negatives only", async () => {
  const rng = createRng(4902);
  let trials = 0;
  while (trials < 40) {
    const split = randomSplit(rng);
    const fewestUnseen = Math.min(
      ...split.train.map((train, user) =>
        split.dataset.numItems -
        new Set([...train, split.validTarget[user], split.testTarget[user]]).size
      ),
    );
    if (fewestUnseen < 2) continue;
    trials++;
    const count = 1 + rng.int(fewestUnseen);
    const sampled: SampledNegatives = sampleEvaluationNegatives(split, { count, seed: trials });
    const scores = randomScores(rng, split);
    const cutoffs = CUTOFFS.filter((k) => k <= count + 1);
    for (const stage of ["valid", "test"] as const) {
      const result = await evaluateRanking(tableScorer(scores), split, {
        stage,
        sampled,
        cutoffs,
      });
      for (let user = 0; user < split.train.length; user++) {
        const target = (stage === "test" ? split.testTarget : split.validTarget)[user];
        const row = sampled.negatives[user];
        // Never the target, never an item of the user's history (or of its other split).
        assert(!row.includes(split.testTarget[user]) && !row.includes(split.validTarget[user]));
        assert(row.every((item) => !split.train[user].includes(item)));
        const position = referencePosition([target, ...row], scores[user], target);
        assertEquals(result.ranks[user], position, `trial ${trials} ${stage} user ${user}`);
        const reference = referenceMetrics(position);
        for (const k of cutoffs) {
          assertEquals(result.perUser[`HR@${k}`][user], reference[`HR@${k}`]);
          assertAlmostEquals(result.perUser[`NDCG@${k}`][user], reference[`NDCG@${k}`], 1e-12);
        }
        assertAlmostEquals(result.perUser.MRR[user], reference.MRR, 1e-12);
      }
    }
  }
});

Deno.test("chunked evaluation equals unchunked: every chunk size gives the same ranks and metrics", async () => {
  const rng = createRng(4903);
  const sequences = Array.from({ length: 23 }, () => Array.from({ length: 6 }, () => rng.int(15)));
  const split = leaveOneOutSplit(tinyDataset(sequences, 15), { maxLength: 3 });
  const scores = randomScores(rng, split);
  for (const stage of ["valid", "test"] as const) {
    const whole = await evaluateRanking(tableScorer(scores), split, { stage, chunkSize: 1000 });
    for (const chunkSize of [1, 2, 5, 22, 23, 24]) {
      const chunked = await evaluateRanking(tableScorer(scores), split, { stage, chunkSize });
      assertEquals(Array.from(chunked.users), Array.from(whole.users), `chunk ${chunkSize}`);
      assertEquals(Array.from(chunked.ranks), Array.from(whole.ranks), `chunk ${chunkSize}`);
      assertEquals(chunked.metrics, whole.metrics, `chunk ${chunkSize}`);
    }
  }
});

Deno.test("a K above a user's rankable items (history excluded) is a certain hit for that user", async () => {
  // 6 items; user 0 consumed 0..3 before its test target 4, so only items 4 and 5 compete: K = 3
  // is accepted (it is checked against the 6-item catalogue) and HR@3 = 1 whatever the scores.
  // By definition this is right (the target is in a top-3 of 2); the number says nothing of the
  // model for that user. Recorded for the audit report, not changed.
  const split = leaveOneOutSplit(
    tinyDataset([[0, 1, 2, 3, 4], [5, 4, 3, 2, 1]], 6),
    { maxLength: 4 },
  );
  const worst = [[9, 9, 9, 9, -5, 8], [0, 0, 0, 0, 0, 0]];
  const result = await evaluateRanking(tableScorer(worst), split, { stage: "test", cutoffs: [3] });
  assertEquals(result.ranks[0], 1);
  assertEquals(result.perUser["HR@3"][0], 1);
  // With the history kept, the same target is last of 6.
  const kept = await evaluateRanking(tableScorer(worst), split, {
    stage: "test",
    cutoffs: [3],
    ranking: "history_kept",
  });
  assertEquals(kept.ranks[0], 5);
  assertEquals(kept.perUser["HR@3"][0], 0);
});

Deno.test("a constant scorer gets the worst rank among its candidates, never a lucky one", async () => {
  const split = leaveOneOutSplit(tinyDataset([[0, 1, 2, 3], [4, 5, 6, 7]], 10), { maxLength: 4 });
  const flat = split.train.map(() => new Array(10).fill(0.25));
  const excluded = await evaluateRanking(tableScorer(flat), split, { stage: "test" });
  // 10 items less a history of 3: the target is last of 7.
  assertEquals(Array.from(excluded.ranks), [6, 6]);
  const kept = await evaluateRanking(tableScorer(flat), split, {
    stage: "test",
    ranking: "history_kept",
  });
  assertEquals(Array.from(kept.ranks), [9, 9]);
  assertAlmostEquals(kept.metrics.MRR, 1 / 10, 1e-15);
  assertEquals(kept.metrics["HR@5"], 0);
});
