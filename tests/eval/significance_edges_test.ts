/**
 * The paired tests at their edges: unequal lengths, a single pair, no difference at all, ties among
 * the largest |differences|, an exact p-value whose tails overlap, the approximate p next to z = 0,
 * and the t-test's p at large degrees of freedom (references: the t density integrated
 * numerically, Python's standard library).
 */
import { assertAlmostEquals, assertEquals, assertGreater, assertThrows } from "@std/assert";
import {
  pairedTTest,
  regularizedIncompleteBeta,
  standardNormalCdf,
  wilcoxonSignedRank,
} from "../../lib/eval/significance.ts";
import { signedRanksWithPositiveSum } from "./_signed_ranks.ts";

Deno.test("paired tests refuse values of unequal length either way, naming both counts", () => {
  for (const test of [pairedTTest, wilcoxonSignedRank]) {
    assertThrows(() => test([1, 2, 3], [0, 0]), Error, "3 values against 2; pair the same users");
    assertThrows(() => test([1, 2], [0, 0, 0]), Error, "2 values against 3; pair the same users");
  }
});

Deno.test("pairedTTest: one pair is refused; two equal pairs give t = 0 and p = 1", () => {
  // One difference has no spread: no t, whatever its size (0 / 0 would make t and p NaN).
  assertThrows(() => pairedTTest([0.4], [0.1]), Error, "needs at least 2 pairs");
  // d = [0, 0]: mean 0, variance 0. t = 0 / 0 is taken as 0 (no system ahead), not NaN.
  const same = pairedTTest([0.3, 0.2], [0.3, 0.2]);
  assertEquals([same.meanDifference, same.statistic, same.pValue, same.n], [0, 0, 1, 2]);
});

Deno.test("pairedTTest is free of scale: differences of 1e-9 give the t and p of differences of 1", () => {
  // Only an exactly zero variance is "no spread": d = [1, 2, 3] * 1e-9 has variance 1e-18, below
  // any absolute threshold (Number.EPSILON is 2.2e-16), and the t and p of d = [1, 2, 3].
  const unit = pairedTTest([1, 2, 3], [0, 0, 0]);
  const tiny = pairedTTest([1e-9, 2e-9, 3e-9], [0, 0, 0]);
  assertAlmostEquals(tiny.statistic, unit.statistic, 1e-9);
  assertAlmostEquals(tiny.pValue, unit.pValue, 1e-9);
  assertAlmostEquals(unit.statistic, 2 * Math.sqrt(3), 1e-12); // mean 2, sd 1, n = 3
});

Deno.test("Wilcoxon signed-rank: no non-zero difference gives p = 1; one gives its mean and p = 1", () => {
  // Every pair equal: nothing to rank (n = 0), no evidence either way.
  const none = wilcoxonSignedRank([0.5, 0.25, 0], [0.5, 0.25, 0]);
  assertEquals([none.meanDifference, none.statistic, none.pValue, none.n], [0, 0, 1, 0]);
  // One pair: the mean difference is that pair's difference (0.75 - 0.5), over 1 pair.
  const one = wilcoxonSignedRank([0.75], [0.5]);
  assertEquals([one.meanDifference, one.pValue, one.n], [0.25, 1, 1]);
});

Deno.test("Wilcoxon signed-rank: a tie among the largest |differences| is a tie too", () => {
  // d = [1, 2, 2]: ranks 1, 2.5, 2.5 (the tie is the last group), W+ = 6, E = 3, tie term
  // 2^3 - 2 = 6: Var = 3 * 4 * 7 / 24 - 6 / 48 = 3.375, z = (3 - 0.5) / sqrt(3.375) = 1.36083;
  // tied, so the normal approximation: p = erfc(z / sqrt(2)) = 0.173568 (Python, math.erfc).
  // Ranked 1, 2, 3 (untied) it would be the exact 2 / 2^3 = 0.25.
  const result = wilcoxonSignedRank([1, 2, 2], [0, 0, 0]);
  assertAlmostEquals(result.statistic, 2.5 / Math.sqrt(3.375), 1e-12);
  assertAlmostEquals(result.pValue, 0.17356816655592158, 1e-6);
  assertAlmostEquals(result.pValue, 2 * standardNormalCdf(-result.statistic), 1e-15);
});

Deno.test("Wilcoxon signed-rank: an exact p-value at the centre of the distribution is 1, not more", () => {
  // d = [1, 2, -3]: W+ = 3 = n(n + 1) / 4, the centre. Of the 8 sign patterns 5 have W+ <= 3 and
  // 5 have W+ >= 3 (they overlap at W+ = 3): twice the smaller tail is 10 / 8, capped at 1.
  for (const d of [[1, 2, -3], [1, -2, -3, 4]]) {
    const result = wilcoxonSignedRank(d, new Array(d.length).fill(0));
    assertEquals(result.pValue, 1, `d = ${d}`);
  }
});

Deno.test("the t-test's p-value at large degrees of freedom matches the t distribution", () => {
  // [t, df, two-sided p]: 2 * the t density integrated from |t| to infinity (Simpson's rule on
  // 200,000 intervals after x = |t| + u / (1 - u), Python's math.lgamma); p = I_{df/(df+t^2)}(df/2,
  // 1/2). The continued fraction takes 21 terms at (2, 100) and 15 at (3, 670), where the t-test of
  // significance_test.ts (df = 4) takes 5: a cap of 5 terms passed that test.
  const cases: Array<[number, number, number]> = [
    [2, 100, 0.04821217873113198],
    [3, 670, 0.0027999859567925858],
    [0.5, 670, 0.6172392490675852],
    [1.5, 5000, 0.13367753985340203],
    [4, 5000, 6.425718306807291e-5],
  ];
  for (const [t, df, p] of cases) {
    const got = regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
    assertAlmostEquals(got / p, 1, 1e-9, `t = ${t}, df = ${df}: ${got}`);
  }
});

Deno.test("Wilcoxon signed-rank: the normal approximation's p is at most 1, though 2 * Phi(-z) is not", () => {
  // The erfc fit is 1.00000003 at 0 (its coefficients sum to 1.26551226 against its 1.26551223),
  // so 2 * Phi(-z) exceeds 1 for 0 < z < ~3.7e-8. At n = 200,000 untied differences (the normal
  // approximation) whose W+ is one above its mean, z = 0.5 / sqrt(Var) = 1.94e-8 and 2 * Phi(-z)
  // = 1.0000000145: the p-value is capped at 1.
  assertGreater(2 * standardNormalCdf(-1e-9), 1);
  const n = 200_000;
  const d = signedRanksWithPositiveSum(n, (n * (n + 1)) / 4 + 1);
  const result = wilcoxonSignedRank(d, new Array(n).fill(0));
  const z = 0.5 / Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  assertAlmostEquals(result.statistic, z, 1e-15);
  assertGreater(2 * standardNormalCdf(-z), 1);
  assertEquals(result.pValue, 1);
});

Deno.test("paired t-test: a zero mean with spread gives t = 0 and p = 1", () => {
  // d = [1, -1, 0.5, -0.5]: mean 0, variance > 0, t = 0, so x = df / (df + t^2) = 1 and the
  // two-sided p is I_1(df/2, 1/2) = 1 (no system ahead).
  const result = pairedTTest([1, -1, 0.5, -0.5], [0, 0, 0, 0]);
  assertEquals([result.meanDifference, result.statistic, result.pValue], [0, 0, 1]);
  assertEquals(regularizedIncompleteBeta(1, 1.5, 0.5), 1);
  assertEquals(regularizedIncompleteBeta(0, 1.5, 0.5), 0);
});

Deno.test("paired t-test: a small |t| gives p near 1 by the closed forms of the t distribution at df 1 and 2", () => {
  // Small t puts x = df / (df + t^2) next to 1, above (a + 1) / (a + b + 2) with a = df / 2,
  // b = 1/2: there the continued fraction converges only through I_x(a, b) = 1 - I_{1-x}(b, a).
  // Taken directly it gave p = 0.981 where the truth is 0.996 (a near-tie read as a difference).
  // df = 2 (n = 3): d = [301, -299, 1], mean 1, deviations 300, -300, 0, variance
  // (300^2 + 300^2) / 2 = 300^2, t = 1 / (300 / sqrt(3)) = sqrt(3) / 300, t^2 = 1 / 30000.
  // The t(2) two-sided p is 1 - |t| / sqrt(2 + t^2) = 1 - 1 / sqrt(60001) = 0.9959176.
  const two = pairedTTest([301, -299, 1], [0, 0, 0]);
  assertAlmostEquals(two.statistic, Math.sqrt(3) / 300, 1e-15);
  assertAlmostEquals(two.pValue, 1 - 1 / Math.sqrt(60001), 1e-9);
  // df = 1 (n = 2), the Cauchy distribution: d = [101, -99], mean 1, variance 100^2 + 100^2,
  // t = 1 / (sqrt(2) * 100 / sqrt(2)) = 0.01; p = 1 - (2 / pi) atan(0.01) = 0.9936340.
  const one = pairedTTest([101, -99], [0, 0]);
  assertAlmostEquals(one.statistic, 0.01, 1e-15);
  assertAlmostEquals(one.pValue, 1 - (2 / Math.PI) * Math.atan(0.01), 1e-9);
});
