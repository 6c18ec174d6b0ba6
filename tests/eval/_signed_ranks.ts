/**
 * Differences for the Wilcoxon signed-rank tests whose W+ (the sum of the positive ranks) is
 * chosen: the ranks 1..n, untied, signed so that the positive ones sum to `positiveSum`. One home
 * for the construction significance_edges_test.ts and significance_gaps_test.ts each wrote out.
 */

/**
 * The differences ±1..±n (ranks n, n - 1, ..., taken as positive while they fit in what is left
 * of `positiveSum`), in that order; throws when the ranks cannot make `positiveSum` exactly.
 */
export function signedRanksWithPositiveSum(n: number, positiveSum: number): number[] {
  let rest = positiveSum;
  const d: number[] = [];
  for (let rank = n; rank >= 1; rank--) {
    const positive = rank <= rest;
    if (positive) rest -= rank;
    d.push(positive ? rank : -rank);
  }
  if (rest !== 0) throw new Error(`ranks 1..${n} leave ${rest} of W+ = ${positiveSum} unmade`);
  return d;
}
