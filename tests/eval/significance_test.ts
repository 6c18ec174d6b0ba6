import { assertAlmostEquals, assertEquals } from "@std/assert";
import { pairedTTest, standardNormalCdf, wilcoxonSignedRank } from "../../lib/eval/significance.ts";

Deno.test("paired t-test matches a reference value (t = 4.2426, df = 4, p = 0.01324)", () => {
  const result = pairedTTest([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]);
  assertAlmostEquals(result.statistic, 4.242640687, 1e-6);
  assertAlmostEquals(result.pValue, 0.013236, 1e-5);
  assertEquals(pairedTTest([1, 2], [1, 2]).pValue, 1);
});

Deno.test("Wilcoxon signed-rank: normal approximation with continuity correction, hand computed", () => {
  // W+ = 15, E = 7.5, Var = 13.75, z = (7.5 - 0.5) / sqrt(13.75)
  const result = wilcoxonSignedRank([1, 2, 3, 4, 5, 7], [0, 0, 0, 0, 0, 7]);
  assertEquals(result.n, 5);
  assertAlmostEquals(result.statistic, 7 / Math.sqrt(13.75), 1e-9);
  assertAlmostEquals(result.pValue, 2 * (1 - standardNormalCdf(7 / Math.sqrt(13.75))), 1e-12);
  assertAlmostEquals(result.pValue, 0.05906, 1e-4);
  assertAlmostEquals(standardNormalCdf(1.959964), 0.975, 1e-6);
});
