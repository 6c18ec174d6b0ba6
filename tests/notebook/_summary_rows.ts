/**
 * Summary rows the notebook views' tests build again and again: a system's `SystemSummary`, an
 * attribution method's `AttributionSummary`, a point of a sensitivity curve, and notebook 08's
 * summary of both ranking protocols for the "tiny" dataset. Each test passes only what its check turns on (system, seeds, metric
 * values); the rest is fixed here, so two tests that mean the same row build the same row.
 */
import type { AttributionSummary, MeanStd, SystemSummary } from "../../lib/experiments/analyse.ts";
import type { SensitivityCurve, SensitivityPoint } from "../../lib/experiments/experiment_views.ts";
import type { MainRow } from "../../lib/experiments/summary_types.ts";
import type { RankingProtocol } from "../../lib/eval/protocol.ts";
import { finishedRun } from "../experiments/_finished_run.ts";

/** A metric's `mean` over `n` runs, with standard deviation `std`. */
export function meanOver(mean: number, n = 1, std = 0): MeanStd {
  return { mean, std, n };
}

/** A metric of 0.1 over `n` seeds: a std of 0.01 where there are several, none for one run. */
export function seedStats(n: number): MeanStd {
  return meanOver(0.1, n, n > 1 ? 0.01 : 0);
}

/** What a `SystemSummary` row may differ in; left out: MovieLens, seed 0, no validation. */
export interface SummaryRowParts {
  /** The row's test metrics. */
  test: Record<string, MeanStd>;
  /** The dataset label; "MovieLens" when left out. */
  dataset?: string;
  /** The seeds summarised; [0] when left out. */
  seeds?: number[];
  /** The validation metrics; none when left out. */
  valid?: Record<string, MeanStd>;
}

/** `system`'s row: `parts`, and a mean training time of 1 second. */
export function summaryRow(system: string, parts: SummaryRowParts): SystemSummary {
  const { test, dataset = "MovieLens", seeds = [0], valid = {} } = parts;
  return { system, dataset, seeds, test, valid, meanTrainSeconds: 1 };
}

/** `system`'s row over `seeds`, each of `metrics` at {@linkcode seedStats}. */
export function seedsRow(
  system: string,
  seeds: number[],
  metrics: readonly string[],
  dataset = "MovieLens",
): SystemSummary {
  const test = Object.fromEntries(metrics.map((metric) => [metric, seedStats(seeds.length)]));
  return summaryRow(system, { test, dataset, seeds });
}

/**
 * SASRec-MM's attribution by `method` over `seeds`: every quality at `stats` (by default
 * {@linkcode seedStats} of the seeds), 1 second of attributing.
 */
export function attributionRow(
  method: string,
  seeds: number[],
  stats: MeanStd = seedStats(seeds.length),
): AttributionSummary {
  return {
    system: "SASRec-MM",
    method,
    seeds,
    rocAuc: stats,
    userModalityRocAuc: stats,
    precision: stats,
    recall: stats,
    seconds: 1,
  };
}

/**
 * Demure-SASRec's point at `value` of a sensitivity curve: its runs at `seeds`, the metric at
 * `stats` (by default {@linkcode seedStats} of the seeds).
 */
export function sensitivityPoint(
  value: number,
  seeds: number[],
  selected: boolean,
  stats: MeanStd = seedStats(seeds.length),
): SensitivityPoint {
  return {
    value,
    seeds,
    stats,
    results: seeds.map((seed) => finishedRun("Demure-SASRec", seed).result),
    finished: seeds.map((seed) => finishedRun("Demure-SASRec", seed)),
    selected,
  };
}

/** The curve of lambda on MovieLens through `points`. */
export function lambdaCurve(points: SensitivityPoint[]): SensitivityCurve {
  return { dataset: "MovieLens", parameter: "lambda", points };
}

/** The protocol of the other full ranking than `ranking`. */
export function otherRankingThan(ranking: RankingProtocol): RankingProtocol {
  return ranking === "history_excluded" ? "history_kept" : "history_excluded";
}

/** The caption protocol of "tiny" (5 users, 6 items) at seed 0, ranked with `ranking`. */
export function tinyProtocol(ranking: RankingProtocol = "history_excluded") {
  const history = ranking === "history_excluded" ? "excluded" : "kept";
  return {
    data: ["tiny (5 users, 6 items)"],
    split: "leave-one-out by time",
    loss: "L_rec = cross-entropy over all items, all positions",
    ranking: `full ranking over all items of the dataset, history items ${history} [${ranking}]`,
    seeds: [0],
    aggregate: "one run" as const,
  };
}

/**
 * The summary notebook 08's table of both rankings reads, for "tiny" alone: the `main` rows ranked
 * with `ranking`, the `other` rows under the other protocol.
 */
export function bothRankingsSummary(
  main: SystemSummary[],
  other: SystemSummary[],
  ranking: RankingProtocol = "history_excluded",
) {
  return {
    main: { tiny: { rows: main as MainRow[], significance: [] } },
    figureProtocols: { main: { tiny: tinyProtocol(ranking) } },
    otherRanking: { tiny: { ranking: otherRankingThan(ranking), rows: other } },
  };
}
