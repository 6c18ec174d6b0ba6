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
import { checkInteger } from "../util/settings.ts";

/** Interactions per item (index = internal item id). */
export function itemInteractionCounts(dataset: InteractionDataset): number[] {
  const counts = new Array<number>(dataset.numItems).fill(0);
  for (const sequence of dataset.sequences) for (const item of sequence) counts[item] += 1;
  return counts;
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
 * itemLabels(movielens, "genre", 12); // ["Comedy", "Romance"]
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
