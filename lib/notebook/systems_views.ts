/**
 * The systems of a summary (`summariseSystems`' rows, the report's `MainRow`s) as a notebook shows
 * them: a table of test metrics, each mean over seeds next to its standard deviation ("± std", "–"
 * for a single run), and grouped bars of the same means with the standard deviations as error bars.
 * Notebooks 02, 04 and 07 show their systems so; one home keeps their columns alike.
 */
import { errorBarOf, type MeanStd, spreadOf, type SystemSummary } from "../experiments/analyse.ts";
import type { Figure } from "../viz/figure.ts";
import { groupedBars } from "../viz/grouped_bars.ts";
import type { TableCell } from "../viz/table_html.ts";
import {
  checkOneOf,
  checkOptionalText,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import type { TableInput } from "./display.ts";

/** A column of {@linkcode systemsTable} after the metrics: its heading and each row's cell. */
export interface SystemsColumn<Row extends SystemSummary> {
  /** Column heading, e.g. "best epochs". */
  heading: string;
  /** The row's cell, e.g. `bestEpochsText`. */
  cell: (row: Row) => TableCell;
}

/** Options of {@linkcode systemsTable}. */
export interface SystemsTableOptions<Row extends SystemSummary> {
  /** Caption above the table (what is measured, on which data, over which seeds). Default: none. */
  caption?: string;
  /** Test metrics shown as their mean and a "± std" column, in order, e.g. `["NDCG@10", "HR@10"]`. */
  metrics: readonly string[];
  /** Test metrics shown by their mean alone, after those. Default: none. */
  meansOnly?: readonly string[];
  /**
   * Validation metrics shown after the test ones, each as "valid <metric>" and its "± std", e.g.
   * `["NDCG@10"]` (the measure systems are selected by; a page whose prose states validation
   * numbers shows them here). Default: none.
   */
  validation?: readonly string[];
  /** Columns after the metrics. Default: none. */
  extraColumns?: readonly SystemsColumn<Row>[];
  /**
   * Columns whose best value is marked, each with which end is best (given, never guessed), e.g.
   * `{ "NDCG@10": "higher" }`: a metric's mean column (the means compare, not "± std"), or an extra
   * column's heading. See `TableSection.best`. Default: none.
   */
  best?: Record<string, "higher" | "lower">;
}

const TABLE_OPTION_NAMES: SettingNames<SystemsTableOptions<SystemSummary>> = {
  caption: true,
  metrics: true,
  meansOnly: true,
  validation: true,
  extraColumns: true,
  best: true,
};

/**
 * One row per system: its name, its number of seeds, then per metric of `metrics` the test mean
 * and its spread over seeds (`spreadOf`: "–" for one run, where a 0 would read as "no
 * variation"), the means of `meansOnly`, and `extraColumns`. A metric a row does not have is a
 * `SettingError` naming the row and the metrics it has; so is a `metrics` or `meansOnly` that is
 * not a list of names. `best` marks the best mean of the metrics it names (checked when shown).
 *
 * @example
 * ```ts
 * const rows = summariseSystems(results, "MovieLens", ["Pop", "SASRec-MM"]);
 * await displayTable(systemsTable(rows, {
 *   caption: "MovieLens, test split, mean ± std over seeds",
 *   metrics: ["NDCG@10", "HR@10"],
 *   meansOnly: ["MRR"],
 *   best: { "NDCG@10": "higher", "HR@10": "higher", MRR: "higher" },
 * }));
 * ```
 */
export function systemsTable<Row extends SystemSummary>(
  rows: readonly Row[],
  options: SystemsTableOptions<Row>,
): TableInput {
  checkSettingNames("SystemsTableOptions", options, TABLE_OPTION_NAMES);
  checkOptionalText("SystemsTableOptions.caption", options.caption);
  const extra: unknown = options.extraColumns;
  if (extra !== undefined && !Array.isArray(extra)) {
    throw new SettingError("SystemsTableOptions.extraColumns", extra, "a list of columns");
  }
  const marked: unknown = options.best;
  if (
    marked !== undefined &&
    (marked === null || typeof marked !== "object" || Array.isArray(marked))
  ) {
    throw new SettingError(
      "SystemsTableOptions.best",
      marked,
      'an object of "higher" or "lower" by column',
    );
  }
  const { caption, metrics, meansOnly = [], validation = [], extraColumns = [], best } = options;
  checkMetricList("SystemsTableOptions.metrics", metrics, { atLeastOne: false });
  checkMetricList("SystemsTableOptions.meansOnly", meansOnly, { atLeastOne: false });
  checkMetricList("SystemsTableOptions.validation", validation, { atLeastOne: false });
  return {
    ...(caption === undefined ? {} : { caption }),
    ...(best === undefined ? {} : { best }),
    columns: [
      "system",
      "seeds",
      ...metrics.flatMap((metric) => [metric, "± std"]),
      ...meansOnly,
      ...validation.flatMap((metric) => [`valid ${metric}`, "± std"]),
      ...extraColumns.map((column) => column.heading),
    ],
    rows: rows.map((row) => {
      const test = (metric: string) => testMetric("systemsTable", row, metric);
      return [
        row.system,
        row.seeds.length,
        ...metrics.flatMap((metric) => [test(metric).mean, spreadOf(test(metric))]),
        ...meansOnly.map((metric) => test(metric).mean),
        ...validation.flatMap((metric) => {
          const valid = validMetric("systemsTable", row, metric);
          return [valid.mean, spreadOf(valid)];
        }),
        ...extraColumns.map((column) => column.cell(row)),
      ];
    }),
  };
}

/** Options of {@linkcode systemsBars}. */
export interface SystemsBarsOptions {
  /** Test metrics, one group of bars each, in order, e.g. `["NDCG@10", "HR@10"]`. */
  metrics: readonly string[];
  /** Figure title. Default: none. */
  title?: string;
  /** Title of the y axis. Default: none. */
  yTitle?: string;
}

const BARS_OPTION_NAMES: SettingNames<SystemsBarsOptions> = {
  metrics: true,
  title: true,
  yTitle: true,
};

/**
 * Grouped bars of the systems' test means, one group per metric and one series per system (named
 * with its number of seeds, so that a bar without an error bar reads as a single run), with error
 * bars of one standard deviation over seeds ({@linkcode errorBarOf}: none for a single run). A
 * metric a row does not have, or `metrics` not a list of at least one name, is a `SettingError`;
 * no rows at all is an error (a figure with nothing to draw).
 *
 * @example
 * ```ts
 * const rows = summariseSystems(results, "MovieLens", ["Pop", "SASRec-MM"]);
 * await display(systemsBars(rows, { metrics: ["NDCG@10", "HR@10"], yTitle: "test metric" }));
 * ```
 */
export function systemsBars(rows: readonly SystemSummary[], options: SystemsBarsOptions): Figure {
  checkSettingNames("SystemsBarsOptions", options, BARS_OPTION_NAMES);
  checkOptionalText("SystemsBarsOptions.title", options.title);
  checkOptionalText("SystemsBarsOptions.yTitle", options.yTitle);
  if (rows.length === 0) throw new Error("systemsBars: no rows (no system has a finished cell)");
  const { metrics, title, yTitle } = options;
  // No metric is a figure of no bars, as no rows is.
  checkMetricList("SystemsBarsOptions.metrics", metrics, { atLeastOne: true });
  return groupedBars({
    categories: [...metrics],
    series: rows.map((row) => {
      const test = (metric: string) => testMetric("systemsBars", row, metric);
      const seeds = row.seeds.length;
      return {
        name: `${row.system} (${seeds} seed${seeds === 1 ? "" : "s"})`,
        values: metrics.map((metric) => test(metric).mean),
        // No error bar for a single run (its std of 0 drew a flat whisker, read as no variation).
        errors: metrics.map((metric) => errorBarOf(test(metric))),
      };
    }),
    ...(title === undefined ? {} : { title }),
    ...(yTitle === undefined ? {} : { yTitle }),
  });
}

/**
 * Throws unless `value` is a list of metric names (at least one where `atLeastOne`). A notebook is
 * not type-checked: a single name ("NDCG@10") failed with "metrics.flatMap is not a function", and
 * an empty list drew bars of nothing.
 */
function checkMetricList(setting: string, value: unknown, { atLeastOne }: { atLeastOne: boolean }) {
  const names = Array.isArray(value) && value.every((name) => typeof name === "string");
  if (!names || (atLeastOne && value.length === 0)) {
    const least = atLeastOne ? ", at least one" : "";
    throw new SettingError(setting, value, `a list of test metric names${least}, e.g. ["NDCG@10"]`);
  }
}

function testMetric(where: string, row: SystemSummary, metric: string): MeanStd {
  checkOneOf(`${where} metric (test metrics of ${row.system})`, metric, Object.keys(row.test));
  return row.test[metric];
}

/** `row`'s validation `metric`, or a `SettingError` naming the row and its validation metrics. */
function validMetric(where: string, row: SystemSummary, metric: string): MeanStd {
  checkOneOf(
    `${where} validation metric (validation metrics of ${row.system})`,
    metric,
    Object.keys(row.valid),
  );
  return row.valid[metric];
}
