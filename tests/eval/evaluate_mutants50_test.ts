/**
 * The evaluation's protocol card carries every line of the split's protocol, in order (a
 * mutation-testing gap: a card that left off the split's first line, the dataset and its
 * fingerprint, survived every test).
 */
import { assertEquals } from "@std/assert";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { sampleEvaluationNegatives } from "../../lib/eval/sampled_negatives.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { cycleDataset } from "../models/_fixtures.ts";
import { tableScorer } from "./_table_scorer.ts";

// 3 users over 8 items; user u walks u, u+1, ..., u+4. The library's split: a protocol of several
// lines (dataset, source, tie-break, split, window).
const split = leaveOneOutSplit(cycleDataset(3, 8, 5), { maxLength: 4 });

Deno.test("protocol card: the split lines are the split's own protocol, every line in order", async () => {
  const scores = [0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8]);
  const full = await evaluateRanking(tableScorer(scores), split, { stage: "valid" });
  const sampled = await evaluateRanking(tableScorer(scores), split, {
    stage: "test",
    sampled: sampleEvaluationNegatives(split, { count: 3, seed: 4 }),
  });
  for (const result of [full, sampled]) {
    assertEquals(result.protocol.split, split.protocol);
    assertEquals(result.protocol.split[0], "dataset cycle-3x8 (fingerprint cycle-3-8)");
    assertEquals(result.protocol.split.length, split.protocol.length);
  }
});
