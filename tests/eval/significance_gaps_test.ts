/**
 * The paired tests' results say which test they are in every branch, count their pairs, and cap
 * an exact p-value at 1 at any n. Found by mutation round LF.
 */
import { assertEquals } from "@std/assert";
import { pairedTTest, wilcoxonSignedRank } from "../../lib/eval/significance.ts";
import { signedRanksWithPositiveSum } from "./_signed_ranks.ts";

Deno.test("paired tests: every branch names its own test and counts its pairs", () => {
  // Found by mutation round LF (LF24, LF25, LF26, LF27): the label was checked in no branch, and
  // the t-test's n only where the variance is 0; a report reads both to say what was run on how
  // many users.
  const spread = pairedTTest([1, 2, 4], [0, 0, 0]);
  const constant = pairedTTest([2, 3, 4], [1, 2, 3]);
  const none = wilcoxonSignedRank([1, 2], [1, 2]);
  const ranked = wilcoxonSignedRank([1, 2, 4], [0, 0, 0]);
  assertEquals(
    [spread, constant, none, ranked].map(({ test, n }) => [test, n]),
    [
      ["paired t-test", 3],
      ["paired t-test", 3],
      ["Wilcoxon signed-rank", 0],
      ["Wilcoxon signed-rank", 3],
    ],
  );
});

Deno.test("Wilcoxon signed-rank: the exact p-value at the centre is capped at 1 at n = 31 too", () => {
  // Found by mutation round LF (LF34): the cap was pinned only at n = 3 and 4. d = +-1..+-31 with
  // W+ = 248 = n(n + 1) / 4 (ranks 31, 30, ..., taken while they fit): both tails hold the centre,
  // twice the smaller tail is over 2^31, and the p-value is 1 exactly, not above it.
  const n = 31;
  const d = signedRanksWithPositiveSum(n, (n * (n + 1)) / 4);
  const result = wilcoxonSignedRank(d, new Array(n).fill(0));
  assertEquals([result.n, result.statistic, result.pValue], [n, 0, 1]);
});

Deno.test("Wilcoxon signed-rank: |differences| a hair apart are no tie (exact equality, as scipy and R)", () => {
  // Found by mutation round LF (LF55): the tests' ties were all exactly equal and their untied
  // differences whole numbers apart, so a tie within a tolerance passed. 1 and 1 + 1e-12 are two
  // ranks: the exact p of three untied positive differences, 2 / 2^3.
  const hair = wilcoxonSignedRank([1, 1 + 1e-12, 2], [0, 0, 0]);
  assertEquals([hair.n, hair.pValue], [3, 0.25]);
  assertEquals(hair.pValue, wilcoxonSignedRank([1, 2, 3], [0, 0, 0]).pValue);
});

Deno.test("Wilcoxon signed-rank: the exact limit counts the non-zero differences, not the pairs", () => {
  // Found by mutation round LF (LF64): 60 pairs of which 10 are equal leave 50 non-zero untied
  // differences, exact as documented: all positive, p = 2 / 2^50 = 2^-49 (the approximation
  // would give about 7.6e-10).
  const d = [...Array.from({ length: 50 }, (_, i) => i + 1), ...new Array(10).fill(0)];
  const result = wilcoxonSignedRank(d, new Array(60).fill(0));
  assertEquals([result.n, result.pValue], [50, 2 ** -49]);
});
