/**
 * Item-kNN's popularity tie-break reaches every row of a batch, not the first one only: two users
 * whose histories lead nowhere tie on co-occurrence and are ranked by the same prior.
 */
import { assertEquals } from "@std/assert";
import { itemKnnScorer } from "../../lib/baselines/item_knn.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

/** A split whose training sequences are `train` (over 3 items); only those are read. */
function knnSplit(train: number[][]) {
  return { ...leaveOneOut(cycleDataset(2, 3, 4)), train: train.map((s) => Int32Array.from(s)) };
}

Deno.test("item-kNN: every row of a batch gets the tie-break prior, the second as the first", async () => {
  // train [0, 1, 2] and [2]: counts 1, 1, 2 (max 2); item 2 leads nowhere, so a history [2]
  // scores the prior alone: 1e-6 * n_j / 2 = 0.5e-6, 0.5e-6, 1e-6, in each row.
  const scorer = itemKnnScorer(knnSplit([[0, 1, 2], [2]]), {
    window: 2,
    historyItems: 1,
    decay: 1,
    shrink: 0,
    popularityTieBreak: true,
  });
  const scores = await scorer.score({
    users: Int32Array.of(0, 1),
    items: Int32Array.of(2, 2),
    valid: Float32Array.of(1, 1),
    batchSize: 2,
    length: 1,
  });
  const prior = [0.5e-6, 0.5e-6, 1e-6].map((p) => Math.fround(p));
  assertEquals(Array.from(scores), [...prior, ...prior]);
});
