/**
 * The main table of one dataset under both full-ranking protocols side by side, each column named
 * by the protocol its numbers come from. Notebook 08 built this table with its headings written
 * out ("history excluded" first), so a plan run with `{ ranking: "history_kept" }`, as its prose
 * invites, showed the history-kept numbers under "history excluded" and the other way round.
 * Its caption is the library's, as every table of results (`protocol_caption.ts`): data, split,
 * loss, both rankings, seeds and mean ± std.
 */
import { protocolCaption } from "../experiments/protocol_caption.ts";
import type { ReproductionSummary } from "../experiments/summary_types.ts";
import type { SystemSummary } from "../experiments/analyse.ts";
import { RANKING_PROTOCOLS, type RankingProtocol } from "../eval/protocol.ts";
import {
  checkOneOf,
  checkOptionalText,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import type { TableInput } from "./display.ts";

/** Options of {@linkcode bothRankingsTable}. */
export interface BothRankingsTableOptions {
  /** Test metrics, each shown under both protocols, in order, e.g. `["NDCG@10", "HR@10"]`. */
  metrics: readonly string[];
  /**
   * What the table shows, in the notebook's words, put before the caption the library writes
   * (the protocol). Default: none, the caption starts with the metrics.
   */
  shows?: string;
}

const OPTION_NAMES: SettingNames<BothRankingsTableOptions> = { metrics: true, shows: true };

/** A ranking protocol in a column's words: "history excluded" or "history kept". */
function rankingWords(ranking: RankingProtocol): string {
  return ranking === "history_excluded" ? "history excluded" : "history kept";
}

/** A column heading: the metric and the protocol in words ("NDCG@10 (history kept)"). */
export function rankingColumn(metric: string, ranking: RankingProtocol): string {
  return `${metric} (${rankingWords(ranking)})`;
}

/**
 * One row per main-table system of `label`: per metric, its test mean under `history_excluded`,
 * then under `history_kept` (whichever of the two the plan ranked with: `summary.main` holds the
 * plan's protocol, `summary.otherRanking` the other one), every column's best marked (higher is
 * better). The caption names the protocol of the plan's main table (`summary.figureProtocols`)
 * with both rankings. A label without both tables, or a metric a row lacks, is a `SettingError`.
 *
 * @example
 * ```ts
 * // summary: summarise(outcome) of a plan on an imported dataset labelled "tiny"
 * await displayTable(bothRankingsTable(summary, "tiny", {
 *   metrics: ["NDCG@10", "HR@10"],
 *   shows: "tiny, quick mode",
 * }));
 * ```
 */
export function bothRankingsTable(
  summary: Pick<ReproductionSummary, "main" | "otherRanking" | "figureProtocols">,
  label: string,
  options: BothRankingsTableOptions,
): TableInput {
  checkSettingNames("BothRankingsTableOptions", options, OPTION_NAMES);
  const { metrics, shows } = options;
  checkOptionalText("BothRankingsTableOptions.shows", shows, "a string, or left out");
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw new SettingError(
      "BothRankingsTableOptions.metrics",
      metrics,
      'a list of test metric names, at least one, e.g. ["NDCG@10"]',
    );
  }
  const labels = Object.keys(summary.otherRanking).filter((name) => name in summary.main);
  checkOneOf("bothRankingsTable label (datasets with both rankings)", label, labels);
  const other = summary.otherRanking[label];
  const mainRanking = RANKING_PROTOCOLS.find((ranking) => ranking !== other.ranking)!;
  const byRanking = new Map<RankingProtocol, readonly SystemSummary[]>([
    [mainRanking, summary.main[label].rows],
    [other.ranking, other.rows],
  ]);
  const mean = (ranking: RankingProtocol, system: string, metric: string) => {
    const row = byRanking.get(ranking)!.find((candidate) => candidate.system === system);
    if (row === undefined) return "–";
    checkOneOf(
      `bothRankingsTable metric (test metrics of ${system})`,
      metric,
      Object.keys(row.test),
    );
    return row.test[metric].mean;
  };
  const columns = metrics.flatMap((metric) =>
    RANKING_PROTOCOLS.map((ranking) => ({
      heading: rankingColumn(metric, ranking),
      metric,
      ranking,
    }))
  );
  const protocol = summary.figureProtocols.main[label];
  const otherWords = other.ranking === "history_kept" ? "kept" : "excluded";
  const caption = (shows === undefined ? "" : `${shows}. `) +
    `Test ${metrics.join(", ")} on ${label} under both full-ranking protocols. ` +
    protocolCaption({
      ...protocol,
      // The table shows each system's mean alone (its std is in the plan's own table).
      aggregate: protocol.aggregate === "one run" ? "one run" : "mean",
      ranking: `${protocol.ranking}, in the columns "(${rankingWords(mainRanking)})"; in the ` +
        `columns "(${rankingWords(other.ranking)})", the same with the history items ` +
        `${otherWords} [${other.ranking}]`,
    });
  return {
    caption,
    columns: ["system", ...columns.map((column) => column.heading)],
    best: Object.fromEntries(columns.map((column) => [column.heading, "higher" as const])),
    rows: summary.main[label].rows.map((row) => [
      row.system,
      ...columns.map((column) => mean(column.ranking, row.system, column.metric)),
    ]),
  };
}
