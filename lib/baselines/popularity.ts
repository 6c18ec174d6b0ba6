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

/**
 * Training interaction count of every item: [numItems]. Throws for an item id outside
 * `0 .. numItems - 1` (a split built by hand): a typed array ignores such a write, so Pop silently
 * lost the interaction and item-kNN failed later on an undefined row.
 */
export function trainingItemCounts(split: LeaveOneOutSplit): Float32Array {
  const numItems = split.dataset.numItems;
  const counts = new Float32Array(numItems);
  split.train.forEach((sequence, user) => {
    sequence.forEach((item, position) => {
      if (item < 0 || item >= numItems) {
        throw new RangeError(
          `trainingItemCounts: user ${split.dataset.userIds[user] ?? user} has item id ${item} ` +
            `at training position ${position}; ids must lie in 0 .. ${numItems - 1} ` +
            `(dataset ${split.dataset.name} has ${numItems} items)`,
        );
      }
      counts[item] += 1;
    });
  });
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
