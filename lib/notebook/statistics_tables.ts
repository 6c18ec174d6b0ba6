/**
 * Dataset statistics as tables a reader can take in: one column per dataset (raw and after the
 * 5-core filter, say), rows named in words, counts with thousands separators, shares in percent,
 * an id modality's width said as "learned", not "dim 0". For {@linkcode displayTable}.
 */
import type { DatasetStatistics } from "../data/protocol/statistics.ts";
import type { TableInput } from "./display.ts";
import { MISSING_CELL } from "../viz/table_html.ts";
import { formatPercent } from "../util/percent.ts";

/** One column of a statistics table: the statistics of a dataset and the column's heading. */
export interface LabelledStatistics {
  /** Column heading, e.g. "raw" or "after 5-core (every experiment)". */
  label: string;
  /** The dataset's statistics (`datasetStatistics`). */
  stats: DatasetStatistics;
}

const count = (value: number) => value.toLocaleString("en-US");

/**
 * Users, items, interactions, density and history lengths, one column per dataset.
 *
 * @example
 * ```ts
 * await displayTable(statisticsTable([
 *   { label: "raw", stats: datasetStatistics(raw) },
 *   { label: "after 5-core", stats: datasetStatistics(core) },
 * ], "MovieLens latest-small"));
 * ```
 */
export function statisticsTable(
  columns: readonly LabelledStatistics[],
  caption?: string,
): TableInput {
  const row = (name: string, cell: (stats: DatasetStatistics) => string) => [
    name,
    ...columns.map(({ stats }) => cell(stats)),
  ];
  const lengths = (stats: DatasetStatistics) => stats.historyLength;
  return {
    ...(caption ? { caption } : {}),
    columns: ["", ...columns.map(({ label }) => label)],
    rows: [
      row("users", (s) => count(s.users)),
      row("items", (s) => count(s.items)),
      row("interactions", (s) => count(s.interactions)),
      row("density (interactions / users × items)", (s) => formatPercent(s.density, 2)),
      row("history length per user: median", (s) => count(lengths(s).median)),
      row(
        "history length: middle half (25th – 75th percentile)",
        (s) => `${count(lengths(s).p25)} – ${count(lengths(s).p75)}`,
      ),
      row(
        "history length: shortest – longest",
        (s) => `${count(lengths(s).min)} – ${count(lengths(s).max)}`,
      ),
      row("history length: mean", (s) => lengths(s).mean.toFixed(1)),
    ],
  };
}

const KIND_WORDS: Record<DatasetStatistics["modalities"][number]["kind"], string> = {
  id: "item id",
  dense: "dense vector",
  multi_hot: "labels (multi-hot)",
};

/**
 * Each modality (rows, in the first dataset's order): its kind, its width ("learned" for the id,
 * whose embedding is trained; "19 labels" for multi-hot, "100 numbers" for a dense vector) and, per dataset, the items that carry it: "8,993 of 9,066 (99.2 %)".
 * A modality a dataset lacks reads "–".
 *
 * @example
 * ```ts
 * await displayTable(modalityCoverageTable([{ label: "after 5-core", stats }]));
 * ```
 */
export function modalityCoverageTable(
  columns: readonly LabelledStatistics[],
  caption?: string,
): TableInput {
  const names = [
    ...new Set(columns.flatMap(({ stats }) => stats.modalities.map((modality) => modality.name))),
  ];
  return {
    ...(caption ? { caption } : {}),
    columns: [
      "modality",
      "kind",
      "width",
      ...columns.map(({ label }) => `items carrying it: ${label}`),
    ],
    rows: names.map((name) => {
      const first = columns.map(({ stats }) => stats.modalities.find((m) => m.name === name))
        .find((modality) => modality !== undefined)!;
      return [
        name,
        KIND_WORDS[first.kind],
        first.kind === "id"
          ? "learned"
          : `${first.dim} ${first.kind === "multi_hot" ? "labels" : "numbers"}`,
        ...columns.map(({ stats }) => {
          const modality = stats.modalities.find((m) => m.name === name);
          return modality === undefined
            ? MISSING_CELL
            : `${count(modality.presentItems)} of ${count(stats.items)} (${
              formatPercent(modality.coverage, 1)
            })`;
        }),
      ];
    }),
  };
}
