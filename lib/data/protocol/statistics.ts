/** Dataset statistics printed next to every result (users, items, density, lengths, coverage). */
import type { InteractionDataset, ModalityFeatures } from "../types.ts";
import { formatPercent } from "../../util/percent.ts";

/** Coverage of one modality: the share of items that have it. */
export interface ModalityCoverage {
  /** Modality name. */
  name: string;
  /** Modality kind. */
  kind: ModalityFeatures["kind"];
  /** Feature width. */
  dim: number;
  /** Items with `present = 1`. */
  presentItems: number;
  /** `presentItems / numItems`. */
  coverage: number;
}

/** Summary of a dataset; history lengths are per user. */
export interface DatasetStatistics {
  /** Dataset name. */
  name: string;
  /** Number of users. */
  users: number;
  /** Number of items. */
  items: number;
  /** Number of (user, item) interactions. */
  interactions: number;
  /** `interactions / (users * items)`. */
  density: number;
  /** History length quantiles (nearest-rank): min, 25 %, median, 75 %, 90 %, max, and the mean. */
  historyLength: {
    min: number;
    p25: number;
    median: number;
    p75: number;
    p90: number;
    max: number;
    mean: number;
  };
  /** Coverage of each modality, in dataset order. */
  modalities: ModalityCoverage[];
  /** The dataset's content hash (`metadata.fingerprint`). */
  fingerprint: string;
}

/** Nearest-rank quantile of sorted values: the smallest value with at least q of the mass. */
function nearestRank(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

/**
 * Computes the statistics of a dataset.
 *
 * @example
 * ```ts
 * const stats = datasetStatistics(dataset);
 * console.log(stats.users, stats.density);
 * ```
 */
export function datasetStatistics(dataset: InteractionDataset): DatasetStatistics {
  const lengths = dataset.sequences.map((sequence) => sequence.length).sort((a, b) => a - b);
  const interactions = lengths.reduce((sum, length) => sum + length, 0);
  const cells = dataset.numUsers * dataset.numItems;
  return {
    name: dataset.name,
    users: dataset.numUsers,
    items: dataset.numItems,
    interactions,
    density: cells === 0 ? 0 : interactions / cells,
    historyLength: {
      min: lengths[0] ?? 0,
      p25: nearestRank(lengths, 0.25),
      median: nearestRank(lengths, 0.5),
      p75: nearestRank(lengths, 0.75),
      p90: nearestRank(lengths, 0.9),
      max: lengths[lengths.length - 1] ?? 0,
      mean: lengths.length === 0 ? 0 : interactions / lengths.length,
    },
    modalities: dataset.modalities.map((modality) => {
      const presentItems = modality.present.reduce((sum, flag) => sum + flag, 0);
      return {
        name: modality.name,
        kind: modality.kind,
        dim: modality.dim,
        presentItems,
        coverage: dataset.numItems === 0 ? 0 : presentItems / dataset.numItems,
      };
    }),
    fingerprint: dataset.metadata.fingerprint,
  };
}

/**
 * Formats statistics as a fixed-width text table.
 *
 * @example
 * ```ts
 * console.log(formatStatistics(datasetStatistics(dataset)));
 * ```
 */
export function formatStatistics(stats: DatasetStatistics): string {
  const h = stats.historyLength;
  const rows: [string, string][] = [
    ["dataset", stats.name],
    ["users", stats.users.toLocaleString("en-US")],
    ["items", stats.items.toLocaleString("en-US")],
    ["interactions", stats.interactions.toLocaleString("en-US")],
    ["density", formatPercent(stats.density, 3)],
    [
      "history length",
      `min ${h.min}, p25 ${h.p25}, median ${h.median}, p75 ${h.p75}, p90 ${h.p90}, max ${h.max}, mean ${
        h.mean.toFixed(1)
      }`,
    ],
  ];
  for (const m of stats.modalities) {
    const width = m.kind === "id" ? "learned" : `dim ${m.dim}`;
    rows.push([
      `modality ${m.name}`,
      `${m.kind}, ${width}, coverage ${formatPercent(m.coverage, 1)} (${m.presentItems} items)`,
    ]);
  }
  rows.push(["fingerprint", stats.fingerprint]);
  const keyWidth = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(keyWidth)}  ${value}`).join("\n");
}
