/**
 * Pop: every user gets the same ranking, by how often each item occurs in the TRAINING sequences
 * (validation and test items are not counted, so nothing leaks).
 *
 * @example
 * ```ts
 * const result = await evaluateRanking(popularityScorer(split), split, { stage: "test" });
 * ```
 */
import type { LeaveOneOutSplit, SequenceBatch } from "../data/types.ts";
import type { Scorer } from "../eval/scorer.ts";

/** Training interaction count of every item: [numItems]. */
export function trainingItemCounts(split: LeaveOneOutSplit): Float32Array {
  const counts = new Float32Array(split.dataset.numItems);
  for (const sequence of split.train) for (const item of sequence) counts[item] += 1;
  return counts;
}

/** The Pop baseline as a {@linkcode Scorer}. */
export function popularityScorer(split: LeaveOneOutSplit): Scorer {
  const counts = trainingItemCounts(split);
  const numItems = split.dataset.numItems;
  return {
    name: "Pop",
    numItems,
    score(batch: SequenceBatch): Float32Array {
      const scores = new Float32Array(batch.batchSize * numItems);
      for (let row = 0; row < batch.batchSize; row++) scores.set(counts, row * numItems);
      return scores;
    },
  };
}
