/**
 * Item-kNN next-item baseline: directed co-occurrence within a window of the training sequences
 * (item j within `window` steps AFTER item i counts C[i][j] += 1 / distance), cosine-normalised
 * sim[i][j] = C[i][j] / sqrt(n_i n_j) with n the training counts (plus `shrink` in the denominator).
 * A user is scored from the last `historyItems` items of the history, the most recent weighted 1,
 * older ones by `decay` per step back. A tiny popularity term (1e-6 * n_j / max n) breaks the ties
 * among items with no co-occurrence (documented; set `popularityTieBreak: false` to drop it).
 *
 * @example
 * ```ts
 * const knn = itemKnnScorer(split, { window: 3, historyItems: 3, decay: 0.5, shrink: 0 });
 * ```
 */
import type { LeaveOneOutSplit, SequenceBatch } from "../data/types.ts";
import type { Scorer } from "../eval/scorer.ts";
import { trainingItemCounts } from "./popularity.ts";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkSettingNames,
  withDefaults,
} from "../util/settings.ts";

/** Configuration of {@linkcode itemKnnScorer}. */
export interface ItemKnnConfig {
  /** Co-occurrence window after each item. Default 3. */
  window: number;
  /** How many of the most recent history items vote. Default 3. */
  historyItems: number;
  /** Weight multiplier per step back in the history. Default 0.5. */
  decay: number;
  /** Added to the cosine denominator (damps rare items). Default 0. */
  shrink: number;
  /** Break ties by popularity (1e-6 scale). Default true. */
  popularityTieBreak: boolean;
}

/** Defaults of {@linkcode ItemKnnConfig}. */
export const DEFAULT_ITEM_KNN_CONFIG: ItemKnnConfig = Object.freeze({
  window: 3,
  historyItems: 3,
  decay: 0.5,
  shrink: 0,
  popularityTieBreak: true,
});

/** Sparse similarity rows: similarities[i] maps j -> sim[i][j]. */
export function itemTransitionSimilarities(
  split: LeaveOneOutSplit,
  config: ItemKnnConfig = DEFAULT_ITEM_KNN_CONFIG,
): Map<number, number>[] {
  const numItems = split.dataset.numItems;
  const counts = trainingItemCounts(split);
  const rows = Array.from({ length: numItems }, () => new Map<number, number>());
  for (const sequence of split.train) {
    for (let t = 0; t < sequence.length; t++) {
      const row = rows[sequence[t]];
      for (let step = 1; step <= config.window && t + step < sequence.length; step++) {
        const next = sequence[t + step];
        row.set(next, (row.get(next) ?? 0) + 1 / step);
      }
    }
  }
  rows.forEach((row, i) => {
    for (const [j, c] of row) row.set(j, c / (Math.sqrt(counts[i] * counts[j]) + config.shrink));
  });
  return rows;
}

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field out of range. A
 * window or a history of 0 scored every user by the popularity term alone, and a NaN decay made
 * every score NaN; neither said so.
 */
export function validateItemKnnConfig(config: ItemKnnConfig): void {
  checkInteger("ItemKnnConfig.window", config.window, { min: 1 });
  checkInteger("ItemKnnConfig.historyItems", config.historyItems, { min: 1 });
  checkNumber("ItemKnnConfig.decay", config.decay, { min: 0 });
  checkNumber("ItemKnnConfig.shrink", config.shrink, { min: 0 });
  checkBoolean("ItemKnnConfig.popularityTieBreak", config.popularityTieBreak);
}

/** The item-kNN baseline as a {@linkcode Scorer}; a `SettingError` for a bad or unknown setting. */
export function itemKnnScorer(
  split: LeaveOneOutSplit,
  configInput: Partial<ItemKnnConfig> = {},
): Scorer {
  checkSettingNames("ItemKnnConfig", configInput, DEFAULT_ITEM_KNN_CONFIG);
  const config = withDefaults(DEFAULT_ITEM_KNN_CONFIG, configInput);
  validateItemKnnConfig(config);
  const numItems = split.dataset.numItems;
  const similarities = itemTransitionSimilarities(split, config);
  const counts = trainingItemCounts(split);
  // A reduce, not Math.max(1, ...counts): a spread passes one argument per item and overflows the
  // call stack from about 130 000 items on. Same value: the largest count, at least 1.
  const maxCount = counts.reduce((max, count) => Math.max(max, count), 1);
  const prior = Float32Array.from(
    counts,
    (c) => (config.popularityTieBreak ? (1e-6 * c) / maxCount : 0),
  );
  return {
    name: `item-kNN(window ${config.window}, last ${config.historyItems}, decay ${config.decay})`,
    numItems,
    score(batch: SequenceBatch): Float32Array {
      const scores = new Float32Array(batch.batchSize * numItems);
      for (let row = 0; row < batch.batchSize; row++) {
        const out = scores.subarray(row * numItems, (row + 1) * numItems);
        out.set(prior);
        let weight = 1;
        for (let back = 0; back < config.historyItems; back++) {
          const position = row * batch.length + batch.length - 1 - back;
          if (back >= batch.length || batch.valid[position] !== 1) break;
          for (const [j, sim] of similarities[batch.items[position]]) out[j] += weight * sim;
          weight *= config.decay;
        }
      }
      return scores;
    },
  };
}
