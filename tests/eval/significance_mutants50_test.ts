/**
 * Paired tests on a grid whose differences have no spread: the mean difference is reported in the
 * values' units, not in grid steps (a mutation-testing gap: only spread differences checked it).
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { pairedTTest } from "../../lib/eval/significance.ts";

Deno.test("paired t-test on a grid: a constant difference has its mean in the values' units", () => {
  // d = 0.2 for every pair: 2 steps of the 0.1 grid, variance 0, so t = +Infinity and p = 0; the
  // mean is 2 steps x 0.1 = 0.2, not the 2 steps themselves.
  const ahead = pairedTTest([0.5, 0.7, 0.9], [0.3, 0.5, 0.7], { resolution: 0.1 });
  assertAlmostEquals(ahead.meanDifference, 0.2, 1e-15);
  assertEquals([ahead.statistic, ahead.pValue, ahead.n], [Infinity, 0, 3]);
  // Behind by 3e-6 on a 1e-6 grid: -3 steps of 1e-6 each.
  const behind = pairedTTest([0.1, 0.2], [0.100003, 0.200003], { resolution: 1e-6 });
  assertAlmostEquals(behind.meanDifference, -3e-6, 1e-18);
  assertEquals([behind.statistic, behind.pValue], [-Infinity, 0]);
});
