/**
 * The grid of cells that reproduces the paper's experiments, run as a fair comparison:
 *
 * - **Converged**: every neural cell trains up to a high epoch cap with early stopping on
 *   validation NDCG@10; the cap and the patience are stated per dataset in one place (each
 *   mode's {@linkcode DatasetPlan}s, `_plan_settings.ts`). Each result records its best epoch and
 *   whether the cap bound.
 * - **Selected on validation, equal budget**: each selected system runs the same number of trials
 *   over its own key hyper-parameters (`selection.ts`) at the first seed; the trial with the best
 *   validation NDCG@10 is its configuration, and the main-table cells run it over every seed
 *   (the first seed's cell is the chosen trial itself, so it is not run twice). A cell whose
 *   configuration depends on an unfinished selection lists it in `waitsFor` and does not run yet.
 * - **Design choices of Demure** (L_rec on the denoised or the full history, noise per (user,
 *   modality) or per (position, modality), the noise-only view as a negative or not) run as cells
 *   of their own at the selected configuration with one choice flipped.
 * - **Sensitivity per dataset**: each dataset declares its own sweep ({@linkcode DatasetPlan.sweeps}):
 *   Demure-SASRec at the first seed with one parameter changed around the dataset's selected
 *   configuration, whose own cell (the main table's) is the reference. The synthetic benchmark
 *   sweeps rho, lambda, tau and the warm-up's length (`warmupEpochs`); MovieLens (full mode)
 *   sweeps lambda, a dose-response: at its selected configuration L_rec reads the full history, so
 *   the attributed masks, which the ablation finds costly there (issue 14), enter only through the
 *   contrastive term, whose weight is lambda. Does the cost grow with it? And the warm-up's length:
 *   does a later start of the term cost less?
 *
 * Cells carry the experiments they belong to (`experiments`), so reports and notebooks select them
 * by tag and never parse names. Cells shared by several experiments appear once.
 *
 * This module decides which cells the grid has and in what order (the order is the run order, and
 * an earlier cell's index never moves: `--cell N`, job arrays); `_plan_cells.ts` configures and
 * keys each cell; `_plan_settings.ts` holds each mode's numbers; `plan_types.ts` the shapes.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * console.log(plan.cells.length, cellsOf(plan, "main")[0].key);
 * ```
 */
import { DEFAULT_RANKING_PROTOCOL, RANKING_PROTOCOLS } from "../eval/protocol.ts";
import {
  checkInteger,
  checkOneOf,
  checkSettingNames,
  SEED_RANGE,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import type { DatasetSpec } from "./datasets.ts";
import { canonicalDatasetSpec, checkDatasetSpec, DATASET_KINDS } from "./dataset_spec.ts";
import {
  ABLATION_SYSTEMS,
  FIRST_ABLATION_SYSTEMS,
  LATER_ABLATION_SYSTEMS,
  type ModeSettings,
  SETTINGS,
} from "./_plan_settings.ts";
import { PlanCells } from "./_plan_cells.ts";
import type {
  CellSelection,
  DatasetPlan,
  DatasetTraining,
  Experiment,
  ExperimentMode,
  ExperimentPlan,
  PlannedCell,
  PlanOptions,
  Sweeps,
} from "./plan_types.ts";
import { maxTrialsOf, type SelectedConfigurations, SELECTION_SPECS } from "./selection.ts";
import { type SystemName, SYSTEMS } from "./systems.ts";

/** Every {@linkcode Experiment} (as a record, so that the compiler flags one the list lacks). */
const EXPERIMENTS = Object.keys(
  {
    main: true,
    ablation: true,
    noise_level: true,
    sensitivity: true,
    selection: true,
    design_choice: true,
  } satisfies Record<Experiment, true>,
) as Experiment[];

/**
 * Throws a `SettingError` unless `seeds` is a non-empty list of distinct integers >= 0 and < 2^31.
 */
export function validateSeeds(seeds: readonly number[]): void {
  const allowed = "a non-empty list of distinct integers >= 0 and < 2^31";
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new SettingError("plan seeds", seeds, allowed);
  }
  // SEED_RANGE: the range of every seed the library takes (one home; its max is 2^31 - 1).
  const valid = seeds.every((seed) =>
    Number.isInteger(seed) && seed >= SEED_RANGE.min! && seed <= SEED_RANGE.max!
  );
  if (!valid || new Set(seeds).size !== seeds.length) {
    throw new SettingError("plan seeds", seeds, allowed);
  }
}

/** The names of {@linkcode PlanOptions}: any other is refused (a typo ran the default). */
const PLAN_OPTION_NAMES: SettingNames<PlanOptions> = {
  dataset: true,
  ranking: true,
  datasetTraining: true,
  selected: true,
  trialBudget: true,
  demure: true,
};

/**
 * Throws a `SettingError` for a `dataset`, `demure`, `datasetTraining` or `selected` option that is
 * given but is not an object (a null `dataset` was reported as `DatasetSpec.kind is undefined`) (`selected`: one by dataset label, each by system name). They were read as
 * "given or not": `demure: null` planned without the Demure settings asked, `selected: 5` as
 * nothing selected (every selection to run again), and `selected: null` failed with a TypeError.
 */
function checkOptionObjects(options: PlanOptions): void {
  const isObject = (value: unknown) =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  for (
    const [name, allowed] of [
      ["dataset", "a dataset spec (an object with its kind)"],
      ["demure", "an object of DemureConfig settings"],
      ["datasetTraining", "an object of TrainerConfig settings"],
      ["selected", "an object by dataset label of objects by system name (selected.json)"],
    ] as const
  ) {
    const value: unknown = options[name];
    if (value !== undefined && !isObject(value)) {
      throw new SettingError(`PlanOptions.${name}`, value, allowed);
    }
  }
  for (const [label, systems] of Object.entries(options.selected ?? {})) {
    if (!isObject(systems)) {
      throw new SettingError(`PlanOptions.selected.${label}`, systems, "an object by system name");
    }
  }
}

/** Builds the grid of `mode`; `seeds` overrides the mode's seeds. */
export function planExperiments(
  mode: ExperimentPlan["mode"],
  seeds?: number[],
  asGiven: PlanOptions = {},
): ExperimentPlan {
  // `rankng: "sampled"` used to build the full-ranking plan without a word.
  checkSettingNames("PlanOptions", asGiven, PLAN_OPTION_NAMES);
  // Read as "given or not" below: "", null, 0 or false built the default ranking's plan silently.
  if (asGiven.ranking !== undefined) {
    checkOneOf("PlanOptions.ranking", asGiven.ranking, RANKING_PROTOCOLS);
  }
  checkOptionObjects(asGiven);
  if (asGiven.dataset !== undefined) checkDatasetSpec(asGiven.dataset);
  const options = asGiven.dataset
    ? { ...asGiven, dataset: canonicalDatasetSpec(asGiven.dataset) }
    : asGiven;
  checkOneOf("plan size (ExperimentMode)", mode, ["quick", "full"]);
  if (seeds !== undefined) validateSeeds(seeds);
  if (options.datasetTraining && !options.dataset) {
    throw new SettingError(
      "PlanOptions.datasetTraining",
      options.datasetTraining,
      "only with an imported dataset (options.dataset)",
    );
  }
  const { selected = {}, ...given } = options;
  // The default ranking is no option: a plan asked with it equals the plan asked without it.
  const { ranking: _ranking, ...rest } = given;
  const asked = given.ranking && given.ranking !== DEFAULT_RANKING_PROTOCOL ? given : rest;
  const base = SETTINGS[mode];
  // The ranking joins the trainer settings only when it is not the default, so that stored cells
  // stay reusable.
  const settings: ModeSettings = options.ranking && options.ranking !== DEFAULT_RANKING_PROTOCOL
    ? { ...base, training: { ...base.training, ranking: options.ranking } }
    : base;
  const datasets = datasetPlans(mode, settings, seeds, options);
  const datasetTraining: DatasetTraining = {};
  for (const kind of ["synthetic", "movielens"] as const) {
    datasetTraining[kind] = {
      maxEpochs: datasets[kind].maxEpochs,
      patience: datasets[kind].patience,
    };
  }
  if (options.dataset && options.datasetTraining) datasetTraining.file = options.datasetTraining;
  const cells = new PlanCells({
    mode,
    settings,
    datasets,
    selected,
    ...(options.demure ? { demure: options.demure } : {}),
    ...(options.datasetTraining ? { fileTraining: options.datasetTraining } : {}),
    ...(options.trialBudget === undefined ? {} : { trialBudget: options.trialBudget }),
  });
  const finish = (noiseFractions: number[], sweeps: Record<string, Sweeps>): ExperimentPlan => ({
    mode,
    seeds: options.dataset ? datasets.file.seeds : datasets.synthetic.seeds,
    model: settings.model,
    training: settings.training,
    datasets,
    datasetTraining,
    synthetic: settings.synthetic,
    noiseFractions,
    sweeps,
    mainSystems: settings.mainSystems,
    ablationSystems: ABLATION_SYSTEMS,
    selected,
    ...(seeds ? { seedsAsked: seeds } : {}),
    options: asked,
    cells: cells.checked(),
  });
  if (options.dataset) {
    addImportedDataset(cells, options.dataset, settings, datasets.file.seeds);
    return finish([], {});
  }
  addPaperGrid(cells, settings, datasets);
  return finish(settings.noiseFractions, cells.sweeps);
}

/**
 * Throws a `SettingError` unless `budget` is an integer from 1 to the points of the smallest grid
 * among the systems the mode selects (a budget above it stopped the plan with a plain Error from
 * the draw, `selection: 200 trials for SASRec-MM`, that did not name the option).
 */
function checkTrialBudget(budget: number, settings: ModeSettings): void {
  checkInteger("PlanOptions.trialBudget", budget, { min: 1 });
  const { synthetic, movielens } = settings.datasets;
  const systems = [...new Set([...synthetic.selected, ...movielens.selected])];
  if (systems.length === 0) return;
  const smallest = systems.map((name) => ({ name, most: maxTrialsOf(name) }))
    .reduce((a, b) => b.most < a.most ? b : a);
  if (budget > smallest.most) {
    throw new SettingError(
      "PlanOptions.trialBudget",
      budget,
      `an integer >= 1 and <= ${smallest.most} (the points of ${smallest.name}'s grid)`,
    );
  }
}

/**
 * What the plan does on each dataset kind: the mode's plans with the seeds and the trial budget
 * asked; an imported dataset runs at the mode's stopping (or its own), unselected, with no design
 * choices and no sweep.
 */
function datasetPlans(
  mode: ExperimentMode,
  settings: ModeSettings,
  seeds: number[] | undefined,
  options: PlanOptions,
): Record<DatasetSpec["kind"], DatasetPlan> {
  const fileStopping = {
    maxEpochs: options.datasetTraining?.maxEpochs ?? settings.fileStopping.maxEpochs,
    patience: options.datasetTraining?.patience ?? settings.fileStopping.patience,
  };
  if (options.trialBudget !== undefined) checkTrialBudget(options.trialBudget, settings);
  const budget = options.trialBudget === undefined ? {} : { trials: options.trialBudget };
  return {
    synthetic: seeds
      ? { ...settings.datasets.synthetic, seeds, ablationSeeds: seeds, ...budget }
      : { ...settings.datasets.synthetic, ...budget },
    movielens: seeds
      ? {
        ...settings.datasets.movielens,
        seeds: mode === "quick" ? seeds.slice(0, 1) : seeds,
        ablationSeeds: seeds.slice(0, 1),
        ...budget,
      }
      : { ...settings.datasets.movielens, ...budget },
    file: {
      ...fileStopping,
      trials: 1,
      selected: [],
      seeds: seeds ?? settings.datasets.synthetic.seeds,
      ablationSeeds: seeds ?? settings.datasets.synthetic.seeds,
      designChoices: false,
      designChoiceSeedCount: 1,
      sweeps: {},
      sweepSeedCount: 1,
    },
  };
}

/**
 * An imported dataset: the main table and the ablation for every seed at the systems' defaults;
 * a non-neural system at the first seed only.
 */
function addImportedDataset(
  cells: PlanCells,
  own: DatasetSpec,
  settings: ModeSettings,
  seeds: number[],
): void {
  for (const seed of seeds) {
    for (const name of settings.mainSystems) {
      if (SYSTEMS[name].kind === "neural" || seed === seeds[0]) cells.add("main", own, name, seed);
    }
    for (const name of FIRST_ABLATION_SYSTEMS) cells.add("ablation", own, name, seed);
  }
  // As on the embedded data: the systems added later come last, so earlier indices hold.
  for (const seed of seeds) {
    for (const name of LATER_ABLATION_SYSTEMS) cells.add("ablation", own, name, seed);
  }
}

/**
 * The paper's grid on the embedded datasets. Order = priority (a run stopped part-way resumes the
 * rest). The synthetic benchmark first (fast, the truth is known): its selection (backbones, then
 * the methods built on them) and its main table over all seeds. Then MovieLens: the selection, the
 * main table of the selected systems over all seeds, and the design choices of Demure (why it
 * loses there). Then the ablations, the other MovieLens systems (all at the first seed before the
 * other seeds), and last the noise-level curve and each dataset's sensitivity sweep around its
 * selected configuration (synthetic, then MovieLens). Cells added after the records were made
 * (later seeds of the design choices, `LATER_ABLATION_SYSTEMS`, `LATER_SWEEP_PARAMETERS`) come
 * after every other, so that earlier cells keep their indices. Non-neural systems do not depend
 * on the seed: they run once.
 */
function addPaperGrid(
  cells: PlanCells,
  settings: ModeSettings,
  datasets: Record<DatasetSpec["kind"], DatasetPlan>,
): void {
  const movielens: DatasetSpec = { kind: "movielens" };
  const synthetic: DatasetSpec = { kind: "synthetic", config: settings.synthetic };
  const nonNeural = settings.mainSystems.filter((n) => SYSTEMS[n].kind !== "neural");
  const backbones = settings.mainSystems.filter((n) =>
    SYSTEMS[n].kind === "neural" && !SELECTION_SPECS[n]?.inheritsFrom
  );
  const methods = settings.mainSystems.filter((n) => SELECTION_SPECS[n]?.inheritsFrom);
  // A dataset's selection: the systems without a search first, then every trial, then the
  // main-table seeds of the systems whose configuration the trials select.
  const addSelection = (dataset: DatasetSpec) => {
    const { seeds, selected } = datasets[dataset.kind];
    cells.addMain(dataset, nonNeural, seeds);
    cells.addTrials(dataset, backbones);
    cells.addTrials(dataset, methods);
    cells.addMain(dataset, settings.mainSystems.filter((n) => selected.includes(n)), seeds);
  };
  addSelection(synthetic);
  cells.addMain(synthetic, settings.mainSystems, datasets.synthetic.seeds);
  addSelection(movielens);
  cells.addDesignChoices(movielens);
  for (const seed of datasets.synthetic.ablationSeeds) {
    for (const name of FIRST_ABLATION_SYSTEMS) cells.add("ablation", synthetic, name, seed);
  }
  cells.addDesignChoices(synthetic);
  for (const seed of datasets.movielens.ablationSeeds) {
    for (const name of FIRST_ABLATION_SYSTEMS) cells.add("ablation", movielens, name, seed);
  }
  cells.addMain(movielens, settings.mainSystems, datasets.movielens.seeds.slice(0, 1));
  cells.addMain(movielens, settings.mainSystems, datasets.movielens.seeds);
  cells.addNoiseLevels(synthetic);
  // Each seed index from `first` up to the larger of the two datasets' counts (each add checks
  // its own dataset's count).
  const forSeedIndices = (
    count: "sweepSeedCount" | "designChoiceSeedCount",
    first: number,
    addAt: (seedIndex: number) => void,
  ) => {
    const last = Math.max(datasets.synthetic[count], datasets.movielens[count]);
    for (let seedIndex = first; seedIndex < last; seedIndex++) addAt(seedIndex);
  };
  // Synthetic first, then MovieLens, the first seed before the others: cells added later keep
  // the earlier ones' indices.
  forSeedIndices("sweepSeedCount", 0, (seedIndex) => {
    cells.addSweep(synthetic, seedIndex);
    cells.addSweep(movielens, seedIndex);
  });
  // The design choices at their later seeds, last (added after the first seed's cells, which
  // keep their indices).
  forSeedIndices("designChoiceSeedCount", 1, (seedIndex) => {
    cells.addDesignChoices(movielens, seedIndex);
    cells.addDesignChoices(synthetic, seedIndex);
  });
  for (const dataset of [synthetic, movielens]) {
    for (const seed of datasets[dataset.kind].ablationSeeds) {
      for (const name of LATER_ABLATION_SYSTEMS) cells.add("ablation", dataset, name, seed);
    }
  }
  // Synthetic's at every seed, then MovieLens's (added after synthetic's, keeping their indices).
  forSeedIndices("sweepSeedCount", 0, (seedIndex) => cells.addSweep(synthetic, seedIndex, true));
  forSeedIndices("sweepSeedCount", 0, (seedIndex) => cells.addSweep(movielens, seedIndex, true));
}

/** `plan` built again with other selected configurations (same mode, seeds and options). */
export function replanWith(
  plan: ExperimentPlan,
  selected: SelectedConfigurations,
): ExperimentPlan {
  return planExperiments(plan.mode, plan.seedsAsked, { ...plan.options, selected });
}

/**
 * The cells of `plan` that belong to `experiment`, in plan order.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const ablation = cellsOf(plan, "ablation").filter((cell) => cell.dataset.kind === "movielens");
 * ```
 */
export function cellsOf(plan: ExperimentPlan, experiment: Experiment): PlannedCell[] {
  // A mistyped name ("ablations", in a notebook cell the kernel does not type-check) found no
  // cell: an empty table, silently.
  checkOneOf("cellsOf experiment", experiment, EXPERIMENTS);
  return plan.cells.filter((cell) => cell.experiments.includes(experiment));
}

const CELL_SELECTION_NAMES: SettingNames<CellSelection> = {
  dataset: true,
  systems: true,
  seed: true,
};

/**
 * The test that keeps the cells `selection` names (its data kind, its systems, its seed), for
 * `filter` and `find` over {@linkcode cellsOf}, or as a notebook's `quickCompute`. The selection is
 * checked at once: an unknown field, data kind or system name, an empty list of systems, or a
 * seed that is no seed, is a `SettingError` (in a notebook cell, which the kernel does not type-check, it would otherwise
 * select nothing, silently).
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const baselines = cellsOf(plan, "main")
 *   .filter(cellFilter({ dataset: "movielens", systems: ["Pop", "SASRec-MM"] }));
 * ```
 */
export function cellFilter(selection: CellSelection): (cell: PlannedCell) => boolean {
  checkSettingNames("CellSelection", selection, CELL_SELECTION_NAMES);
  const { dataset, systems, seed } = selection;
  if (dataset !== undefined) checkOneOf("CellSelection.dataset", dataset, DATASET_KINDS);
  if (systems !== undefined) {
    if (!Array.isArray(systems) || systems.length === 0) {
      throw new SettingError(
        "CellSelection.systems",
        systems,
        "a non-empty list of system names (leave systems out for every system)",
      );
    }
    const names = Object.keys(SYSTEMS) as SystemName[];
    systems.forEach((system, k) => checkOneOf(`CellSelection.systems[${k}]`, system, names));
  }
  if (seed !== undefined) checkInteger("CellSelection.seed", seed, SEED_RANGE);
  return (cell) =>
    (dataset === undefined || cell.dataset.kind === dataset) &&
    (systems === undefined || systems.includes(cell.systemKey)) &&
    (seed === undefined || cell.seed === seed);
}
