import { assertAlmostEquals, assertEquals } from "@std/assert";
import { standardNormalCdf, wilcoxonSignedRank } from "../../lib/eval/significance.ts";

Deno.test("Wilcoxon signed-rank with tied |differences|: the tie-corrected variance, by hand", () => {
  // d = a - b = [1, 1, 1, 2, -1], no zeros: n = 5. |d| = 1 four times (ranks 1..4, average 2.5)
  // and 2 once (rank 5). W+ = 3 * 2.5 + 5 = 12.5; E[W+] = n(n + 1) / 4 = 7.5.
  // Var[W+] = n(n + 1)(2n + 1) / 24 - sum over tie groups (t^3 - t) / 48 (the standard tie
  // correction, as in scipy.stats.wilcoxon's normal approximation) = 13.75 - (4^3 - 4) / 48 = 12.5.
  // The code's z subtracts 0.5 toward zero (continuity correction): z = (12.5 - 7.5 - 0.5) /
  // sqrt(12.5) = 4.5 / sqrt(12.5) = 1.2728; without the tie term it would be 4.5 / sqrt(13.75)
  // = 1.2136.
  const result = wilcoxonSignedRank([1, 1, 1, 2, -1], [0, 0, 0, 0, 0]);
  assertEquals(result.n, 5);
  assertAlmostEquals(result.meanDifference, 4 / 5, 1e-12);
  const z = 4.5 / Math.sqrt(12.5);
  assertAlmostEquals(result.statistic, z, 1e-9);
  assertAlmostEquals(result.pValue, 2 * (1 - standardNormalCdf(z)), 1e-12);
  assertAlmostEquals(result.pValue, 0.2031, 1e-3);
});
