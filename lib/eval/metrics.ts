/**
 * Ranking metrics for one target among candidates. Ties are PESSIMISTIC: every other candidate
 * whose score equals the target's is ranked ahead of it (a constant scorer gets the worst rank,
 * never a lucky one). Rank is 0-based: rank 0 = top.
 *
 * @example
 * ```ts
 * pessimisticRank(Float32Array.of(0.5, 0.9, 0.5), 0, new Uint8Array(3)); // 2 (item 1 above, item 2 tied)
 * metricsAtRank(2, [5]); // { "HR@5": 1, "NDCG@5": 1 / Math.log2(4), MRR: 1 / 3 }
 * ```
 */

/** Cut-offs used by default: K in {5, 10, 20}. */
export const DEFAULT_CUTOFFS: readonly number[] = [5, 10, 20];

/**
 * 0-based rank of `target` among the items of `scores` [numItems] that are not `excluded`
 * (excluded[item] = 1); the target is never excluded. Throws if the target's score is not finite.
 */
export function pessimisticRank(
  scores: ArrayLike<number>,
  target: number,
  excluded: Uint8Array,
): number {
  const targetScore = scores[target];
  if (!Number.isFinite(targetScore)) {
    throw new Error(
      `pessimisticRank: the target item ${target} has a non-finite score ${targetScore}`,
    );
  }
  let rank = 0;
  for (let item = 0; item < scores.length; item++) {
    if (item === target || excluded[item] === 1) continue;
    if (scores[item] >= targetScore) rank++;
  }
  return rank;
}

/** 0-based pessimistic rank of the target score among `negativeScores` (sampled ranking). */
export function pessimisticRankAmong(
  targetScore: number,
  negativeScores: ArrayLike<number>,
): number {
  if (!Number.isFinite(targetScore)) {
    throw new Error(`pessimisticRankAmong: the target has a non-finite score ${targetScore}`);
  }
  let rank = 0;
  for (let i = 0; i < negativeScores.length; i++) if (negativeScores[i] >= targetScore) rank++;
  return rank;
}

/** Metric names in a fixed order: HR@K..., NDCG@K..., MRR. */
export function metricNames(cutoffs: readonly number[] = DEFAULT_CUTOFFS): string[] {
  return [...cutoffs.map((k) => `HR@${k}`), ...cutoffs.map((k) => `NDCG@${k}`), "MRR"];
}

/**
 * HR@K = [rank < K]; NDCG@K = 1/log2(rank + 2) if rank < K else 0 (one relevant item, so IDCG = 1);
 * MRR = 1/(rank + 1) with no cut-off.
 */
export function metricsAtRank(
  rank: number,
  cutoffs: readonly number[] = DEFAULT_CUTOFFS,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const k of cutoffs) metrics[`HR@${k}`] = rank < k ? 1 : 0;
  for (const k of cutoffs) metrics[`NDCG@${k}`] = rank < k ? 1 / Math.log2(rank + 2) : 0;
  metrics.MRR = 1 / (rank + 1);
  return metrics;
}
