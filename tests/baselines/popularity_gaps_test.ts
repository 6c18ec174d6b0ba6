/**
 * Pop's score rows are the caller's own: a caller that masks seen items in place (writes
 * -Infinity at the history) must not change the counts every later user is scored by, also for a
 * batch of one row.
 */
import { assertEquals } from "@std/assert";
import { popularityScorer } from "../../lib/baselines/popularity.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

Deno.test("Pop: each score call returns a fresh array; masking one in place leaves the next intact", async () => {
  // train: [0,1,2] [1,2,3] [2,3,4] [3,4,5] -> counts 1,2,3,3,2,1
  const scorer = popularityScorer(leaveOneOut(tinyDataset()));
  for (const batchSize of [1, 2]) {
    const batch = {
      users: new Int32Array(batchSize),
      items: new Int32Array(batchSize),
      valid: new Float32Array(batchSize).fill(1),
      batchSize,
      length: 1,
    };
    const first = await scorer.score(batch);
    first.fill(-Infinity, 0, 3); // a caller masking items 0..2 of row 0
    const second = await scorer.score(batch);
    assertEquals(Array.from(second.subarray(0, 6)), [1, 2, 3, 3, 2, 1], `batch of ${batchSize}`);
  }
});
