/**
 * Named views of a dataset and of a planted truth for notebooks and reports, so that no caller
 * indexes the flat `[item, dim]` and `[user, modality]` arrays itself.
 *
 * @example
 * ```ts
 * itemInteractionCounts(dataset); // interactions per item
 * recentHistory(dataset, 0, 10);  // the user's last 10 items, oldest first, with their labels
 * ```
 */
import type { InteractionDataset, PlantedTruth } from "./types.ts";
import { checkInteger, checkNumber } from "../util/settings.ts";

/** Interactions per item (index = internal item id). */
export function itemInteractionCounts(dataset: InteractionDataset): number[] {
  const counts = new Array<number>(dataset.numItems).fill(0);
  for (const sequence of dataset.sequences) for (const item of sequence) counts[item] += 1;
  return counts;
}

/** One item of {@linkcode popularityRanking}. */
export interface PopularityRank {
  /** 1 for the item with the most interactions, then 2, 3, ... */
  rank: number;
  /** Internal item id. */
  item: number;
  /** The item's interactions. */
  interactions: number;
}

/**
 * Every item from the most to the least interacted with, ranked from 1 (equal counts keep item id
 * order): the long tail of popularity, ready to plot as interactions against rank.
 *
 * @example
 * ```ts
 * const ranking = popularityRanking(dataset);
 * ranking[0]; // { rank: 1, item: 248, interactions: 341 } (MovieLens after the 5-core filter)
 * ```
 */
export function popularityRanking(dataset: InteractionDataset): PopularityRank[] {
  return itemInteractionCounts(dataset)
    .map((interactions, item) => ({ item, interactions }))
    .sort((a, b) => b.interactions - a.interactions)
    .map(({ item, interactions }, index) => ({ rank: index + 1, item, interactions }));
}

/**
 * The share of all interactions (0 to 1) that the `topPercent` % most popular items take, the
 * items counted rounded up (10 % of 3,496 items is the top 350; 0.14 % of 5,000 is exactly 7, though
 * the floating-point product is 7.000000000000001). A percent, not a share, since 0.07 × 100 is
 * 7.000000000000001 in floating point. Throws a
 * `SettingError` unless `topPercent` is in (0, 100], and an error for a dataset without
 * interactions.
 *
 * @example
 * ```ts
 * topItemsInteractionShare(dataset, 10);
 * // 0.42 (MovieLens after the 5-core filter): the top 10 % of items take 42 % of interactions
 * ```
 */
export function topItemsInteractionShare(dataset: InteractionDataset, topPercent: number): number {
  checkNumber("topItemsInteractionShare: topPercent", topPercent, { above: 0, max: 100 });
  const ranking = popularityRanking(dataset);
  const total = ranking.reduce((sum, { interactions }) => sum + interactions, 0);
  if (total === 0) throw new Error(`${dataset.name}: no interactions, so no share of them`);
  const top = ranking.slice(0, itemsInTopPercent(topPercent, dataset.numItems));
  return top.reduce((sum, { interactions }) => sum + interactions, 0) / total;
}

/**
 * How many of `numItems` items the top `topPercent` % are, rounded up, where a product that is a
 * whole number but for floating-point error counts as that number: 0.14 % of 5,000 items is 7,
 * but 0.14 × 5000 / 100 is 7.000000000000001, which `Math.ceil` made 8 (found by a hand mutation
 * round, session 53). The tolerance, a millionth of an item, is far below any real fraction of
 * an item.
 */
function itemsInTopPercent(topPercent: number, numItems: number): number {
  const exact = (topPercent * numItems) / 100;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) < 1e-6 ? nearest : Math.ceil(exact);
}

function modalityOf(dataset: InteractionDataset, name: string) {
  const modality = dataset.modalities.find((candidate) => candidate.name === name);
  if (!modality) {
    throw new Error(
      `${dataset.name}: no modality "${name}" (have ${dataset.modalities.map((m) => m.name)})`,
    );
  }
  return modality;
}

/**
 * The vocabulary entries an item carries in a multi-hot modality (e.g. its genres); empty when
 * the item lacks the modality.
 *
 * @example
 * ```ts
 * itemLabels(movielens, "genre", 12); // ["Adventure", "Animation", "Children"]
 * ```
 */
export function itemLabels(
  dataset: InteractionDataset,
  modalityName: string,
  item: number,
): string[] {
  const modality = modalityOf(dataset, modalityName);
  if (!modality.vocabulary) {
    throw new Error(
      `${dataset.name}: modality "${modalityName}" has no vocabulary (not multi-hot)`,
    );
  }
  if (!modality.present[item]) return [];
  const row = modality.values.subarray(item * modality.dim, (item + 1) * modality.dim);
  return modality.vocabulary.filter((_, column) => row[column] > 0);
}

/** One item of a user's history, with what a reader needs to recognise it. */
export interface HistoryEntry {
  /** 1-based position in the user's whole history. */
  position: number;
  /** Internal item id. */
  item: number;
  /** Title, or the external id when the dataset has no titles. */
  title: string;
  /** Names of the modalities this item carries. */
  modalities: string[];
}

/**
 * The user's last `count` items (all when shorter), oldest first. Throws a `SettingError` unless
 * `user` is an internal user id and `count` a non-negative integer.
 */
export function recentHistory(
  dataset: InteractionDataset,
  user: number,
  count: number,
): HistoryEntry[] {
  // A negative count gave [] and NaN the whole history, silently.
  checkInteger("recentHistory: count", count, { min: 0 });
  checkInteger("recentHistory: user", user, { min: 0, max: dataset.sequences.length - 1 });
  const history = dataset.sequences[user];
  const first = Math.max(0, history.length - count);
  return Array.from(history.subarray(first), (item, offset) => ({
    position: first + offset + 1,
    item,
    title: dataset.itemTitles?.[item] ?? dataset.itemIds[item],
    modalities: dataset.modalities.filter((m) => m.present[item]).map((m) => m.name),
  }));
}

/**
 * Share of users for whom each modality of the truth is a planted point of interest, in the
 * truth's modality order.
 *
 * @example
 * ```ts
 * const { truth } = generateSynthetic();
 * truth.modalityNames.map((name, m) => `${name}: ${plantedInterestShare(truth)[m]}`);
 * ```
 */
export function plantedInterestShare(truth: PlantedTruth): number[] {
  const modalities = truth.modalityNames.length;
  const users = truth.pointsOfInterest.length / modalities;
  const share = new Array<number>(modalities).fill(0);
  truth.pointsOfInterest.forEach((interest, i) => (share[i % modalities] += interest / users));
  return share;
}
