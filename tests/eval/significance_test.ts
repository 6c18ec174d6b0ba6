import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  pairedTTest,
  regularizedIncompleteBeta,
  standardNormalCdf,
  wilcoxonSignedRank,
} from "../../lib/eval/significance.ts";

Deno.test("paired t-test matches a reference value (t = 4.2426, df = 4, p = 0.01324)", () => {
  const result = pairedTTest([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]);
  assertAlmostEquals(result.statistic, 4.242640687, 1e-6);
  assertAlmostEquals(result.pValue, 0.013236, 1e-5);
  assertEquals(pairedTTest([1, 2], [1, 2]).pValue, 1);
  // Swapping the systems flips the sign of t (which one is ahead), not the two-sided p.
  const swapped = pairedTTest([0, 0, 0, 0, 0], [1, 2, 3, 4, 5]);
  assertAlmostEquals(swapped.statistic, -4.242640687, 1e-6);
  assertAlmostEquals(swapped.pValue, result.pValue, 1e-12);
  assertEquals(swapped.meanDifference, -3);
});

Deno.test("Wilcoxon signed-rank, 5 untied differences: z by hand, the exact p-value 2 / 2^5", () => {
  // W+ = 15, E = 7.5, Var = 13.75, z = (7.5 - 0.5) / sqrt(13.75). Of the 2^5 sign patterns only
  // all-positive reaches W+ = 15 (and all-negative W+ = 0): exact two-sided p = 2 / 32 = 0.0625,
  // where the normal approximation gave 0.05906 (too small). The zero pair (7, 7) is dropped.
  const result = wilcoxonSignedRank([1, 2, 3, 4, 5, 7], [0, 0, 0, 0, 0, 7]);
  assertEquals(result.n, 5);
  assertAlmostEquals(result.statistic, 7 / Math.sqrt(13.75), 1e-9);
  assertEquals(result.pValue, 0.0625);
  assertAlmostEquals(standardNormalCdf(1.959964), 0.975, 1e-6);
});

Deno.test("paired t-test of a constant non-zero difference: t is infinite, p = 0", () => {
  // d = a - b = [1, 1, 1]: mean 1, variance 0, so t = mean / sqrt(0 / n) = +Infinity and the
  // two-sided p-value is 0 (every pair agrees; only d = 0 everywhere gives p = 1).
  const result = pairedTTest([2, 3, 4], [1, 2, 3]);
  assertEquals(result.meanDifference, 1);
  assertEquals(result.statistic, Infinity);
  assertEquals(result.pValue, 0);
  // Swapping the systems gives d = [-1, -1, -1]: t = -1 / 0 = -Infinity (a is the worse one),
  // p still 0. The sign of t was lost here: +Infinity either way.
  const swapped = pairedTTest([1, 2, 3], [2, 3, 4]);
  assertEquals(swapped.meanDifference, -1);
  assertEquals(swapped.statistic, -Infinity);
  assertEquals(swapped.pValue, 0);
});

Deno.test("Wilcoxon signed-rank: the mean difference counts the zero differences the ranks drop", () => {
  // d = [2, 0, 0, -1]: the ranks use the 2 non-zero differences (n = 2), but meanDifference is the
  // mean of a - b over all 4 pairs, (2 + 0 + 0 - 1) / 4 = 0.25 (not 1 / 2 over the non-zero ones).
  const result = wilcoxonSignedRank([2, 5, 3, 0], [0, 5, 3, 1]);
  assertEquals(result.n, 2);
  assertEquals(result.meanDifference, 0.25);
});

Deno.test("regularizedIncompleteBeta matches the closed forms of Beta(a, 1) and Beta(1, b)", () => {
  // The Beta(a, 1) CDF is x^a and the Beta(1, b) CDF is 1 - (1 - x)^b. The first two points lie above
  // (a + 1) / (a + b + 2) (21 / 23 = 0.913 < 0.95 and 2 / 33 = 0.06 < 0.9), where the continued
  // fraction converges only through the symmetry I_x(a, b) = 1 - I_{1-x}(b, a):
  // I_0.9(1, 30) = 1 - 0.1^30, which the fraction taken directly gets as about 2e-14.
  // The third point lies below it (0.3 < 2 / 5): the fraction directly.
  assertAlmostEquals(regularizedIncompleteBeta(0.95, 20, 1), 0.95 ** 20, 1e-12);
  assertAlmostEquals(regularizedIncompleteBeta(0.9, 1, 30), 1 - 0.1 ** 30, 1e-12);
  assertAlmostEquals(regularizedIncompleteBeta(0.3, 1, 2), 1 - 0.7 ** 2, 1e-12);
});

/** 1, 2, ..., n: n untied differences, all positive, against zeros. */
function ascending(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

Deno.test("Wilcoxon signed-rank: a tiny p-value keeps its digits (upper tail, no 1 - Phi)", () => {
  // n = 120 > 50 untied differences, all positive: the normal approximation. z = (7260 - 3630 -
  // 0.5) / sqrt(120 * 121 * 241 / 24) = 9.50518539705887; p = erfc(z / sqrt(2)) =
  // 1.99691981807804e-21 (mpmath, 50 digits). 2 * (1 - Phi(z)) gave exactly 0 beyond z ~ 8.3.
  const n = 120;
  const result = wilcoxonSignedRank(ascending(n), new Array(n).fill(0));
  assertEquals(result.n, n);
  assertAlmostEquals(result.statistic, 9.5051853970588687, 1e-9);
  assertAlmostEquals(result.pValue / 1.9969198180780375e-21, 1, 1e-6);
  // Phi in the far tail directly: Phi(-8) = 6.22096057427178e-16 (mpmath).
  assertAlmostEquals(standardNormalCdf(-8) / 6.22096057427178e-16, 1, 2e-7);
});

Deno.test("Wilcoxon signed-rank: exact p-values for small n without ties (enumerated by hand)", () => {
  // Reference: all 2^n sign patterns of the ranks 1..n enumerated (Python, itertools.product).
  const cases: Array<[number[], number]> = [
    [[1, 2, 3], 0.25], // the normal approximation gave 0.181
    [[1, 2, 3, 4, 5], 0.0625],
    [[1, -2, 3, 4, 5, -6, 7, 8], 0.1953125],
    [[3, -1, 4, -1.5, 5, 9, -2.6, 5.3, 5.8, 9.7, -9.3, 2.3, 8.4, 6.2], 0.0418701171875],
  ];
  for (const [d, p] of cases) {
    const result = wilcoxonSignedRank(d, new Array(d.length).fill(0));
    assertEquals(result.n, d.length);
    assertAlmostEquals(result.pValue, p, 1e-12, `d = ${d}`);
    // Swapping the systems mirrors W+: the same two-sided p, z of the other sign.
    const swapped = wilcoxonSignedRank(new Array(d.length).fill(0), d);
    assertAlmostEquals(swapped.pValue, p, 1e-12, `swapped d = ${d}`);
    assertAlmostEquals(swapped.statistic, -result.statistic, 1e-12);
  }
  // One non-zero difference: p = 1 (both sign patterns are as extreme).
  assertEquals(wilcoxonSignedRank([0.3, 2], [0.3, 1]).pValue, 1);
});

Deno.test("Wilcoxon signed-rank: exact up to 50 untied differences, the approximation above or with ties", () => {
  // n = 50 all positive: only 2 of 2^50 sign patterns are as extreme: p = 2^-49 exactly.
  assertEquals(wilcoxonSignedRank(ascending(50), new Array(50).fill(0)).pValue, 2 ** -49);
  // n = 51: the normal approximation, 2 * Phi(-|z|).
  const above = wilcoxonSignedRank(ascending(51), new Array(51).fill(0));
  assertAlmostEquals(above.pValue / (2 * standardNormalCdf(-above.statistic)), 1, 1e-12);
  // Tied |differences| (average ranks): the approximation with the tie correction, even at n = 3.
  const tied = wilcoxonSignedRank([1, 1, 2], [0, 0, 0]);
  assertAlmostEquals(tied.pValue / (2 * standardNormalCdf(-tied.statistic)), 1, 1e-12);
});

Deno.test("paired tests refuse a non-finite value, naming the pair", () => {
  // Wilcoxon returned p = 0.357 (n = 4) here; the t-test a NaN p.
  for (const test of [wilcoxonSignedRank, pairedTTest]) {
    assertThrows(() => test([1, NaN, 3, 4], [0, 0, 0, 1]), Error, "pair 1 is (NaN, 0)");
    assertThrows(() => test([1, 2, 3, 4], [0, 0, 0, Infinity]), Error, "pair 3 is (4, Infinity)");
    assertThrows(() => test([1, 2, -Infinity], [0, 0, 0]), Error, "not two finite numbers");
  }
});
