/**
 * ROC-AUC by the Mann-Whitney statistic: the probability that a random positive scores above a
 * random negative, ties counting one half.
 */

/**
 * AUC of `scores` for `labels` (1 = positive, 0 = negative). Tied scores share their average
 * rank, so a positive tied with a negative counts 0.5; infinite scores rank like any other.
 * Throws, naming what is wrong, on a NaN score, a label other than 0 or 1, or labels of one class
 * only (no positive-negative pair to compare: the AUC is undefined; it returned NaN, which read as
 * a result). A caller that may meet one class decides for itself, as `scoreAgainstTruth` does.
 *
 * @example
 * ```ts
 * rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]); // (1 + 1 + 1 + 0.5) / 4 = 0.875
 * ```
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) {
    throw new Error(`rocAuc: ${scores.length} scores but ${labels.length} labels`);
  }
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`rocAuc: score at index ${i} is NaN`);
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new Error(`rocAuc: label at index ${i} is ${labels[i]}, expected 0 or 1`);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error(
      `rocAuc: ${n} labels, ${positives} positive and ${negatives} negative; the AUC needs at ` +
        "least one of each",
    );
  }
  return (positiveRankSum - positives * (positives + 1) / 2) / (positives * negatives);
}
