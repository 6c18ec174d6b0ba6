/**
 * The reproduction's outputs: machine-readable `summary.json`, a markdown `summary.md` and a
 * self-contained `report.html` with figures (plotly.js inlined once). Every table carries its
 * protocol: dataset statistics, split, loss, ranking, seeds.
 *
 * @example
 * ```ts
 * const report = buildReport(plan, outcome);
 * await writeReport(report, "results/full");
 * ```
 */
import { writeFilesAtomically } from "../data/atomic_write.ts";
import { groupedBars } from "../viz/grouped_bars.ts";
import { renderHtmlReport, type ReportSection } from "../viz/html_report.ts";
import { lineWithBands, symmetricBand } from "../viz/line_bands.ts";
import {
  type AttributionSummary,
  type ColdStartBucket,
  coldStartBuckets,
  comparePaired,
  compareWithStrongestBaseline,
  type MeanStd,
  meanStd,
  type SignificanceResult,
  summariseAttribution,
  summariseSystems,
  type SystemSummary,
} from "./analyse.ts";
import { SCORED_NOISE_FRACTION } from "./attribution_quality.ts";
import { datasetLabel } from "./datasets.ts";
import { DEFAULT_RANKING_PROTOCOL, type RankingProtocol } from "../eval/protocol.ts";
import { type ExperimentPlan, noiseLevelDataset, type SweepParameter } from "./plan.ts";
import { type DemureConfig, resolveDemureConfig } from "../demure/objective.ts";
import type { PlanOutcome } from "./run_plan.ts";
import type { CellResult } from "./run_cell.ts";

/** Metrics shown in tables, in order. */
export const TABLE_METRICS = ["HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20", "MRR"];

/** Everything the report shows, as data (this is `summary.json`). */
export interface ReproductionSummary {
  /** The plan's mode (`quick` or `full`). */
  mode: string;
  /** The plan's seeds. */
  seeds: number[];
  /** The evaluation protocol as printable lines. */
  protocol: string[];
  /** Per dataset label: its statistics and split protocol, printed. */
  datasets: Record<string, { statistics: string; split: string[] }>;
  /** Per dataset label: the main table's rows and the paired tests against the strongest baseline. */
  main: Record<string, { rows: SystemSummary[]; significance: SignificanceResult[] }>;
  /**
   * The main tables' test metrics under the other full-ranking protocol (same trained models,
   * selected on the plan's protocol), for comparison with papers that use it. Older result files
   * without these metrics are left out.
   */
  otherRanking: Record<string, { ranking: RankingProtocol; rows: SystemSummary[] }>;
  /** Per dataset label: the ablation table's rows. */
  ablation: Record<string, SystemSummary[]>;
  /** The sensitivity sweep: test and validation NDCG@10 per (parameter, value). */
  sensitivity: { parameter: string; value: number; test: number; valid: number }[];
  /** The noise-level curve: NDCG@10 of the multi-modal baseline and of Demure per noise fraction, and Demure's gain. */
  noiseLevel: {
    noiseFraction: number;
    multiModal: MeanStd;
    demure: MeanStd;
    gain: number;
  }[];
  /** Per dataset label: metrics by how often the test item occurs in training. */
  coldStart: Record<string, ColdStartBucket[]>;
  /** Attribution against the planted truth, per system and method. */
  attribution: AttributionSummary[];
  /** Finished cells summarised. */
  cells: number;
  /** Keys of the plan's cells not finished when the report was written (a partial run). */
  pending: string[];
  /** Training wall time of all finished cells, in seconds. */
  totalTrainSeconds: number;
}

function cellFormat(value: MeanStd): string {
  return value.n > 1 ? `${value.mean.toFixed(4)} ± ${value.std.toFixed(4)}` : value.mean.toFixed(4);
}

function markdownTable(columns: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c) => (typeof c === "number" ? c.toFixed(4) : c)).join(" | ")} |`;
  return [line(columns), line(columns.map(() => "---")), ...rows.map(line)].join("\n");
}

const BASELINES = [
  "Pop",
  "ItemKNN",
  "SASRec-ID",
  "GRU4Rec-ID",
  "SASRec-MM",
  "GRU4Rec-MM",
  "CL4SRec-MM",
];

/** The sweep's cells plus, for each parameter, the default value's cell (main table, first seed). */
function sensitivityRows(
  plan: ExperimentPlan,
  cells: readonly CellResult[],
  syntheticLabel: string,
): ReproductionSummary["sensitivity"] {
  const onSynthetic = cells.filter((c) => c.dataset === syntheticLabel);
  const defaults = onSynthetic.find((c) =>
    c.system === "Demure-SASRec" && c.seed === plan.seeds[0]
  );
  const resolved = resolveDemureConfig(defaultDemureOf(plan));
  const rows: ReproductionSummary["sensitivity"] = [];
  for (const parameter of Object.keys(plan.sweeps) as SweepParameter[]) {
    for (const value of plan.sweeps[parameter]) {
      const cell = value === resolved[parameter]
        ? defaults
        : onSynthetic.find((c) => c.system === `Demure-SASRec[${parameter}=${value}]`);
      if (cell) {
        rows.push({ parameter, value, test: cell.test["NDCG@10"], valid: cell.valid["NDCG@10"] });
      }
    }
  }
  return rows;
}

function patienceText(plan: ExperimentPlan): string {
  const kinds = new Set<string>(plan.cells.map((cell) => cell.dataset.kind));
  const overrides = Object.entries(plan.datasetTraining)
    .filter(([kind]) => kinds.has(kind))
    .filter(([, training]) => training?.patience !== undefined || training?.maxEpochs !== undefined)
    .map(([kind, training]) =>
      `${training?.patience ?? plan.training.patience} on ${kind}` +
      (training?.maxEpochs !== undefined ? ` (at most ${training.maxEpochs} epochs)` : "")
    );
  return [`patience ${plan.training.patience} epochs`, ...overrides].join(", ");
}

function rankingText(ranking: RankingProtocol): string {
  return ranking === "history_excluded"
    ? "full ranking over all items, the user's history items excluded [history_excluded]"
    : "full ranking over all items, the user's history items kept as candidates " +
      "(RecBole-compatible full sort) [history_kept]";
}

function defaultDemureOf(plan: ExperimentPlan): Partial<DemureConfig> {
  const demure = plan.cells.find((c) => c.systemName === "Demure-SASRec")?.system;
  return demure?.kind === "neural" ? demure.demure ?? {} : {};
}

/**
 * The datasets with a main table: MovieLens and the default synthetic benchmark, then any imported
 * dataset of the plan (not the noise-level variants of the synthetic data).
 */
function mainDatasetLabels(plan: ExperimentPlan): string[] {
  const synthetic = datasetLabel({ kind: "synthetic", config: plan.synthetic });
  const planned = new Set(plan.cells.map((cell) => datasetLabel(cell.dataset)));
  const noisy = new Set(
    plan.noiseFractions.map((f) => datasetLabel(noiseLevelDataset(plan.synthetic, f))),
  );
  noisy.delete(synthetic);
  const imported = [...planned].filter((label) =>
    label !== "MovieLens" && label !== synthetic && !noisy.has(label)
  );
  const embedded = ["MovieLens", synthetic].filter((label) => planned.has(label));
  return [...embedded, ...imported];
}

/** Computes every table of the report from the finished cells. */
export function summarise(plan: ExperimentPlan, outcome: PlanOutcome): ReproductionSummary {
  const { cells, datasets } = outcome;
  const mainDatasets = mainDatasetLabels(plan);
  const main: ReproductionSummary["main"] = {};
  const otherRanking: ReproductionSummary["otherRanking"] = {};
  const ablation: ReproductionSummary["ablation"] = {};
  const coldStart: ReproductionSummary["coldStart"] = {};
  for (const label of mainDatasets) {
    const rows = summariseSystems(cells, label, plan.mainSystems);
    // Each Demure model against the strongest baseline (chosen on validation) and against the
    // same backbone with the same modalities and no denoising.
    const significance = ([
      ["Demure-SASRec", "SASRec-MM"],
      ["Demure-GRU4Rec", "GRU4Rec-MM"],
    ] as const).flatMap(([system, counterpart]) =>
      [
        compareWithStrongestBaseline(cells, label, system, BASELINES),
        comparePaired(cells, label, system, counterpart),
      ].filter((result): result is SignificanceResult => result !== undefined)
    ).filter((result, i, all) =>
      all.findIndex((r) => r.system === result.system && r.baseline === result.baseline) === i
    );
    main[label] = { rows, significance };
    const underOther = cells.flatMap((c) =>
      c.dataset === label && c.testOtherRanking ? [{ ...c, test: c.testOtherRanking.metrics }] : []
    );
    if (underOther.length > 0) {
      otherRanking[label] = {
        ranking: underOther[0].testOtherRanking!.ranking,
        rows: summariseSystems(underOther, label, plan.mainSystems),
      };
    }
    ablation[label] = summariseSystems(cells, label, plan.ablationSystems);
    const data = datasets.get(label);
    if (data) coldStart[label] = coldStartBuckets(cells, label, data.split, plan.mainSystems);
  }
  const syntheticLabel = datasetLabel({ kind: "synthetic", config: plan.synthetic });
  const sensitivity = sensitivityRows(plan, cells, syntheticLabel);
  const noiseLevel = plan.noiseFractions.map((noiseFraction) => {
    const label = datasetLabel(noiseLevelDataset(plan.synthetic, noiseFraction));
    const of = (system: string) =>
      meanStd(
        cells.filter((c) => c.dataset === label && c.system === system).map((c) =>
          c.test["NDCG@10"]
        ),
      );
    const multiModal = of("SASRec-MM");
    const demure = of("Demure-SASRec");
    return { noiseFraction, multiModal, demure, gain: demure.mean - multiModal.mean };
  });
  const attribution = ["SASRec-MM", "Demure-SASRec"].flatMap((system) =>
    summariseAttribution(cells, syntheticLabel, system)
  );
  const datasetInfo: ReproductionSummary["datasets"] = {};
  for (const [label, data] of datasets) {
    datasetInfo[label] = { statistics: data.statistics, split: data.split.protocol };
  }
  const anyNeural = cells.find((c) => c.history.length > 0);
  return {
    mode: plan.mode,
    seeds: plan.seeds,
    protocol: [
      "5-core filtering; leave-one-out by time (last item test, second-to-last validation; " +
      "equal timestamps keep source order); the model reads the most recent 50 items; training " +
      "uses every 50-item window of each training history",
      `${rankingText(plan.training.ranking ?? DEFAULT_RANKING_PROTOCOL)} (validation and test), ` +
      "ties counted against the target (pessimistic); HR@K, NDCG@K, MRR",
      `training loss: ${anyNeural?.protocol.loss ?? "n/a"}; Adam; model selection and early ` +
      `stopping on validation NDCG@10 (${patienceText(plan)}); test never used for selection`,
      `seeds ${plan.seeds.join(", ")}; mean ± sample standard deviation over seeds; paired tests ` +
      "on per-user test NDCG@10 averaged over seeds",
    ],
    datasets: datasetInfo,
    main,
    otherRanking,
    ablation,
    sensitivity,
    noiseLevel,
    coldStart,
    attribution,
    cells: cells.length,
    pending: outcome.pending,
    totalTrainSeconds: cells.reduce((s, c) => s + c.trainSeconds, 0),
  };
}

function systemRows(rows: SystemSummary[]): (string | number)[][] {
  return rows.map((r) => [
    r.system,
    ...TABLE_METRICS.map((m) => cellFormat(r.test[m])),
    `${r.meanTrainSeconds.toFixed(0)} s`,
  ]);
}

function significanceLine(s: SignificanceResult): string {
  return `${s.system} vs ${s.baseline}: mean difference in ` +
    `per-user test NDCG@10 ${s.tTest.meanDifference.toFixed(4)}, paired t-test p = ` +
    `${s.tTest.pValue.toPrecision(3)}, Wilcoxon p = ${s.wilcoxon.pValue.toPrecision(3)} ` +
    `(n = ${s.tTest.n} users)`;
}

/** The markdown summary. */
export function summaryMarkdown(summary: ReproductionSummary): string {
  const parts: string[] = [`# Demure reproduction (${summary.mode} mode)`, "", "## Protocol", ""];
  parts.push(...summary.protocol.map((line) => `- ${line}`), "");
  for (const [label, info] of Object.entries(summary.datasets)) {
    parts.push(`### ${label}`, "", "```", info.statistics, "```", "");
  }
  for (const [label, { rows, significance }] of Object.entries(summary.main)) {
    if (rows.length === 0) continue;
    parts.push(`## Main table: ${label} (test, mean ± std over seeds)`, "");
    parts.push(markdownTable(["system", ...TABLE_METRICS, "train time"], systemRows(rows)), "");
    if (significance.length > 0) {
      parts.push(
        "Paired tests on per-user test NDCG@10 (averaged over seeds), against the strongest " +
          "baseline chosen on validation NDCG@10 and against the same backbone without denoising:",
        "",
        ...significance.map((s) => `- ${significanceLine(s)}`),
        "",
      );
    }
  }
  for (const [label, { ranking, rows }] of Object.entries(summary.otherRanking ?? {})) {
    if (rows.length === 0) continue;
    parts.push(
      `## Main table: ${label}, test under the other ranking protocol [${ranking}]`,
      "",
      "The same trained models (selected on validation under the protocol above), tested with " +
        rankingText(ranking) + ":",
      "",
    );
    parts.push(markdownTable(["system", ...TABLE_METRICS, "train time"], systemRows(rows)), "");
  }
  for (const [label, rows] of Object.entries(summary.ablation)) {
    if (rows.length === 0) continue;
    parts.push(`## Ablation: ${label}`, "");
    parts.push(markdownTable(["system", ...TABLE_METRICS, "train time"], systemRows(rows)), "");
  }
  if (summary.sensitivity.length > 0) {
    parts.push("## Sensitivity (synthetic, Demure-SASRec, first seed)", "");
    parts.push(
      markdownTable(
        ["parameter", "value", "valid NDCG@10", "test NDCG@10"],
        summary.sensitivity.map((s) => [s.parameter, String(s.value), s.valid, s.test]),
      ),
      "",
    );
  }
  if (summary.noiseLevel.length > 0) {
    parts.push("## Noise level (synthetic): test NDCG@10", "");
    parts.push(
      markdownTable(
        ["noise fraction", "SASRec-MM", "Demure-SASRec", "gain"],
        summary.noiseLevel.map((n) => [
          String(n.noiseFraction),
          cellFormat(n.multiModal),
          cellFormat(n.demure),
          n.gain,
        ]),
      ),
      "",
    );
  }
  for (const [label, buckets] of Object.entries(summary.coldStart)) {
    const systems = Object.keys(buckets[0]?.bySystem ?? {});
    parts.push(
      `## Cold start: ${label} (test NDCG@10 by training interactions of the test item)`,
      "",
    );
    parts.push(
      markdownTable(
        ["test item's training interactions", "users", ...systems],
        buckets.map((
          b,
        ) => [b.label, String(b.users), ...systems.map((s) => b.bySystem[s]["NDCG@10"])]),
      ),
      "",
    );
  }
  if (summary.attribution.length > 0) {
    parts.push(
      `## Attribution against the planted truth (synthetic, rho = ${SCORED_NOISE_FRACTION})`,
      "",
    );
    parts.push(
      markdownTable(
        [
          "model",
          "method",
          "ROC-AUC (pairs)",
          "ROC-AUC (user x modality)",
          "precision",
          "recall",
          "seconds",
        ],
        summary.attribution.map((a) => [
          a.system,
          a.method,
          cellFormat(a.rocAuc),
          cellFormat(a.userModalityRocAuc),
          cellFormat(a.precision),
          cellFormat(a.recall),
          a.seconds.toFixed(1),
        ]),
      ),
      "",
    );
  }
  parts.push(
    `${summary.cells} cells, ${(summary.totalTrainSeconds / 60).toFixed(1)} min of training.`,
  );
  if (summary.pending.length > 0) {
    parts.push(
      "",
      `**Partial run**: ${summary.pending.length} cells of the plan have not finished yet ` +
        "(`deno task reproduce` resumes them): " + summary.pending.join(", "),
    );
  }
  return parts.join("\n");
}

/** The HTML report's sections: the markdown tables plus figures. */
export function reportSections(summary: ReproductionSummary): ReportSection[] {
  const sections: ReportSection[] = [{ kind: "text", markdown: summaryMarkdown(summary) }];
  for (const [label, { rows }] of Object.entries(summary.main)) {
    if (rows.length === 0) continue;
    sections.push({
      kind: "figure",
      caption: `${label}: test NDCG@10 and HR@10, mean ± std over seeds`,
      figure: groupedBars({
        categories: rows.map((r) => r.system),
        series: ["NDCG@10", "HR@10"].map((metric) => ({
          name: metric,
          values: rows.map((r) => r.test[metric].mean),
          errors: rows.map((r) => r.test[metric].std),
        })),
        title: `Main table: ${label}`,
      }),
    });
  }
  if (
    summary.noiseLevel.length > 0 &&
    summary.noiseLevel.every((n) => Number.isFinite(n.multiModal.mean + n.demure.mean))
  ) {
    const x = summary.noiseLevel.map((n) => n.noiseFraction);
    sections.push({
      kind: "figure",
      caption: "Test NDCG@10 as the fraction of each user's modalities that are noise grows",
      figure: lineWithBands({
        title: "Noise level (synthetic)",
        xTitle: "noise fraction",
        yTitle: "test NDCG@10",
        series: (["multiModal", "demure"] as const).map((key) => ({
          name: key === "demure" ? "Demure-SASRec" : "SASRec-MM",
          x,
          y: summary.noiseLevel.map((n) => n[key].mean),
          band: symmetricBand(
            summary.noiseLevel.map((n) => n[key].mean),
            summary.noiseLevel.map((n) => n[key].std),
          ),
        })),
      }),
    });
  }
  if (summary.attribution.length > 0) {
    const methods = [...new Set(summary.attribution.map((a) => a.method))];
    const systems = [...new Set(summary.attribution.map((a) => a.system))];
    sections.push({
      kind: "figure",
      caption: "ROC-AUC of the noise scores against the planted truth, per attribution method",
      figure: groupedBars({
        categories: methods,
        series: systems.map((system) => ({
          name: system,
          values: methods.map((m) =>
            summary.attribution.find((a) => a.system === system && a.method === m)?.rocAuc.mean ?? 0
          ),
        })),
        title: "Attribution quality (synthetic)",
        yTitle: "ROC-AUC (pairs)",
      }),
    });
  }
  return sections;
}

/** Writes summary.json, summary.md and report.html under `directory` (atomically). */
export async function writeReport(
  summary: ReproductionSummary,
  directory: string,
): Promise<{ json: string; markdown: string; html: string }> {
  Deno.mkdirSync(directory, { recursive: true });
  const paths = {
    json: `${directory}/summary.json`,
    markdown: `${directory}/summary.md`,
    html: `${directory}/report.html`,
  };
  const html = await renderHtmlReport(reportSections(summary), {
    title: `Demure reproduction (${summary.mode})`,
  });
  writeFilesAtomically([
    { path: paths.json, data: JSON.stringify(summary, null, 1) },
    { path: paths.markdown, data: summaryMarkdown(summary) },
    { path: paths.html, data: html },
  ]);
  return paths;
}

/** Cells of one experiment for notebooks: the finished cells whose system matches. */
export function cellsOfSystem(cells: readonly CellResult[], system: string): CellResult[] {
  return cells.filter((c) => c.system === system);
}
