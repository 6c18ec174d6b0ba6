/**
 * Everything the report shows, as data (`summary.json`), computed from the finished cells of a
 * plan: the main tables with paired tests, the selection table of every selected system, the
 * convergence of every run (best epoch, cap-bound cells), the ablation, Demure's design choices,
 * the noise-level and sensitivity curves, cold start, attribution quality, and the diagnosis of
 * Demure against its backbone (curves per epoch and the gain by item popularity). Cells are chosen
 * by their experiment tags and plan fields, never by parsing names.
 *
 * @example
 * ```ts
 * const outcome = await runPlan(plan, { resultsDir: "results-of-record/full", runPending: false });
 * const summary = summarise(outcome);
 * console.log(summary.convergence.capBound);
 * ```
 */
import {
  type AttributionSummary,
  type ColdStartBucket,
  coldStartBuckets,
  comparePaired,
  compareWithStrongestBaseline,
  meanStd,
  type SignificanceResult,
  summariseAttribution,
  summariseSystems,
} from "./analyse.ts";
import { datasetLabel } from "./datasets.ts";
import { DEFAULT_RANKING_PROTOCOL, type RankingProtocol } from "../eval/protocol.ts";
import { cellsOf } from "./plan.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import { DEFAULT_DEMURE_CONFIG } from "../demure/config.ts";
import { modalityNoiseRates } from "../demure/noise_rates.ts";
import { epochNoiseRates } from "./epoch_noise_rates.ts";
import type { PlanOutcome } from "./run_plan.ts";
import type { FinishedCell } from "./ensure_cells.ts";
import { type SeedRun, seedRuns, sweepValueRuns } from "./experiment_views.ts";
import { type PairedTestResult, pairedTTest } from "../eval/significance.ts";
import { type CellResult, endedWithBackboneWeights } from "./run_cell.ts";
import { type TrialConfig, trialConfigOf } from "./selection.ts";
import { objectiveAdditionText, recommendationLossText } from "./training_objective.ts";
import { captionProtocolOf } from "./protocol_caption.ts";
import { NOISE_LEVEL_SYSTEMS } from "./systems.ts";
import type {
  DesignChoiceRow,
  Diagnosis,
  FigureProtocols,
  MainRow,
  ReproductionSummary,
  RunCurves,
  SelectionTable,
  SensitivityRow,
} from "./summary_types.ts";

/** Metrics shown in tables, in order. */
export const TABLE_METRICS = ["HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20", "MRR"];

/** Systems a Demure model is compared with (the strongest of them chosen on validation). */
const BASELINES = [
  "Pop",
  "ItemKNN",
  "SASRec-ID",
  "GRU4Rec-ID",
  "SASRec-MM",
  "GRU4Rec-MM",
  "CL4SRec-MM",
];

/** The ablation's systems with one of Demure's two components (the paper's ablations a and b). */
const ONE_COMPONENT_SYSTEMS = ["AttributionOnly-SASRec", "ContrastiveOnly-SASRec"];

/** AttributionOnly-SASRec's control: random masks in the input instead of attributed ones. */
const RANDOM_INPUT_CONTROL = "RandomInputMasks-SASRec";

function finishedOf(byKey: Map<string, CellResult>, cells: PlannedCell[]): FinishedCell[] {
  return cells.flatMap((cell) => {
    const result = byKey.get(cell.key);
    return result ? [{ cell, result }] : [];
  });
}

/** "lr 0.005, dropout 0.3, lambda 0.1, ..." for a trial's settings. */
export function describeConfig(config: TrialConfig): string {
  const parts: string[] = [];
  if (config.learningRate !== undefined) parts.push(`lr ${config.learningRate}`);
  if (config.dropout !== undefined) parts.push(`dropout ${config.dropout}`);
  const c = config.cl4srec;
  if (c?.weight !== undefined) parts.push(`lambda ${c.weight}`);
  if (c?.maskRatio !== undefined) parts.push(`augmentation ${c.maskRatio}`);
  const d = config.demure;
  if (d?.lambda !== undefined) parts.push(`lambda ${d.lambda}`);
  if (d?.rho !== undefined) parts.push(`rho ${d.rho}`);
  if (d?.temperature !== undefined) parts.push(`tau ${d.temperature}`);
  if (d?.warmupBy !== undefined) {
    parts.push(
      d.warmupBy === "steps"
        ? `warm-up ${d.warmupSteps ?? DEFAULT_DEMURE_CONFIG.warmupSteps} steps`
        : d.warmupBy === "epochs"
        ? `warm-up ${d.warmupEpochs} epochs`
        : `warm-up until ${d.warmupEpochs} epochs without gain`,
    );
  }
  if (d?.denoiseInput !== undefined) {
    parts.push(`L_rec on ${d.denoiseInput ? "denoised" : "full"} history`);
  }
  return parts.length === 0 ? "defaults" : parts.join(", ");
}

function selectionTables(plan: ExperimentPlan, byKey: Map<string, CellResult>): SelectionTable[] {
  const trials = cellsOf(plan, "selection");
  const ids = [...new Set(trials.map((c) => c.trial!.selection))];
  return ids.map((id) => {
    const cells = trials.filter((c) => c.trial!.selection === id);
    const first = cells[0];
    const chosen = plan.selected[first.datasetLabel]?.[first.systemKey];
    const inheritedFrom = cells.find((c) => c.trial!.index === 0)?.config ?? {};
    const rows = finishedOf(byKey, cells).map(({ cell, result }) => ({
      trial: cell.trial!.index,
      settings: cell.trial!.point ? describeConfig(trialConfigOf(cell.trial!.point)) : "defaults",
      valid: result.valid["NDCG@10"],
      bestEpoch: result.bestEpoch,
      epochsRun: result.epochsRun,
      capBound: result.capBound,
      backboneWeights: endedWithBackboneWeights(result),
      diverged: result.diverged !== undefined,
      chosen: chosen?.trial === cell.trial!.index,
    }));
    return {
      dataset: first.datasetLabel,
      system: first.systemKey,
      budget: cells.length,
      finished: rows.length,
      inherited: first.waitsFor
        ? `the selected lr and dropout of ${first.waitsFor.join(", ")} (not selected yet)`
        : describeConfig(inheritedFrom),
      rows,
    };
  });
}

function mainRows(
  plan: ExperimentPlan,
  finished: FinishedCell[],
  label: string,
): MainRow[] {
  const results = finished.map((f) => f.result);
  return summariseSystems(results, label, plan.mainSystems).map((row) => {
    const runs = finished.filter((f) =>
      f.cell.datasetLabel === label && f.cell.systemName === row.system
    );
    const neural = runs.filter((f) => f.cell.system.kind === "neural");
    return {
      ...row,
      configuredBy: runs[0].cell.configuredBy,
      bestEpochs: neural.map((f) => f.result.bestEpoch),
      backboneWeights: neural.map((f) => endedWithBackboneWeights(f.result)),
      capBound: neural.filter((f) => f.result.capBound).length,
    };
  });
}

function curvesOf({ cell, result }: FinishedCell): RunCurves {
  const noiseRate = epochNoiseRates(result);
  return {
    system: cell.systemName,
    seed: cell.seed,
    epochs: result.history.map((h) => h.epoch),
    validNdcg: result.history.map((h) => h.validation?.["NDCG@10"] ?? NaN),
    recommendationLoss: result.history.map((h) => h.recommendationLoss),
    auxiliaryLoss: result.history.map((h) => h.auxiliaryLoss),
    ...(noiseRate ? { noiseRate } : {}),
    bestEpoch: result.bestEpoch,
    ...(result.demure?.warmupEndedAfterEpoch !== undefined
      ? { warmupEndedAfterEpoch: result.demure.warmupEndedAfterEpoch }
      : {}),
  };
}

function diagnosisOf(
  main: FinishedCell[],
  label: string,
  buckets: ColdStartBucket[] | undefined,
): Diagnosis | undefined {
  const firstSeed = (system: string) =>
    main.filter((f) => f.cell.datasetLabel === label && f.cell.systemName === system)
      .sort((a, b) => a.cell.seed - b.cell.seed)[0];
  const baseline = firstSeed("SASRec-MM");
  const demure = firstSeed("Demure-SASRec");
  if (!baseline || !demure) return undefined;
  const popularity = (buckets ?? []).map((b) => ({
    ...b,
    bySystem: Object.fromEntries(
      Object.entries(b.bySystem).filter(([s]) => s === "SASRec-MM" || s === "Demure-SASRec"),
    ),
  }));
  const compared = main.filter((f) =>
    f.cell.datasetLabel === label &&
    (f.cell.systemName === "SASRec-MM" || f.cell.systemName === "Demure-SASRec")
  );
  return {
    dataset: label,
    curves: [curvesOf(baseline), curvesOf(demure)],
    curvesProtocol: captionProtocolOf([baseline, demure], "diagnosisFigures", "one run"),
    popularityProtocol: captionProtocolOf(compared, "diagnosisFigures", "mean"),
    noiseRateByModality: demure.result.demure?.noiseRateByModality ?? {},
    noiseRates: modalityNoiseRates(demure.result.demure ?? { pairsByModality: {} }),
    popularity,
  };
}

/**
 * The plan's datasets with their stopping and budget, named as the tables name them: "Synthetic"
 * (every noise level shares its settings), "MovieLens", or an imported dataset's label.
 */
function plannedDatasets(plan: ExperimentPlan): [string, ExperimentPlan["datasets"]["file"]][] {
  const labels: Record<string, string> = {};
  for (const cell of plan.cells) {
    labels[cell.dataset.kind] ??= cell.dataset.kind === "synthetic"
      ? datasetLabel({ kind: "synthetic", config: {} })
      : datasetLabel(cell.dataset);
  }
  return Object.entries(plan.datasets).flatMap(([kind, d]) =>
    labels[kind] === undefined ? [] : [[labels[kind], d] as [string, typeof d]]
  );
}

function patienceText(plan: ExperimentPlan): string {
  return plannedDatasets(plan).map(([label, d]) =>
    `patience ${d.patience} on ${label} (at most ${d.maxEpochs} epochs)`
  ).join(", ");
}

/** The ranking protocol in words, with its name. */
export function rankingText(ranking: RankingProtocol): string {
  return ranking === "history_excluded"
    ? "full ranking over all items, the user's history items excluded [history_excluded]"
    : "full ranking over all items, the user's history items kept as candidates " +
      "(RecBole-compatible full sort) [history_kept]";
}

/**
 * The test (and validation) ranking of `plan` in words, for a table of its results that must say
 * how it ranked: "full ranking over all items, the user's history items excluded
 * [history_excluded]".
 */
export function planRankingText(plan: ExperimentPlan): string {
  return rankingText(plan.training.ranking ?? DEFAULT_RANKING_PROTOCOL);
}

/**
 * The datasets with a main table: the default synthetic benchmark and MovieLens, then any
 * imported dataset of the plan (not the noise-level variants of the synthetic data).
 */
function mainDatasetLabels(plan: ExperimentPlan): string[] {
  const synthetic = datasetLabel({ kind: "synthetic", config: plan.synthetic });
  const main = new Set(cellsOf(plan, "main").map((cell) => cell.datasetLabel));
  const embedded = [synthetic, "MovieLens"].filter((label) => main.has(label));
  return [...embedded, ...[...main].filter((label) => !embedded.includes(label))];
}

/** Computes every table of the report from the finished cells of `outcome.plan`. */
export function summarise(outcome: PlanOutcome): ReproductionSummary {
  const { plan, byKey } = outcome;
  const mainCells = finishedOf(byKey, cellsOf(plan, "main"));
  const mainResults = mainCells.map((f) => f.result);
  const perDataset = datasetSections(outcome, mainCells);
  const synthetic = datasetLabel({ kind: "synthetic", config: plan.synthetic });
  const all = finishedOf(byKey, plan.cells);
  const neural = all.filter((f) => f.cell.system.kind === "neural" && !f.result.diverged);
  const attribution = ["SASRec-MM", "Demure-SASRec"].flatMap((system) =>
    summariseAttribution(mainResults, synthetic, system)
  );
  const noiseCells = finishedOf(byKey, cellsOf(plan, "noise_level"));
  return {
    mode: plan.mode,
    protocol: protocolLines(plan, neural),
    figureProtocols: figureProtocolsOf(mainCells, perDataset.main, noiseCells, {
      label: synthetic,
      rows: attribution,
    }),
    datasets: datasetInfoOf(outcome.datasets),
    budgets: plannedDatasets(plan).map(([label, d]) => ({
      dataset: label,
      maxEpochs: d.maxEpochs,
      patience: d.patience,
      trials: d.trials,
      selected: d.selected,
      seeds: d.seeds,
    })),
    main: perDataset.main,
    otherRanking: perDataset.otherRanking,
    selection: selectionTables(plan, byKey),
    convergence: convergenceOf(plan, neural),
    ablation: perDataset.ablation,
    ablationSignificance: perDataset.ablationSignificance,
    designChoices: designChoiceRows([
      ...mainCells,
      ...finishedOf(byKey, cellsOf(plan, "design_choice")),
    ]),
    sensitivity: sensitivityRows(plan, finishedOf(byKey, cellsOf(plan, "sensitivity"))),
    noiseLevel: noiseLevelRows(noiseCells),
    coldStart: perDataset.coldStart,
    attribution,
    diagnosis: perDataset.diagnosis,
    cells: all.length,
    pending: outcome.pending,
    totalTrainSeconds: all.reduce((s, f) => s + f.result.trainSeconds, 0),
  };
}

/**
 * The protocol each report figure states, from the cards of the runs it draws: each main table's
 * runs, the noise-level figure's two systems, and the attributed runs of the attribution figure.
 */
function figureProtocolsOf(
  mainCells: readonly FinishedCell[],
  main: ReproductionSummary["main"],
  noiseCells: readonly FinishedCell[],
  attribution: { label: string; rows: readonly AttributionSummary[] },
): FigureProtocols {
  const caller = "summarise (the report's figures)";
  const protocols: FigureProtocols = { main: {} };
  for (const [label, { rows }] of Object.entries(main)) {
    const cells = mainCells.filter(({ cell }) => cell.datasetLabel === label);
    if (rows.length > 0 && cells.length > 0) {
      protocols.main[label] = captionProtocolOf(cells, caller);
    }
  }
  const systems: readonly string[] = NOISE_LEVEL_SYSTEMS;
  const noise = noiseCells.filter(({ cell }) => systems.includes(cell.systemName));
  if (noise.length > 0) protocols.noiseLevel = captionProtocolOf(noise, caller);
  const attributed = mainCells.filter(({ cell }) =>
    cell.datasetLabel === attribution.label &&
    attribution.rows.some((row) => row.system === cell.systemName && row.seeds.includes(cell.seed))
  );
  if (attributed.length > 0) protocols.attribution = captionProtocolOf(attributed, caller);
  return protocols;
}

/** The sections of the summary made once per main-table dataset. */
type DatasetSections = Pick<
  ReproductionSummary,
  "main" | "otherRanking" | "ablation" | "ablationSignificance" | "coldStart" | "diagnosis"
>;

/**
 * Per main-table dataset: the main table and its tests, the main table under the other ranking
 * protocol (where the cells have it), the ablation and its tests, cold start and the diagnosis.
 */
function datasetSections(outcome: PlanOutcome, mainCells: FinishedCell[]): DatasetSections {
  const { plan, byKey, datasets } = outcome;
  const mainResults = mainCells.map((f) => f.result);
  const ablationResults = finishedOf(byKey, cellsOf(plan, "ablation")).map((f) => f.result);
  const sections: DatasetSections = {
    main: {},
    otherRanking: {},
    ablation: {},
    ablationSignificance: {},
    coldStart: {},
    diagnosis: [],
  };
  for (const label of mainDatasetLabels(plan)) {
    sections.main[label] = {
      rows: mainRows(plan, mainCells, label),
      significance: mainSignificance(mainResults, label),
    };
    const underOther = mainResults.flatMap((c) =>
      c.dataset === label && c.testOtherRanking ? [{ ...c, test: c.testOtherRanking.metrics }] : []
    );
    if (underOther.length > 0) {
      sections.otherRanking[label] = {
        ranking: underOther[0].testOtherRanking!.ranking,
        rows: summariseSystems(underOther, label, plan.mainSystems),
      };
    }
    sections.ablation[label] = summariseSystems(ablationResults, label, plan.ablationSystems);
    sections.ablationSignificance[label] = ablationSignificanceOf(ablationResults, label);
    const data = datasets.get(label);
    if (data) {
      sections.coldStart[label] = coldStartBuckets(
        mainResults,
        label,
        data.split,
        plan.mainSystems,
      );
    }
    const diagnosed = diagnosisOf(mainCells, label, sections.coldStart[label]);
    if (diagnosed) sections.diagnosis.push(diagnosed);
  }
  return sections;
}

/** Each prepared dataset's statistics and split protocol, by label in alphabetical order. */
function datasetInfoOf(
  datasets: PlanOutcome["datasets"],
): ReproductionSummary["datasets"] {
  const info: ReproductionSummary["datasets"] = {};
  for (const [label, data] of [...datasets].sort(([a], [b]) => a.localeCompare(b))) {
    info[label] = { statistics: data.statistics, split: data.split.protocol };
  }
  return info;
}

/**
 * Each Demure model against the strongest baseline (chosen on validation) and against the same
 * backbone with the same modalities and no denoising, on `label`; a pair asked twice counts once.
 */
function mainSignificance(results: readonly CellResult[], label: string): SignificanceResult[] {
  return ([
    ["Demure-SASRec", "SASRec-MM"],
    ["Demure-GRU4Rec", "GRU4Rec-MM"],
  ] as const).flatMap(([system, counterpart]) =>
    [
      compareWithStrongestBaseline(results, label, system, BASELINES),
      comparePaired(results, label, system, counterpart),
    ].filter((result): result is SignificanceResult => result !== undefined)
  ).filter((result, i, all) =>
    all.findIndex((r) => r.system === result.system && r.baseline === result.baseline) === i
  );
}

/**
 * The ablation's paired tests on `label`: each one-component system against the backbone and
 * Demure; the random-mask control against the attributed masks it controls, and the backbone.
 */
function ablationSignificanceOf(
  results: readonly CellResult[],
  label: string,
): SignificanceResult[] {
  return [
    ...ONE_COMPONENT_SYSTEMS.flatMap((system) =>
      ["SASRec-MM", "Demure-SASRec"].map((reference) =>
        comparePaired(results, label, system, reference)
      )
    ),
    ...["AttributionOnly-SASRec", "SASRec-MM"].map((reference) =>
      comparePaired(results, label, RANDOM_INPUT_CONTROL, reference)
    ),
  ].filter((result): result is SignificanceResult => result !== undefined);
}

/**
 * SASRec-MM and Demure-SASRec's test NDCG@10 at each planted noise share, in increasing order, and
 * Demure's gain paired by seed (the seeds both finished, as `noiseLevelGains` pairs them for the
 * notebooks and the README): a difference of the two means mixed seeds in a partial run (mutation
 * round IK: 0.00612 against the paired 0.00404 with one Demure seed missing at 0.5).
 */
function noiseLevelRows(noiseCells: FinishedCell[]): ReproductionSummary["noiseLevel"] {
  const fractions = [...new Set(noiseCells.map((f) => f.cell.noiseFraction!))].sort((a, b) =>
    a - b
  );
  return fractions.map((noiseFraction) => {
    const testBySeed = (system: string) =>
      new Map(
        seedRuns(noiseCells.filter((f) =>
          f.cell.noiseFraction === noiseFraction && f.cell.systemName === system
        )).map(({ seed, result }) => [seed, result.test["NDCG@10"]]),
      );
    const baseline = testBySeed("SASRec-MM");
    const ours = testBySeed("Demure-SASRec");
    const differences = [...ours].filter(([seed]) => baseline.has(seed))
      .map(([seed, value]) => value - baseline.get(seed)!);
    return {
      noiseFraction,
      multiModal: meanStd([...baseline.values()]),
      demure: meanStd([...ours.values()]),
      gain: meanStd(differences).mean,
    };
  });
}

/** How the finished neural runs (`neural`, none diverged) ended: cap-bound, backbone weights. */
function convergenceOf(
  plan: ExperimentPlan,
  neural: FinishedCell[],
): ReproductionSummary["convergence"] {
  const capBound = neural.filter((f) => f.result.capBound);
  const demureRuns = neural.filter((f) => f.result.demure !== undefined);
  return {
    neuralCells: neural.length,
    capBound: capBound.length,
    capBoundKeys: capBound.map((f) => f.cell.key),
    demureCells: demureRuns.length,
    backboneWeightsKeys: demureRuns.filter((f) => endedWithBackboneWeights(f.result))
      .map((f) => f.cell.key),
    maxBestEpoch: Math.max(0, ...neural.map((f) => f.result.bestEpoch)),
    minCap: Math.min(...plannedDatasets(plan).map(([, d]) => d.maxEpochs)),
  };
}

/**
 * The protocol the tables were made with, in words: L_rec as a neural run's record names it, and
 * for each system of the main and ablation tables that adds to it (a contrastive term, a denoised input) its
 * whole training objective, derived from the settings of its cells (`training_objective.ts`; the
 * records of record name L_rec alone).
 */
function protocolLines(plan: ExperimentPlan, neural: readonly FinishedCell[]): string[] {
  const first = neural[0];
  const recommendationLoss = first &&
    recommendationLossText(first.cell.system, first.result.protocol.loss);
  const objectives = objectiveLines(neural);
  return [
    "5-core filtering; leave-one-out by time (last item test, second-to-last validation; " +
    "equal timestamps keep source order); the model reads the most recent 50 items; training " +
    "uses every 50-item window of each training history",
    `${planRankingText(plan)} (validation and test), ` +
    "ties counted against the target (pessimistic); HR@K, NDCG@K, MRR",
    `training loss: ${recommendationLoss ?? "n/a"}` +
    (objectives.length > 0 ? " (L_rec; the systems below add to it)" : "") +
    "; Adam; early stopping on validation " +
    `NDCG@10 with the best epoch's weights restored (${patienceText(plan)})`,
    "hyper-parameters selected on validation NDCG@10 with an equal number of trials per " +
    "selected system at the first seed; test read once per selected configuration",
    "mean ± sample standard deviation (n − 1) over seeds; two-sided paired t-test and " +
    "Wilcoxon signed-rank test (users with equal values left out) on per-user test NDCG@10 " +
    "averaged over seeds, and a two-sided t-test paired by seed; no correction for multiple " +
    "comparisons",
    ...objectives,
  ];
}

/** The experiments whose cells run a system at its own settings (selected or default). */
const SYSTEM_EXPERIMENTS: ReadonlySet<string> = new Set(["main", "ablation"]);

/**
 * "training objective of Demure-SASRec on MovieLens: L_rec + lambda 0.02 × L_cl, ...": one line
 * per system and dataset of the main and ablation tables whose objective is more than L_rec, in
 * plan order (the sweeps and design choices change one setting, as their tables say).
 */
function objectiveLines(neural: readonly FinishedCell[]): string[] {
  const lines = new Map<string, string>();
  for (const { cell } of neural) {
    if (!cell.experiments.some((experiment) => SYSTEM_EXPERIMENTS.has(experiment))) continue;
    const addition = objectiveAdditionText(cell.system);
    const place = `${cell.systemName} on ${cell.datasetLabel}`;
    if (addition !== "" && !lines.has(place)) {
      lines.set(place, `training objective of ${place}: L_rec${addition}`);
    }
  }
  return [...lines.values()];
}

/**
 * The sensitivity rows of `finished` (its cells tagged `sensitivity` count; see
 * {@linkcode ReproductionSummary}): each value's runs over seeds, paired by seed with the selected
 * configuration's run, whose seeds count once (see {@linkcode sweepValueRuns}).
 *
 * @example
 * ```ts
 * const plan = notebookPlan();
 * const found = await ensureCellsInNotebook(plan, cellsOf(plan, "sensitivity"));
 * const rows = sensitivityRows(plan, found);
 * rows.filter((row) => row.tTest && row.tTest.pValue < 0.05);
 * ```
 */
export function sensitivityRows(
  plan: ExperimentPlan,
  finished: readonly FinishedCell[],
): SensitivityRow[] {
  const datasets = Object.keys(plan.sweeps);
  const rows = sweepValueRuns(finished, plan.sweeps).map((point): SensitivityRow => {
    const { runs, selectedRuns } = point;
    const paired = pairedBySeed(runs, selectedRuns);
    return {
      dataset: point.dataset,
      parameter: point.parameter,
      value: point.value,
      selected: point.selected,
      seeds: runs.map((run) => run.seed),
      valid: meanStd(runs.map((run) => run.result.valid["NDCG@10"])),
      test: meanStd(runs.map(testOf)),
      ...(paired.testVsSelected !== undefined ? { testVsSelected: paired.testVsSelected } : {}),
      pairedSeeds: paired.seeds,
      // The selected row is its own pair: nothing to test.
      ...(paired.tTest && !point.selected ? { tTest: paired.tTest } : {}),
    };
  });
  return rows.sort((a, b) =>
    datasets.indexOf(a.dataset) - datasets.indexOf(b.dataset) ||
    a.parameter.localeCompare(b.parameter) || a.value - b.value
  );
}

/** Test NDCG@10 of a run: the metric the sensitivity and design-choice rows compare. */
function testOf(run: SeedRun): number {
  return run.result.test["NDCG@10"];
}

/**
 * `runs` paired by seed with the selected configuration's runs: the seeds where both finished (in
 * `runs`' order), the mean over them of the run's test NDCG@10 minus the selected one's at the same
 * seed (undefined without a pair) and the two-sided paired t-test of those differences over seeds
 * (at least 2 pairs).
 */
function pairedBySeed(
  runs: readonly SeedRun[],
  selectedRuns: readonly SeedRun[],
): { seeds: number[]; testVsSelected?: number; tTest?: PairedTestResult } {
  const pairs = runs.flatMap((run) => {
    const reference = selectedRuns.find((other) => other.seed === run.seed);
    return reference ? [{ seed: run.seed, test: testOf(run), reference: testOf(reference) }] : [];
  });
  return {
    seeds: pairs.map((p) => p.seed),
    ...(pairs.length > 0
      ? { testVsSelected: pairs.reduce((sum, p) => sum + p.test - p.reference, 0) / pairs.length }
      : {}),
    ...(pairs.length >= 2
      ? { tTest: pairedTTest(pairs.map((p) => p.test), pairs.map((p) => p.reference)) }
      : {}),
  };
}

/**
 * The design-choice rows of `finished` (see {@linkcode DesignChoiceRow}): its cells with a design
 * choice, grouped by (dataset, choice) in the order first seen, each paired by seed with the main
 * table's Demure-SASRec cell of its dataset (the cells tagged `main` in `finished`).
 *
 * @example
 * ```ts
 * const plan = notebookPlan();
 * const wanted = [...cellsOf(plan, "main"), ...cellsOf(plan, "design_choice")];
 * const found = await ensureCellsInNotebook(plan, wanted);
 * const rows = designChoiceRows(found);
 * rows.filter((row) => row.tTest && row.tTest.pValue < 0.05);
 * ```
 */
export function designChoiceRows(finished: readonly FinishedCell[]): DesignChoiceRow[] {
  const mainRuns = finished.filter(({ cell }) =>
    cell.experiments.includes("main") && cell.systemKey === "Demure-SASRec" &&
    cell.designChoice === undefined
  );
  const byChoice = new Map<string, FinishedCell[]>();
  for (const finishedCell of finished) {
    const { datasetLabel, designChoice } = finishedCell.cell;
    if (designChoice === undefined) continue;
    const id = `${datasetLabel}\n${designChoice.key}`;
    byChoice.set(id, [...byChoice.get(id) ?? [], finishedCell]);
  }
  return [...byChoice.values()].flatMap((cells): DesignChoiceRow[] => {
    const { datasetLabel, designChoice } = cells[0].cell;
    const selectedRuns = seedRuns(
      mainRuns.filter(({ cell }) => cell.datasetLabel === datasetLabel),
    );
    const flippedRuns = seedRuns(cells).filter((run) =>
      selectedRuns.some((other) => other.seed === run.seed)
    );
    const paired = pairedBySeed(flippedRuns, selectedRuns);
    if (paired.testVsSelected === undefined) return [];
    const selectedAtSeeds = paired.seeds.map((seed) =>
      selectedRuns.find((run) => run.seed === seed)!
    );
    return [{
      dataset: datasetLabel,
      choice: designChoice!.name,
      seeds: paired.seeds,
      selected: {
        valid: meanStd(selectedAtSeeds.map((run) => run.result.valid["NDCG@10"])),
        test: meanStd(selectedAtSeeds.map(testOf)),
      },
      flipped: {
        valid: meanStd(flippedRuns.map((run) => run.result.valid["NDCG@10"])),
        test: meanStd(flippedRuns.map(testOf)),
        bestEpochs: flippedRuns.map((run) => run.result.bestEpoch),
      },
      testVsSelected: paired.testVsSelected,
      ...(paired.tTest ? { tTest: paired.tTest } : {}),
    }];
  });
}
