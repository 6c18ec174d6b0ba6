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
export const DEFAULT_CUTOFFS: readonly number[] = Object.freeze([5, 10, 20]);

/**
 * A candidate's score that is not a finite number (NaN, an infinity, or `undefined` read past the
 * end of a score row): no rank computed with it means anything, so ranking stops. `candidate` is
 * the item id ({@linkcode pessimisticRank}) or the position among the negatives
 * ({@linkcode pessimisticRankAmong}); `"target"` for the target itself.
 */
export class NonFiniteScoreError extends Error {
  /** Always `"NonFiniteScoreError"`. */
  override name = "NonFiniteScoreError";
  constructor(
    /** The item id or negative's position, or `"target"`. */
    readonly candidate: number | "target",
    /** The score read (NaN, an infinity or undefined). */
    readonly score: unknown,
    /** Which ranking read it, for the message. */
    where: string,
  ) {
    super(
      candidate === "target"
        ? `${where}: the target has a non-finite score ${score}`
        : `${where}: candidate ${candidate} has a non-finite score ${score}`,
    );
  }
}

/**
 * 0-based rank of `target` among the items of `scores` [numItems] that are not `excluded`
 * (excluded[item] = 1); the target is never excluded. Throws a {@linkcode NonFiniteScoreError} if
 * the target's or any candidate's score is not finite (a NaN candidate would otherwise rank below
 * every target, `NaN >= t` being false, and lift the target silently).
 */
export function pessimisticRank(
  scores: ArrayLike<number>,
  target: number,
  excluded: Uint8Array,
): number {
  const targetScore = scores[target];
  if (!Number.isFinite(targetScore)) {
    throw new NonFiniteScoreError("target", targetScore, `pessimisticRank (target item ${target})`);
  }
  let rank = 0;
  for (let item = 0; item < scores.length; item++) {
    if (item === target || excluded[item] === 1) continue;
    const score = scores[item];
    // The finiteness check rides on the comparison the rank needs anyway (no second pass): above
    // or tied, only +Infinity is not finite; below, a finite score passes `score > -Infinity`,
    // and -Infinity and NaN (which fails every comparison) do not: both are refused.
    if (score >= targetScore) {
      if (score === Infinity) throw new NonFiniteScoreError(item, score, "pessimisticRank");
      rank++;
    } else if (!(score > -Infinity)) {
      throw new NonFiniteScoreError(item, score, "pessimisticRank");
    }
  }
  return rank;
}

/**
 * 0-based pessimistic rank of the target score among `negativeScores` (sampled ranking). Throws a
 * {@linkcode NonFiniteScoreError} (candidate = the negative's position) if the target's or any
 * negative's score is not finite, e.g. `undefined` read for a negative id outside the score row.
 */
export function pessimisticRankAmong(
  targetScore: number,
  negativeScores: ArrayLike<number>,
): number {
  if (!Number.isFinite(targetScore)) {
    throw new NonFiniteScoreError("target", targetScore, "pessimisticRankAmong");
  }
  let rank = 0;
  for (let i = 0; i < negativeScores.length; i++) {
    const score = negativeScores[i];
    // As in pessimisticRank; `undefined > -Infinity` is false like NaN's.
    if (score >= targetScore) {
      if (score === Infinity) throw new NonFiniteScoreError(i, score, "pessimisticRankAmong");
      rank++;
    } else if (!(score > -Infinity)) {
      throw new NonFiniteScoreError(i, score, "pessimisticRankAmong");
    }
  }
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
