/**
 * Audit (session 49): the paired tests against textbook values and an independent enumeration.
 * - Student's sleep data (Cushny & Peebles; R's `t.test(extra ~ group, sleep, paired = TRUE)`:
 *   t = -4.0621, df = 9, p = 0.002833; `wilcox.test(..., paired = TRUE)`: V = 0, p = 0.009091,
 *   normal approximation with tie and continuity corrections after the zero is dropped).
 * - Two-sided p at the tabled critical values of Student's t (p = 0.05 and 0.01), and against
 *   scipy's t distribution at the degrees of freedom of real evaluations (thousands of users).
 * - The exact Wilcoxon p against every sign pattern enumerated, on random untied differences.
 * - n = 60 with zeros and ties against scipy 1.17.1 `wilcoxon(d, zero_method="wilcox",
 *   correction=True, method="approx")`: p = 0.020921122942308305, |z| = 2.309404907878545.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { pairedTTest, wilcoxonSignedRank } from "../../lib/eval/significance.ts";
import { createRng } from "../../lib/util/random.ts";

const SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

Deno.test("paired t-test on Student's sleep data: t = -4.0621, df = 9, p = 0.002833 (R, scipy)", () => {
  const result = pairedTTest(SLEEP_GROUP_1, SLEEP_GROUP_2);
  assertEquals(result.n, 10);
  assertAlmostEquals(result.meanDifference, -1.58, 1e-12);
  assertAlmostEquals(result.statistic, -4.062127683382037, 1e-9);
  assertAlmostEquals(result.pValue, 0.002832890197384273, 1e-9);
  // The same on a 0.1 grid (the data's resolution): t is free of the grid's scale.
  const gridded = pairedTTest(SLEEP_GROUP_1, SLEEP_GROUP_2, { resolution: 0.1 });
  assertAlmostEquals(gridded.statistic, -4.062127683382037, 1e-9);
  assertAlmostEquals(gridded.meanDifference, -1.58, 1e-12);
  // Swapping the systems flips t and keeps p.
  const swapped = pairedTTest(SLEEP_GROUP_2, SLEEP_GROUP_1);
  assertAlmostEquals(swapped.statistic, 4.062127683382037, 1e-9);
  assertAlmostEquals(swapped.pValue, result.pValue, 1e-15);
});

/** n differences whose paired t statistic is exactly `t` (sample sd 1, mean t / sqrt(n)). */
function differencesWithT(t: number, n: number): number[] {
  // Alternating +-c around the mean (a 0 last when n is odd), scaled to a sample sd of 1.
  const centred: number[] = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
  if (n % 2 === 1) centred[n - 1] = 0;
  const sumSquares = centred.reduce((s, x) => s + x * x, 0);
  const scale = Math.sqrt((n - 1) / sumSquares);
  return centred.map((x) => t / Math.sqrt(n) + x * scale);
}

Deno.test("paired t-test: two-sided p at the tabled critical values of Student's t", () => {
  // [df, t_crit, two-sided p] from the t table.
  const table: [number, number, number][] = [
    [1, 12.7062, 0.05],
    [4, 4.604095, 0.01],
    [9, 2.262157, 0.05],
    [30, 2.042272, 0.05],
  ];
  for (const [df, t, p] of table) {
    const result = pairedTTest(differencesWithT(t, df + 1), new Array(df + 1).fill(0));
    assertAlmostEquals(result.statistic, t, 1e-9, `df ${df}`);
    assertAlmostEquals(result.pValue, p, 1e-6, `df ${df}`);
  }
});

Deno.test("Wilcoxon on the sleep data (0.1 grid): V = 0 of 9 non-zero, p = 0.009091 as R and scipy", () => {
  const result = wilcoxonSignedRank(SLEEP_GROUP_1, SLEEP_GROUP_2, { resolution: 0.1 });
  // The zero difference (patient 5) is dropped; |1.3| is tied, so the approximation is used.
  assertEquals(result.n, 9);
  assertAlmostEquals(result.pValue, 0.009090698015925044, 1e-7);
  // W+ = 0, E = 22.5, var = 9*10*19/24 - (2^3 - 2)/48 = 71.125, z = (0 - 22.5 + 0.5)/sqrt(var).
  assertAlmostEquals(result.statistic, -22 / Math.sqrt(71.125), 1e-12);
  assertAlmostEquals(result.meanDifference, -1.58, 1e-12);
});

/** Two-sided p of W+ by enumerating all 2^n sign patterns of the ranks 1..n. */
function enumeratedPValue(positiveSum: number, n: number): number {
  let atMost = 0;
  let atLeast = 0;
  for (let mask = 0; mask < 2 ** n; mask++) {
    let sum = 0;
    for (let rank = 1; rank <= n; rank++) if (mask & (1 << (rank - 1))) sum += rank;
    if (sum <= positiveSum) atMost++;
    if (sum >= positiveSum) atLeast++;
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / 2 ** n);
}

Deno.test("Wilcoxon exact p equals the enumeration of every sign pattern (random untied n <= 12)", () => {
  const rng = createRng(4904);
  for (let trial = 0; trial < 80; trial++) {
    const n = 1 + rng.int(12);
    // Distinct magnitudes 1..n in a random order with random signs: no ties, no zeros.
    const magnitudes = Array.from({ length: n }, (_, i) => i + 1);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [magnitudes[i], magnitudes[j]] = [magnitudes[j], magnitudes[i]];
    }
    const d = magnitudes.map((m) => (rng.int(2) === 0 ? m : -m));
    const positiveSum = d.reduce((s, x) => s + (x > 0 ? x : 0), 0);
    const result = wilcoxonSignedRank(d, new Array(n).fill(0));
    assertEquals(result.n, n);
    assertAlmostEquals(result.pValue, enumeratedPValue(positiveSum, n), 1e-15, `d = ${d}`);
  }
});

Deno.test("Wilcoxon, 60 differences with zeros and ties: scipy's approximate p and |z|", () => {
  const d = Array.from({ length: 60 }, (_, i) => ((i * 7) % 11) - 4);
  const result = wilcoxonSignedRank(d, new Array(60).fill(0));
  assertEquals(result.n, 60 - d.filter((x) => x === 0).length);
  assertAlmostEquals(result.pValue, 0.020921122942308305, 1e-7);
  assertAlmostEquals(Math.abs(result.statistic), 2.309404907878545, 1e-9);
  // More positive mass than negative: W+ above its mean, so z > 0 (the first system ahead).
  assert(result.statistic > 0);
});

Deno.test("paired t-test's p at the sizes of real evaluations (df = 999, 6039, 100000) matches scipy", () => {
  // scipy 1.17.1 `2 * stats.t.sf(t, df)`; relative agreement to 1e-7, far into the tail.
  const reference: [number, number, number][] = [
    [999, 1.96, 5.027346273381e-2],
    [999, 5, 6.768361895801e-7],
    [6039, 0.5, 6.170932953020e-1],
    [6039, 3, 2.710816070599e-3],
    [6039, 10, 2.313946172104e-23],
    [100000, 1.96, 4.999856319430e-2],
    [100000, 5, 5.742701678642e-7],
  ];
  for (const [df, t, p] of reference) {
    const result = pairedTTest(differencesWithT(t, df + 1), new Array(df + 1).fill(0));
    assertAlmostEquals(result.statistic, t, 1e-9, `df ${df}`);
    assertAlmostEquals(
      result.pValue / p,
      1,
      1e-7,
      `df ${df}, t ${t}: ${result.pValue} against ${p}`,
    );
  }
});
