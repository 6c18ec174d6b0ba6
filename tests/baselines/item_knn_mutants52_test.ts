/**
 * A gap a hand-run mutation pass (session 52) found in item-kNN: with no training interaction at
 * all (every count 0) the popularity tie-break divides by the largest count taken as at least 1,
 * so every score is 0, not 0 / 0 = NaN.
 */
import { assertEquals } from "@std/assert";
import { itemKnnScorer } from "../../lib/baselines/item_knn.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

Deno.test("item-kNN: a split with no training interaction scores every item 0, not NaN", async () => {
  // Empty training histories (a split built by hand): every count is 0.
  const split = {
    ...leaveOneOut(cycleDataset(2, 3, 4)),
    train: [new Int32Array(0), new Int32Array(0)],
  };
  const scorer = itemKnnScorer(split, { popularityTieBreak: true });
  const scores = await scorer.score({
    users: Int32Array.of(0, 1),
    items: Int32Array.of(2, 1),
    valid: Float32Array.of(1, 1),
    batchSize: 2,
    length: 1,
  });
  assertEquals(Array.from(scores), new Array(2 * split.dataset.numItems).fill(0));
});
