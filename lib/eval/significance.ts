/**
 * Paired significance tests over per-user metric values of two systems evaluated on the same users
 * (e.g. `result.perUser["NDCG@10"]`): a two-sided paired t-test and a two-sided Wilcoxon
 * signed-rank test (zero differences are dropped as in Wilcoxon's original test; exact null
 * distribution for up to {@linkcode WILCOXON_EXACT_MAX_N} untied differences, else the normal
 * approximation with tie and continuity corrections). Both refuse a non-finite value.
 *
 * @example
 * ```ts
 * const t = pairedTTest(demure.perUser["NDCG@10"], sasrec.perUser["NDCG@10"]);
 * t.pValue < 0.05; // significant
 * ```
 */
import { checkSettingNames, SettingError, type SettingNames } from "../util/settings.ts";

/** Result of a paired test. */
export interface PairedTestResult {
  /** Which test was run. */
  test: "paired t-test" | "Wilcoxon signed-rank";
  /** Mean of a - b. */
  meanDifference: number;
  /** t statistic or Wilcoxon z. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Number of pairs used (Wilcoxon: non-zero differences). */
  n: number;
}

/**
 * a[i] - b[i] for every pair. Throws naming the pair when a value is not a finite number: a NaN
 * passed the Wilcoxon test's `!== 0` filter and was "ranked" by a comparator returning NaN, giving
 * a plausible p-value; the t-test turned it into a NaN p. Neither may drop or impute a value.
 */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  if (a.length !== b.length) {
    throw new Error(`paired test: ${a.length} values against ${b.length}; pair the same users`);
  }
  return Array.from({ length: a.length }, (_, i) => {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      throw new Error(
        `paired test: pair ${i} is (${a[i]}, ${b[i]}), not two finite numbers; every pair must ` +
          "hold a measured value (none is dropped or imputed)",
      );
    }
    return a[i] - b[i];
  });
}

/**
 * Settings of {@linkcode pairedTTest} and {@linkcode wilcoxonSignedRank}: one grid for both tests
 * of one comparison.
 */
export interface PairedTestOptions {
  /**
   * The grid the differences lie on (> 0): each is rounded to a whole multiple of it before the
   * test reads it (its zeros, ties and spread). Default: none, the differences at face value.
   */
  resolution?: number;
}

/** The names of {@linkcode PairedTestOptions}: a misspelt `resoluton` tested at face value. */
const PAIRED_TEST_OPTION_NAMES: SettingNames<PairedTestOptions> = Object.freeze({
  resolution: true,
});

/**
 * a - b as whole multiples of `options.resolution` (exact integers, so equal differences are
 * equal and a zero is zero) with `unit` = the resolution, or at face value with `unit` = 1. For
 * values known to lie on a grid (metrics stored to 1e-6, averaged over seeds), whose float
 * differences carry rounding noise: a mean of the same per-seed values summed in another order
 * differed by 2.2e-16.
 */
function differencesOnGrid(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PairedTestOptions,
): { steps: number[]; unit: number } {
  checkSettingNames("PairedTestOptions", options, PAIRED_TEST_OPTION_NAMES);
  const all = differences(a, b);
  const { resolution } = options;
  if (resolution === undefined) return { steps: all, unit: 1 };
  if (!(resolution > 0 && Number.isFinite(resolution))) {
    throw new SettingError("PairedTestOptions.resolution", resolution, "a finite number > 0");
  }
  return { steps: all.map((x) => Math.round(x / resolution)), unit: resolution };
}

/**
 * Two-sided paired t-test of mean(a - b) = 0. With `options.resolution` (see
 * {@linkcode PairedTestOptions}) it reads the differences on that grid: at face value, the same
 * per-user means summed in another seed order (mathematically no difference at all, variance 0,
 * p = 1) gave t = -1.14, p = 0.256 from their 1e-16 noise (records: Synthetic Demure-SASRec against
 * itself, each user's 5 seeds rotated), and differences that are all the same noise would read as
 * t infinite, p = 0.
 */
export function pairedTTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PairedTestOptions = {},
): PairedTestResult {
  // In grid steps when a resolution is given: t is free of scale (79b24e1), the mean is not.
  const { steps: d, unit } = differencesOnGrid(a, b, options);
  const n = d.length;
  if (n < 2) throw new Error("pairedTTest: needs at least 2 pairs");
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  if (variance === 0) {
    return {
      test: "paired t-test",
      meanDifference: mean * unit,
      // t = mean / 0: infinite with the sign of the mean (a consistently worse system is -Infinity).
      statistic: mean === 0 ? 0 : Math.sign(mean) * Infinity,
      pValue: mean === 0 ? 1 : 0,
      n,
    };
  }
  const t = mean / Math.sqrt(variance / n);
  const df = n - 1;
  // Two-sided p = I_{df/(df+t^2)}(df/2, 1/2).
  const pValue = regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return { test: "paired t-test", meanDifference: mean * unit, statistic: t, pValue, n };
}

/**
 * Largest number of non-zero differences for which {@linkcode wilcoxonSignedRank} computes the
 * exact p-value (as scipy's `method="auto"`): the counts of the null distribution stay below 2^50,
 * exact in a double.
 */
export const WILCOXON_EXACT_MAX_N = 50;

/**
 * Two-sided Wilcoxon signed-rank test of a - b symmetric about 0.
 *
 * Zero differences are dropped first (Wilcoxon's original test, scipy's `zero_method="wilcox"`);
 * `n` is the number left. The p-value is:
 * - exact when 1 <= n <= {@linkcode WILCOXON_EXACT_MAX_N} and no two |differences| are tied: twice
 *   the smaller tail of the null distribution of W+ (every sign pattern of the ranks 1..n equally
 *   likely), as Wilcoxon's tables for the reduced n. (scipy's `method="auto"` is exact here too,
 *   but switches to the approximation when zeros were dropped; this test stays exact for the n
 *   non-zero differences.) At small n the normal approximation was anti-conservative: n = 3, all
 *   positive, gave 0.18 where the exact p is 0.25.
 * - otherwise (n > 50, or tied |differences|, whose average ranks the exact distribution does not
 *   cover) from the normal approximation: tie-corrected variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48,
 *   continuity correction 0.5 toward the mean, two-sided p = 2 * Phi(-|z|) computed in the tail
 *   (accurate to ~1e-7 relative, also far below 1e-15).
 *
 * `statistic` is the z of W+ (continuity-corrected, tie-corrected variance) in both cases, so its
 * sign says which system is ahead; `pValue` is the exact or approximate p as above.
 *
 * Zeros and ties are decided by exact equality (as scipy and R do), or, with
 * `options.resolution`, on the differences rounded to whole multiples of it: for values known to
 * lie on a grid (metrics stored to 1e-6, averaged over seeds), whose float differences carry
 * rounding noise. Taken at face value, a mean of the same per-seed values summed in another order
 * differed by 2.2e-16 and counted as a loss, and equal differences an ulp apart were not tied
 * (the README's Wilcoxon p-values moved in their third digit, e.g. 0.674 against 0.685).
 */
export function wilcoxonSignedRank(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PairedTestOptions = {},
): PairedTestResult {
  const { steps, unit } = differencesOnGrid(a, b, options);
  const meanDifference = unit * steps.reduce((s, x) => s + x, 0) / Math.max(1, steps.length);
  const d = steps.filter((x) => x !== 0);
  const n = d.length;
  if (n === 0) return { test: "Wilcoxon signed-rank", meanDifference, statistic: 0, pValue: 1, n };
  const order = d.map((x, i) => ({ size: Math.abs(x), i })).sort((p, q) => p.size - q.size);
  const ranks = new Array<number>(n);
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && order[end + 1].size === order[start].size) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].i] = averageRank;
    const tied = end - start + 1;
    tieTerm += tied ** 3 - tied;
    start = end + 1;
  }
  const positiveSum = d.reduce((s, x, i) => s + (x > 0 ? ranks[i] : 0), 0);
  const expected = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const deviation = positiveSum - expected;
  const z = variance > 0 ? (deviation - Math.sign(deviation) * 0.5) / Math.sqrt(variance) : 0;
  const pValue = tieTerm === 0 && n <= WILCOXON_EXACT_MAX_N
    ? exactSignedRankPValue(positiveSum, n)
    // The upper tail directly: 2 * (1 - Phi(|z|)) lost every digit below 1e-16 (p = 0 from z ~ 8.3).
    : Math.min(1, 2 * standardNormalCdf(-Math.abs(z)));
  return { test: "Wilcoxon signed-rank", meanDifference, statistic: z, pValue, n };
}

/**
 * Two-sided exact p-value of W+ = `positiveSum` over n untied ranks 1..n: the number of subsets
 * of {1..n} with each sum (subset-sum counts), 2 * P(W+ <= min(w, n(n+1)/2 - w)), at most 1.
 */
function exactSignedRankPValue(positiveSum: number, n: number): number {
  const maxSum = (n * (n + 1)) / 2;
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank++) {
    for (let sum = maxSum; sum >= rank; sum--) counts[sum] += counts[sum - rank];
  }
  const smallerTail = Math.min(positiveSum, maxSum - positiveSum);
  let tailCount = 0;
  for (let sum = 0; sum <= smallerTail; sum++) tailCount += counts[sum];
  return Math.min(1, (2 * tailCount) / 2 ** n);
}

/**
 * Phi(x) via the complementary error function (Numerical Recipes erfcc: relative error < 1.2e-7
 * everywhere, the tail included). For x < 0 it returns erfc/2 directly, so Phi(-8) = 6.2e-16 and
 * Phi(-12) = 1.8e-33 keep their digits; 1 - Phi(x) for large x does not (use Phi(-x)).
 */
export function standardNormalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                      t *
                        (0.27886807 +
                          t *
                            (-1.13520398 +
                              t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** I_x(a, b) by the continued fraction (Numerical Recipes betacf). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedIncompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return (front * h) / a;
}
