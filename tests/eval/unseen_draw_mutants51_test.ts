/**
 * Mutation round 51: the sampled-negative draw cannot loop forever. Session 50's mutants n8 and n9
 * of the count check (sampled_negatives.ts) let a count through that some user could not meet,
 * and the rejection loop then never ended: the suite hung instead of failing. Each user's draw now
 * checks its own unseen items before its first draw (lib/eval/_unseen_draw.ts), and that check
 * draws nothing: every seed still draws the rows it drew before (pinned below, from the code before
 * the check).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { drawUnseenItems } from "../../lib/eval/_unseen_draw.ts";
import { sampleEvaluationNegatives } from "../../lib/eval/sampled_negatives.ts";
import { createRng, type Rng } from "../../lib/util/random.ts";
import { settingError } from "../_setting_error.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

/**
 * A generator that a test's draw may use `limit` times: a draw loop that would never end fails
 * the test at the next draw (no timeout involved).
 */
function drawsAtMost(limit: number, seed = 0): Rng {
  const rng = createRng(seed);
  let draws = 0;
  return {
    ...rng,
    int(n: number): number {
      if (++draws > limit) throw new Error(`drew more than ${limit} times: the loop does not end`);
      return rng.int(n);
    },
  };
}

Deno.test("a user who interacted with every item is refused before the draw, naming the user and counts", () => {
  const error = settingError(() =>
    drawUnseenItems(drawsAtMost(0), 3, new Set([0, 1, 2]), 1, "u7 (index 2)")
  );
  assertEquals([error.setting, error.value], ["SampledNegativesConfig.count", 1]);
  assertEquals(
    error.message,
    "SampledNegativesConfig.count is 1; allowed: an integer >= 1 and <= 0 (sampled ranking: " +
      "user u7 (index 2) has only 0 unseen items, fewer than 1 negatives)",
  );
});

Deno.test("more negatives than the catalogue has items are refused, not drawn for ever", () => {
  const error = settingError(() =>
    drawUnseenItems(drawsAtMost(0), 4, new Set([1]), 5, "u0 (index 0)")
  );
  assertEquals(error.value, 5);
  assertStringIncludes(
    error.message,
    "<= 3 (sampled ranking: user u0 (index 0) has only 3 unseen items, fewer than 5 negatives)",
  );
});

Deno.test("ids outside the catalogue hide no item: the unseen count is exact, and its end is drawn", () => {
  // 5 items; the user saw 0 and 1 plus three ids that are no items: 2, 3 and 4 are unseen.
  const seen = () => new Set([0, 1, -1, 5, 1.5]);
  const drawn = drawUnseenItems(drawsAtMost(1000, 3), 5, seen(), 3, "u0 (index 0)");
  assertEquals([...drawn].sort(), [2, 3, 4]);
  const error = settingError(() => drawUnseenItems(drawsAtMost(0), 5, seen(), 4, "u0 (index 0)"));
  assertStringIncludes(error.message, "has only 3 unseen items, fewer than 4 negatives");
});

Deno.test("the check draws nothing: 40 users' 100 negatives of three seeds are the rows drawn before it", () => {
  // 40 users over 150 items, 9 interactions each. Pinned from the sampler before the per-user
  // check: a hash of every row, and the first and last entries of two rows.
  const split = leaveOneOut(cycleDataset(40, 150, 9));
  const pinned: [number, number, number[], number[]][] = [
    [0, 851462606, [53, 15, 101, 137, 45, 69], [15, 144, 21, 60]],
    [1, 2906336492, [28, 47, 117, 80, 102, 126], [91, 128, 123, 124]],
    [2147483647, 1762712585, [25, 93, 65, 98, 130, 10], [30, 132, 133, 6]],
  ];
  for (const [seed, hash, firstRowStart, lastRowEnd] of pinned) {
    const rows = sampleEvaluationNegatives(split, { count: 100, seed }).negatives;
    let h = 0;
    for (const row of rows) for (const item of row) h = (Math.imul(h, 31) + item) >>> 0;
    assertEquals([h, rows[0].slice(0, 6), rows[39].slice(-4)], [hash, firstRowStart, lastRowEnd]);
  }
});

Deno.test("a split without users draws no rows: the count check has no user to name", () => {
  // Dropping the check's `fewest < 0` return read the size of no user's items: a TypeError.
  const empty = leaveOneOutSplit(tinyDataset([], 5), { maxLength: 4 });
  assertEquals(sampleEvaluationNegatives(empty, { count: 2, seed: 0 }).negatives, []);
});
