/**
 * danfo.js DataFrame views of datasets and statistics, for notebooks (`df.print()`,
 * `df.describe()`). danfojs-node shares the workspace's tfjs engine through the npm override in
 * package.json.
 */
import { restoreDeprecationWarnings } from "./_quiet_punycode.ts"; // before danfojs-node
import * as dfd from "danfojs-node";
import type { DatasetStatistics, InteractionDataset } from "../data/mod.ts";

restoreDeprecationWarnings();

/** A danfo.js DataFrame (`print()`, `head()`, `describe()`, ...); see the danfo.js documentation. */
export type DataFrame = dfd.DataFrame;

/**
 * One row per interaction: user, item (external ids), position in the user's history, timestamp
 * (NaN when the dataset has none).
 *
 * @example
 * ```ts
 * interactionsFrame(dataset).head(5).print();
 * ```
 */
export function interactionsFrame(dataset: InteractionDataset): DataFrame {
  const user: string[] = [];
  const item: string[] = [];
  const position: number[] = [];
  const timestamp: number[] = [];
  dataset.sequences.forEach((sequence, u) => {
    sequence.forEach((i, t) => {
      user.push(dataset.userIds[u]);
      item.push(dataset.itemIds[i]);
      position.push(t);
      timestamp.push(dataset.timestamps?.[u][t] ?? NaN);
    });
  });
  return columnsFrame({ user, item, position, timestamp });
}

/**
 * One row per item: external id, title (empty when unknown), interaction count and a 0/1
 * presence column per modality (`has_<name>`).
 *
 * @example
 * ```ts
 * itemsFrame(dataset).describe().print();
 * ```
 */
export function itemsFrame(dataset: InteractionDataset): DataFrame {
  const interactions = new Array<number>(dataset.numItems).fill(0);
  for (const sequence of dataset.sequences) for (const i of sequence) interactions[i]++;
  const columns: Record<string, (string | number)[]> = {
    item: dataset.itemIds,
    title: dataset.itemTitles ?? dataset.itemIds.map(() => ""),
    interactions,
  };
  for (const modality of dataset.modalities) {
    columns[`has_${modality.name}`] = Array.from(modality.present);
  }
  return columnsFrame(columns);
}

/**
 * A frame of named columns of equal length. Columns of no rows are an empty frame with those
 * columns: danfo refused them ("ParamError: end must be greater than start"), so a dataset of no
 * interactions or no items failed in the view.
 */
function columnsFrame(columns: Record<string, (string | number)[]>): DataFrame {
  const names = Object.keys(columns);
  if (names.every((name) => columns[name].length === 0)) {
    return new dfd.DataFrame([], { columns: names });
  }
  return new dfd.DataFrame(columns);
}

/**
 * The statistics as two frames: `summary` (one row) and `modalities` (one row per modality).
 *
 * @example
 * ```ts
 * const { summary, modalities } = statisticsFrames(datasetStatistics(dataset));
 * modalities.print();
 * ```
 */
export function statisticsFrames(
  stats: DatasetStatistics,
): { summary: DataFrame; modalities: DataFrame } {
  const h = stats.historyLength;
  const summary = new dfd.DataFrame([{
    dataset: stats.name,
    users: stats.users,
    items: stats.items,
    interactions: stats.interactions,
    density: stats.density,
    length_min: h.min,
    length_p25: h.p25,
    length_median: h.median,
    length_p75: h.p75,
    length_p90: h.p90,
    length_max: h.max,
    length_mean: h.mean,
  }]);
  const modalities = new dfd.DataFrame(stats.modalities.map((m) => ({
    modality: m.name,
    kind: m.kind,
    dim: m.dim,
    present_items: m.presentItems,
    coverage: m.coverage,
  })));
  return { summary, modalities };
}

/**
 * A DataFrame of plain records (one row each), for typed rows computed elsewhere (attribution rows,
 * result tables). The columns are the first record's keys in its order, then any key only a later
 * record has, in the order met; each value goes under its own key's column, and a record without
 * a key has `undefined` there.
 *
 * @example
 * ```ts
 * recordsFrame([{ system: "Pop", ndcg: 0.02 }, { system: "SASRec", ndcg: 0.06 }]).print();
 * ```
 */
export function recordsFrame(
  records: ReadonlyArray<Record<string, string | number | boolean>>,
): DataFrame {
  if (records.length === 0) return new dfd.DataFrame([]);
  // By name, not by position: danfo lays out objects by their own key order, so a record written
  // { ndcg, system } put its NDCG under "system", and a key only a later record had was dropped.
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  return new dfd.DataFrame(records.map((record) => columns.map((column) => record[column])), {
    columns,
  });
}
