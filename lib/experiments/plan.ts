/**
 * The grid of cells that reproduces the paper's experiments, run as a fair comparison:
 *
 * - **Converged**: every neural cell trains up to a high epoch cap with early stopping on
 *   validation NDCG@10; the cap and the patience are stated per dataset in one place
 *   ({@linkcode DATASET_PLANS}). Each result records its best epoch and whether the cap bound.
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
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * console.log(plan.cells.length, cellsOf(plan, "main")[0].key);
 * ```
 */
import type { Cl4SRecConfig } from "../baselines/cl4srec.ts";
import {
  DEFAULT_DEMURE_CONFIG,
  type DemureConfig,
  resolveDemureConfig,
  warmupRefusal,
} from "../demure/objective.ts";
import { DEFAULT_SYNTHETIC, type SyntheticConfig } from "../data/synthetic.ts";
import { type ModelConfigInput, resolveModelConfig } from "../models/sequential_recommender.ts";
import { DEFAULT_RANKING_PROTOCOL, type RankingProtocol } from "../eval/protocol.ts";
import {
  DEFAULT_TRAINER_CONFIG,
  resolveTrainerConfig,
  type TrainerConfig,
} from "../train/config.ts";
import {
  checkInteger,
  checkOneOf,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import { DEFAULT_ADAM_CONFIG } from "../train/adam.ts";
import { datasetLabel, type DatasetSpec } from "./datasets.ts";
import { canonicalDatasetSpec, checkDatasetSpec } from "./dataset_spec.ts";
import {
  inheritedConfig,
  mergeTrialConfig,
  type SelectedConfigurations,
  SELECTION_SPECS,
  type SpacePoint,
  type TrialConfig,
  trialsOf,
} from "./selection.ts";
import { systemByName, type SystemName, SYSTEMS, type SystemSpec } from "./systems.ts";

/**
 * The experiments of the paper a cell belongs to. A cell shared by several experiments (the
 * multi-modal SASRec of the main table, the ablation and the noise-level curve) carries each tag,
 * so that a notebook or a report selects cells by tag and never parses their names.
 * - `main`: the main table (and the cold-start buckets, computed from the same cells);
 * - `ablation`: attribution only, contrastive only, both (Demure), neither (SASRec-MM);
 * - `noise_level`: SASRec-MM and Demure-SASRec on synthetic data at each noise fraction;
 * - `sensitivity`: Demure-SASRec with one parameter changed around its selected configuration
 *   (and the selected configuration's own cell), on each dataset that declares a sweep;
 * - `selection`: a trial of the hyper-parameter selection (first seed);
 * - `design_choice`: Demure-SASRec at its selected configuration with one design choice flipped.
 */
export type Experiment =
  | "main"
  | "ablation"
  | "noise_level"
  | "sensitivity"
  | "selection"
  | "design_choice";

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

/** A Demure parameter varied by the sensitivity sweep. */
export type SweepParameter = "rho" | "lambda" | "temperature" | "warmupEpochs";

/** A design choice of Demure measured against the selected configuration. */
export interface DesignChoice {
  /** Short name, e.g. "L_rec on the full history". */
  name: string;
  /** Stable part of the cell key, e.g. "denoiseInput=false". */
  key: string;
  /** The Demure settings that flip the choice. */
  demure: Partial<DemureConfig>;
}

/** One cell to run. */
export interface PlannedCell {
  /** Unique, stable key (the result file name); independent of the selected configuration. */
  key: string;
  /** The data the cell runs on. */
  dataset: DatasetSpec;
  /** Label of the dataset in tables, e.g. "MovieLens". */
  datasetLabel: string;
  /** The system this cell runs (the name in {@linkcode SYSTEMS}). */
  systemKey: SystemName;
  /** Row label in tables, e.g. "Demure-SASRec" or "Demure-SASRec (trial 2)". */
  systemName: string;
  /** The system with this cell's settings (trial, selection or design choice) applied. */
  system: SystemSpec;
  /** The cell's seed (model initialisation, batches, dropout). */
  seed: number;
  /** Model settings of this cell (the plan's, with the cell's dropout). */
  model: ModelConfigInput;
  /** Trainer settings of this cell: the plan's, with its dataset's stopping and the cell's lr. */
  training: Partial<TrainerConfig>;
  /** Score the attributions against the planted truth after training. */
  scoreAttribution: boolean;
  /** The experiments this cell belongs to (at least one). */
  experiments: Experiment[];
  /** How this cell's hyper-parameters were set. */
  configuredBy: "selection" | "trial" | "defaults" | "backbone selection";
  /** The hyper-parameters this cell runs with (beyond the plan's shared settings). */
  config: TrialConfig;
  /** Set for selection trials: which selection and which trial. */
  trial?: { selection: string; index: number; point?: SpacePoint };
  /** Selections (ids `<dataset>/<system>`) that must finish before this cell can run. */
  waitsFor?: string[];
  /** The key of an identical cell (a selection trial at this seed): its result is reused. */
  sameAs?: string;
  /** Set for the sensitivity sweep's cells (not for the selected configuration's own cell). */
  sweep?: { parameter: SweepParameter; value: number };
  /** Set for the design-choice cells. */
  designChoice?: DesignChoice;
  /** Set for the noise-level experiment's cells: the share of noise modalities per user. */
  noiseFraction?: number;
}

/**
 * What the plan does on one dataset. The ONE place where the stopping rule, the selection budget
 * and the seeds of a dataset are stated.
 */
export interface DatasetPlan {
  /** Epoch cap: high enough that early stopping, not the cap, ends a run. */
  maxEpochs: number;
  /** Early stopping: evaluations without a better validation NDCG@10 before a run stops. */
  patience: number;
  /** Trials per selected system (the same for every one). */
  trials: number;
  /** Systems selected on validation here; the others run at their defaults. */
  selected: SystemName[];
  /** Seeds of the main table (the first also runs the selection trials). */
  seeds: number[];
  /** Seeds of the ablation (the design choices run at the first). */
  ablationSeeds: number[];
  /** Run Demure's design-choice cells on this dataset. */
  designChoices: boolean;
  /** The design choices run at this many of the first `ablationSeeds`. */
  designChoiceSeedCount: number;
  /**
   * The sensitivity sweep here: the values of each Demure parameter tried around the selected
   * configuration (one parameter changed at a time). Parameters left out are not swept; `{}`: no
   * sweep on this dataset.
   */
  sweeps: Sweeps;
  /** The sweep runs at this many of the first `seeds` (each value at each of them). */
  sweepSeedCount: number;
  /** Demure settings of every Demure cell on this dataset, over the plan's shared ones. */
  demure?: Partial<DemureConfig>;
}

/** Values of each swept Demure parameter (parameters left out are not swept). */
export type Sweeps = Partial<Record<SweepParameter, number[]>>;

/** The whole grid and the settings every neural cell shares. */
export interface ExperimentPlan {
  /** How big the grid is. */
  mode: "quick" | "full";
  /** Seeds of the synthetic main table (the plan's reference seeds). */
  seeds: number[];
  /** Model settings shared by every neural cell. */
  model: ModelConfigInput;
  /** Trainer settings shared by every dataset's cells (before the dataset's stopping rule). */
  training: Partial<TrainerConfig>;
  /** Stopping, selection budget and seeds per dataset kind. */
  datasets: Record<DatasetSpec["kind"], DatasetPlan>;
  /**
   * Per dataset kind, the trainer settings where its cells depart from the trainer's defaults
   * (the stopping rule of {@linkcode DATASET_PLANS}, and an imported dataset's own settings).
   */
  datasetTraining: DatasetTraining;
  /** The synthetic benchmark's settings at the default noise level. */
  synthetic: Partial<SyntheticConfig>;
  /** Noise fractions of the noise-level experiment. */
  noiseFractions: number[];
  /**
   * The sensitivity sweeps the plan runs, by dataset label (e.g. "MovieLens"): each dataset's
   * {@linkcode DatasetPlan.sweeps}, for datasets that have one. Cells carry the same label
   * (`datasetLabel`), so a view finds its dataset's sweep here.
   */
  sweeps: Record<string, Sweeps>;
  /** Systems of the main table, in display order. */
  mainSystems: SystemName[];
  /** Systems of the ablation table, in display order. */
  ablationSystems: SystemName[];
  /** The selected configurations the plan was built with. */
  selected: SelectedConfigurations;
  /** The seeds asked for (undefined: the mode's). */
  seedsAsked?: number[];
  /** The options the plan was built with, less the selection (to build it again). */
  options: Omit<PlanOptions, "selected">;
  /** Every cell, in run order. */
  cells: PlannedCell[];
}

/** How big the grid is: {@linkcode ExperimentPlan.mode}. */
export type ExperimentMode = ExperimentPlan["mode"];

const MAIN_SYSTEMS: SystemName[] = [
  "Pop",
  "ItemKNN",
  "SASRec-ID",
  "SASRec-MM",
  "GRU4Rec-MM",
  "CL4SRec-MM",
  "Demure-SASRec",
  "Demure-GRU4Rec",
];
/** The main table's systems that have hyper-parameters to select (every neural one). */
const SELECTABLE_MAIN_SYSTEMS = MAIN_SYSTEMS.filter((name) => SELECTION_SPECS[name] !== undefined);
const ABLATION_SYSTEMS: SystemName[] = [
  "SASRec-MM",
  "AttributionOnly-SASRec",
  // Its control: do the attributed masks cost (or gain) more than as many random ones?
  "RandomInputMasks-SASRec",
  "ContrastiveOnly-SASRec",
  "Demure-SASRec",
];
/**
 * The ablation's systems added after its records were made (2026-12-03): their cells come last in
 * every plan, so that every earlier cell keeps its index (`--cell N`, job arrays).
 */
const LATER_ABLATION_SYSTEMS: SystemName[] = ["RandomInputMasks-SASRec"];
/**
 * The sweep parameters added after the full plan's records were made (2026-12-03): their cells come
 * after every other cell, so that the earlier ones keep their indices.
 */
const LATER_SWEEP_PARAMETERS: SweepParameter[] = ["warmupEpochs"];
const FIRST_ABLATION_SYSTEMS = ABLATION_SYSTEMS.filter((name) =>
  !LATER_ABLATION_SYSTEMS.includes(name)
);
/** The design choices measured, each against the selected configuration (which flips it). */
export function designChoicesOf(selected: Partial<DemureConfig>): DesignChoice[] {
  const denoised = selected.denoiseInput ?? true;
  return [
    {
      name: denoised ? "L_rec on the full history" : "L_rec on the denoised history",
      key: "denoiseInput=flipped",
      demure: { denoiseInput: !denoised },
    },
    {
      name: "noise per (position, modality)",
      key: "granularity=pair",
      demure: { attribution: { granularity: "pair" } as DemureConfig["attribution"] },
    },
    {
      name: "no noise-only negative",
      key: "noiseViewAsNegative=false",
      demure: { noiseViewAsNegative: false },
    },
  ];
}

/**
 * The attribution route of every Demure cell the plan runs: the separate pass, on purpose. The
 * library's default (`auto`) takes the training pass where it is supported, but the plan compares
 * Demure with variants the training pass cannot run (AttributionOnly-SASRec and the "L_rec on the
 * denoised history" design choice read a denoised L_rec, whose gradient is zero at the masked
 * pairs; trials with `denoiseInput: true`). With `auto` those comparisons would also compare two
 * routes; with one route every difference in the ablation, the design choices and the selection is
 * the variant's. The two routes agree within seed noise over 5 seeds on both datasets
 * (docs/performance.md, "the training-pass route"), and the pin keeps every record reproducible
 * bit for bit.
 */
const PLAN_ATTRIBUTION_SOURCE: Partial<DemureConfig> = Object.freeze({
  attributionSource: "separate_pass",
});

interface ModeSettings {
  model: ModelConfigInput;
  training: Partial<TrainerConfig>;
  datasets: Record<"synthetic" | "movielens", DatasetPlan>;
  /** Stopping of an imported dataset unless the caller gives its own (`datasetTraining`). */
  fileStopping: { maxEpochs: number; patience: number };
  synthetic: Partial<SyntheticConfig>;
  demure: Partial<DemureConfig>;
  noiseFractions: number[];
  /** Seeds of the noise-level experiment's other fractions. */
  noiseSeeds: number[];
  mainSystems: SystemName[];
}

const SETTINGS: Record<ExperimentMode, ModeSettings> = {
  full: {
    model: { dim: 64 },
    training: {
      batchSize: 128,
      optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
    },
    // The selection budget is what a 2-core machine could afford in working sessions (two
    // processes): on the synthetic benchmark every neural system of the main table gets the same
    // 3 trials (a synthetic cell trains for 1-6 min on one core); on MovieLens every one gets 2
    // trials (the defaults and one drawn point each: a MovieLens Demure cell trains for about 20
    // min on one core). Raise `trials` with time.
    // Patience 10 on both: a MovieLens epoch is only 17 steps and its validation NDCG (671 users)
    // is noisy: with patience 4, runs stopped on the popularity plateau of the first epochs
    // (SASRec-ID's best epoch was 1 for one seed), before the sequential signal is learnt (about
    // epoch 10). With a 30-epoch cap most runs had their best epoch at 25-30: the cap decided the
    // table, so the cap is now 200 and only early stopping ends a run.
    datasets: {
      synthetic: {
        maxEpochs: 200,
        patience: 10,
        trials: 3,
        selected: SELECTABLE_MAIN_SYSTEMS,
        seeds: [0, 1, 2, 3, 4],
        ablationSeeds: [0, 1, 2, 3, 4],
        designChoices: true,
        designChoiceSeedCount: 3,
        // rho in whole modalities of 5: 1, 2, 3 (0.1 masked none until 2026-12-03, now one).
        // The warm-up's length in the selected configuration's unit (validation evaluations
        // without a gain before the first mask): 0 switches Demure on after the first epoch, 4
        // waits twice as long as the selected 2 (the protocol's sensitivity list: rho, lambda,
        // tau and the warm-up's length; added 2026-12-03).
        sweeps: {
          rho: [0.3, 0.5, 0.7],
          lambda: [0.02, 0.1, 0.5],
          temperature: [0.1, 0.2, 0.5],
          warmupEpochs: [0, 2, 4],
        },
        // Three seeds: one step between neighbouring values is within one seed's std.
        sweepSeedCount: 3,
      },
      // Lambda only, around the selected 0.02 (whose cell is the main table's): the ablation finds
      // the attributed masks costly on MovieLens (issue 14), and with L_rec on the full history
      // they enter only through the contrastive term, so this is their dose-response.
      movielens: {
        maxEpochs: 200,
        patience: 10,
        trials: 2,
        selected: SELECTABLE_MAIN_SYSTEMS,
        seeds: [0, 1, 2, 3, 4],
        ablationSeeds: [0, 1, 2, 3, 4],
        designChoices: true,
        designChoiceSeedCount: 3,
        // The warm-up's length too (added 2026-12-03), as on the synthetic data: does switching
        // Demure on later, nearer the plain model's convergence, lose less here?
        sweeps: { lambda: [0.005, 0.02, 0.1], warmupEpochs: [0, 2, 4] },
        sweepSeedCount: 3,
        // Every visit: the records were made when masks aged in steps (`everySteps` 10), which
        // with 17 steps an epoch attributed every window at every visit (0 masks reused in any
        // MovieLens record). The synthetic records (5 steps an epoch) reused every second mask,
        // which is the library's default `everyVisits` 2, so they need no pin.
        demure: { everyVisits: 1 },
      },
    },
    fileStopping: {
      maxEpochs: DEFAULT_TRAINER_CONFIG.maxEpochs,
      patience: DEFAULT_TRAINER_CONFIG.patience,
    },
    synthetic: {},
    demure: { ...PLAN_ATTRIBUTION_SOURCE },
    noiseFractions: [0.25, 0.75],
    noiseSeeds: [0, 1, 2],
    mainSystems: MAIN_SYSTEMS,
  },
  quick: {
    model: { dim: 32 },
    training: {
      batchSize: 64,
      maxBatchesPerEpoch: 3,
      optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
    },
    datasets: {
      synthetic: {
        maxEpochs: 3,
        patience: 3,
        trials: 2,
        selected: ["SASRec-MM", "Demure-SASRec"],
        seeds: [0, 1],
        ablationSeeds: [0, 1],
        designChoices: true,
        designChoiceSeedCount: 1,
        sweeps: { rho: [0.5, 0.7], lambda: [0.5], temperature: [0.5] },
        sweepSeedCount: 1,
      },
      movielens: {
        maxEpochs: 3,
        patience: 3,
        trials: 1,
        selected: [],
        seeds: [0],
        ablationSeeds: [0],
        designChoices: false,
        designChoiceSeedCount: 1,
        sweeps: {},
        sweepSeedCount: 1,
      },
    },
    fileStopping: { maxEpochs: 3, patience: 3 },
    synthetic: { numUsers: 160, numItems: 120, historyLength: 15 },
    // Every visit: what the step schedule these cells were written with (`everySteps: 2`) did
    // with 1-2 steps an epoch.
    demure: { ...PLAN_ATTRIBUTION_SOURCE, warmupSteps: 2, everyVisits: 1 },
    noiseFractions: [0.25, 0.75],
    noiseSeeds: [0],
    mainSystems: ["Pop", "ItemKNN", "SASRec-ID", "SASRec-MM", "CL4SRec-MM", "Demure-SASRec"],
  },
};

/**
 * The synthetic dataset at a noise fraction; the default fraction is the main table's dataset
 * itself, so its cells are shared rather than run twice.
 */
export function noiseLevelDataset(
  synthetic: Partial<SyntheticConfig>,
  noiseFraction: number,
): DatasetSpec {
  const defaultFraction = synthetic.noiseFraction ?? DEFAULT_SYNTHETIC.noiseFraction;
  return {
    kind: "synthetic",
    config: noiseFraction === defaultFraction ? synthetic : { ...synthetic, noiseFraction },
  };
}

/** Id of the selection of `system` on a dataset: `<dataset label>/<system>`. */
export function selectionId(dataset: string, system: SystemName): string {
  return `${dataset}/${system}`;
}

/** The system a configuration is inherited from (its backbone, or Demure-SASRec for ablations). */
function configSourceOf(name: SystemName): SystemName | undefined {
  if (
    name === "AttributionOnly-SASRec" || name === "ContrastiveOnly-SASRec" ||
    name === "RandomInputMasks-SASRec"
  ) {
    return "Demure-SASRec";
  }
  return undefined;
}

/** The system's spec with the cell's hyper-parameters applied. */
function systemWith(
  name: SystemName,
  config: TrialConfig,
  planDemure: Partial<DemureConfig>,
): SystemSpec {
  const base: SystemSpec = systemByName(name);
  if (base.kind !== "neural") return base;
  if (base.demure) {
    // The variant is the system's own (the ablations take Demure-SASRec's settings otherwise).
    return {
      ...base,
      demure: { ...planDemure, ...config.demure, variant: base.demure.variant },
    };
  }
  if (base.cl4srec) {
    const cl4srec: Partial<Cl4SRecConfig> = { ...base.cl4srec, ...config.cl4srec };
    return { ...base, cl4srec };
  }
  return base;
}

/** Trainer settings that differ by dataset kind. */
export type DatasetTraining = Partial<Record<DatasetSpec["kind"], Partial<TrainerConfig>>>;

/** Throws a `SettingError` unless `seeds` is a non-empty list of distinct integers >= 0. */
export function validateSeeds(seeds: readonly number[]): void {
  const allowed = "a non-empty list of distinct integers >= 0 and < 2^31";
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new SettingError("plan seeds", seeds, allowed);
  }
  const valid = seeds.every((seed) => Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31);
  if (!valid || new Set(seeds).size !== seeds.length) {
    throw new SettingError("plan seeds", seeds, allowed);
  }
}

/** Options of {@linkcode planExperiments}. */
export interface PlanOptions {
  /**
   * Run on this dataset instead of the embedded ones (bring your own data): the main table and
   * the ablation for every seed, at the mode's settings and the systems' defaults (no selection);
   * no synthetic-only experiments (noise level, sensitivity, attribution against a planted truth).
   * Default undefined (the paper's grid).
   */
  dataset?: DatasetSpec;
  /** Full-ranking protocol of validation and test. Default `history_excluded`. */
  ranking?: RankingProtocol;
  /**
   * With `dataset`: trainer settings that this dataset needs besides the mode's (for example
   * `{ maxEpochs: 200, patience: 10 }` for a dataset that converges later). They join the plan's
   * `datasetTraining`, the one place where a dataset departs from the defaults. Default none.
   */
  datasetTraining?: Partial<TrainerConfig>;
  /** Selected configurations (default none: every selection is still to run). */
  selected?: SelectedConfigurations;
  /**
   * Trials per selected system on the embedded datasets instead of the mode's (`DatasetPlan.trials`):
   * a larger budget's extra trials for a budget check (`bench/selection_budget_check.ts`). Trials
   * are a prefix of one fixed draw per system, so the first ones are the mode's own. Default the
   * mode's.
   */
  trialBudget?: number;
  /**
   * Demure settings over the mode's and the dataset's, in every Demure cell: a check of one
   * setting's effect on recorded cells (`bench/mask_schedule_check.ts`). A cell's selected
   * configuration still overrides it. Default none.
   */
  demure?: Partial<DemureConfig>;
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

/** Builds the grid of `mode`; `seeds` overrides the mode's seeds. */
export function planExperiments(
  mode: ExperimentPlan["mode"],
  seeds?: number[],
  asGiven: PlanOptions = {},
): ExperimentPlan {
  // `rankng: "sampled"` used to build the full-ranking plan without a word.
  checkSettingNames("PlanOptions", asGiven, PLAN_OPTION_NAMES);
  if (asGiven.dataset !== undefined) checkDatasetSpec(asGiven.dataset);
  const options = asGiven.dataset
    ? { ...asGiven, dataset: canonicalDatasetSpec(asGiven.dataset) }
    : asGiven;
  checkOneOf("plan size (ExperimentMode)", mode, ["quick", "full"]);
  if (seeds !== undefined) validateSeeds(seeds);
  if (options.datasetTraining && !options.dataset) {
    throw new SettingError(
      "plan datasetTraining",
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
  const fileStopping = {
    maxEpochs: options.datasetTraining?.maxEpochs ?? settings.fileStopping.maxEpochs,
    patience: options.datasetTraining?.patience ?? settings.fileStopping.patience,
  };
  if (options.trialBudget !== undefined) {
    checkInteger("plan trialBudget", options.trialBudget, { min: 1 });
  }
  const budget = options.trialBudget === undefined ? {} : { trials: options.trialBudget };
  const datasets: Record<DatasetSpec["kind"], DatasetPlan> = {
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
  const datasetTraining: DatasetTraining = {};
  for (const kind of ["synthetic", "movielens"] as const) {
    datasetTraining[kind] = {
      maxEpochs: datasets[kind].maxEpochs,
      patience: datasets[kind].patience,
    };
  }
  if (options.dataset && options.datasetTraining) datasetTraining.file = options.datasetTraining;
  const cells = new Map<string, PlannedCell>();

  /** The configuration of `name` on `dataset`: selected, inherited or defaults (or waiting). */
  const configOf = (
    dataset: string,
    kind: DatasetSpec["kind"],
    name: SystemName,
  ): Pick<PlannedCell, "config" | "configuredBy" | "waitsFor" | "sameAs"> => {
    const source = configSourceOf(name);
    if (source) {
      const from = configOf(dataset, kind, source);
      const { waitsFor } = from;
      return {
        config: from.config,
        configuredBy: from.configuredBy,
        ...(waitsFor ? { waitsFor } : {}),
      };
    }
    const isSelected = datasets[kind].selected.includes(name);
    if (isSelected) {
      const id = selectionId(dataset, name);
      const chosen = selected[dataset]?.[name];
      if (chosen === undefined) return { config: {}, configuredBy: "selection", waitsFor: [id] };
      return { config: chosen.config, configuredBy: "selection" };
    }
    // Not selected: the defaults, on top of the backbone's selected optimiser settings.
    const backbone = SELECTION_SPECS[name]?.inheritsFrom;
    if (backbone && datasets[kind].selected.includes(backbone)) {
      const chosen = selected[dataset]?.[backbone];
      if (chosen === undefined) {
        return {
          config: {},
          configuredBy: "backbone selection",
          waitsFor: [selectionId(dataset, backbone)],
        };
      }
      return { config: inheritedConfig(chosen), configuredBy: "backbone selection" };
    }
    return { config: {}, configuredBy: "defaults" };
  };

  const add = (
    experiment: Experiment,
    dataset: DatasetSpec,
    name: SystemName,
    seed: number,
    extra: {
      label?: string;
      keyPart?: string;
      configured?: Pick<PlannedCell, "config" | "configuredBy" | "waitsFor" | "sameAs">;
      trial?: PlannedCell["trial"];
      sweep?: PlannedCell["sweep"];
      designChoice?: DesignChoice;
      noiseFraction?: number;
    } = {},
  ) => {
    const label = datasetLabel(dataset);
    const keyPart = extra.keyPart ?? name;
    const key = `${mode}/${label}/${keyPart}/seed=${seed}`;
    const existing = cells.get(key);
    if (existing) {
      // A shared cell: one run, several experiments.
      if (!existing.experiments.includes(experiment)) existing.experiments.push(experiment);
      if (extra.noiseFraction !== undefined) existing.noiseFraction = extra.noiseFraction;
      return;
    }
    const configured = extra.configured ?? configOf(label, dataset.kind, name);
    const extraDemure = extra.sweep
      ? { [extra.sweep.parameter]: extra.sweep.value }
      : extra.designChoice?.demure;
    const config = extraDemure
      ? mergeTrialConfig(configured.config, { demure: extraDemure })
      : configured.config;
    const system = systemWith(name, config, {
      ...settings.demure,
      ...datasets[dataset.kind].demure,
      ...options.demure,
    });
    const stopping = datasets[dataset.kind];
    const backbone = system.kind === "neural" ? system.backbone : undefined;
    const model: ModelConfigInput = config.dropout !== undefined && backbone
      ? { ...settings.model, [backbone]: { dropout: config.dropout } }
      : settings.model;
    const training: Partial<TrainerConfig> = {
      ...settings.training,
      ...(dataset.kind === "file" ? options.datasetTraining : {}),
      maxEpochs: stopping.maxEpochs,
      patience: stopping.patience,
      ...(config.learningRate !== undefined
        ? {
          optimizer: {
            ...DEFAULT_ADAM_CONFIG,
            ...settings.training.optimizer,
            learningRate: config.learningRate,
          },
        }
        : {}),
    };
    // The first seed's main cell of a selected system is the chosen trial: same settings, reused.
    const chosen = selected[label]?.[name];
    const sameAs = configured.sameAs ??
      (configured.configuredBy === "selection" && !configSourceOf(name) &&
          experiment !== "selection" && chosen !== undefined && seed === stopping.seeds[0] &&
          !extraDemure
        ? trialKey(mode, label, name, chosen.trial, seed)
        : undefined);
    const scoreAttribution = dataset.kind === "synthetic" && sameAs === undefined &&
      experiment === "main" && (name === "SASRec-MM" || name === "Demure-SASRec") &&
      extra.noiseFraction === undefined;
    cells.set(key, {
      key,
      dataset,
      datasetLabel: label,
      systemKey: name,
      systemName: extra.label ?? name,
      system,
      seed,
      model,
      training,
      scoreAttribution,
      experiments: [experiment],
      configuredBy: configured.configuredBy,
      config,
      ...(configured.waitsFor ? { waitsFor: configured.waitsFor } : {}),
      ...(sameAs ? { sameAs } : {}),
      ...(extra.trial ? { trial: extra.trial } : {}),
      ...(extra.sweep ? { sweep: extra.sweep } : {}),
      ...(extra.designChoice ? { designChoice: extra.designChoice } : {}),
      ...(extra.noiseFraction !== undefined ? { noiseFraction: extra.noiseFraction } : {}),
    });
  };

  /** The selection trials of `names` on `dataset` (first seed). */
  const addTrials = (dataset: DatasetSpec, names: SystemName[]) => {
    const label = datasetLabel(dataset);
    const plan = datasets[dataset.kind];
    for (const name of names.filter((n) => plan.selected.includes(n))) {
      const backbone = SELECTION_SPECS[name]?.inheritsFrom;
      const id = selectionId(label, name);
      let base: TrialConfig = {};
      let waitsFor: string[] | undefined;
      if (backbone && plan.selected.includes(backbone)) {
        const chosen = selected[label]?.[backbone];
        if (chosen === undefined) waitsFor = [selectionId(label, backbone)];
        else base = inheritedConfig(chosen);
      }
      for (const trial of trialsOf(name, plan.trials)) {
        // Trial 0 is the defaults: when the system ran unselected at the first seed, that record is
        // this run (the store reuses it only if its settings are identical, so a system selected
        // after it ran at its defaults does not train the same run twice).
        const sameAs = trial.index === 0 && !waitsFor
          ? `${mode}/${label}/${name}/seed=${plan.seeds[0]}`
          : undefined;
        add("selection", dataset, name, plan.seeds[0], {
          label: `${name} (trial ${trial.index})`,
          keyPart: trialKeyPart(name, trial.index),
          configured: {
            config: mergeTrialConfig(base, trial.config),
            configuredBy: "trial",
            ...(waitsFor ? { waitsFor } : {}),
            ...(sameAs ? { sameAs } : {}),
          },
          trial: {
            selection: id,
            index: trial.index,
            ...(trial.point ? { point: trial.point } : {}),
          },
        });
      }
    }
  };

  const finish = (noiseFractions: number[], sweeps: Record<string, Sweeps>): ExperimentPlan => {
    // Every cell's settings are checked now, not when the cell's turn comes hours later.
    for (const cell of cells.values()) {
      const trainer = resolveTrainerConfig({ ...cell.training, seed: cell.seed });
      resolveModelConfig(cell.model);
      if (cell.system.kind === "neural" && cell.system.demure) {
        const refusal = warmupRefusal(resolveDemureConfig(cell.system.demure), trainer);
        if (refusal) {
          throw new SettingError(
            refusal.setting,
            refusal.value,
            `${refusal.allowed}; cell ${cell.key}`,
          );
        }
      }
    }
    return {
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
      cells: [...cells.values()],
    };
  };
  if (options.dataset) {
    // An imported dataset: main table and ablation for every seed at the systems' defaults.
    const own = options.dataset;
    for (const seed of datasets.file.seeds) {
      for (const name of settings.mainSystems) {
        if (SYSTEMS[name].kind === "neural" || seed === datasets.file.seeds[0]) {
          add("main", own, name, seed);
        }
      }
      for (const name of FIRST_ABLATION_SYSTEMS) add("ablation", own, name, seed);
    }
    // As on the embedded data: the systems added later come last, so earlier indices hold.
    for (const seed of datasets.file.seeds) {
      for (const name of LATER_ABLATION_SYSTEMS) add("ablation", own, name, seed);
    }
    return finish([], {});
  }
  const movielens: DatasetSpec = { kind: "movielens" };
  const synthetic: DatasetSpec = { kind: "synthetic", config: settings.synthetic };
  const nonNeural = settings.mainSystems.filter((n) => SYSTEMS[n].kind !== "neural");
  const backbones = settings.mainSystems.filter((n) =>
    SYSTEMS[n].kind === "neural" && !SELECTION_SPECS[n]?.inheritsFrom
  );
  const methods = settings.mainSystems.filter((n) => SELECTION_SPECS[n]?.inheritsFrom);
  // Order = priority (a run stopped part-way resumes the rest). The synthetic benchmark first
  // (fast, the truth is known): its selection (backbones, then the methods built on them) and its
  // main table over all seeds. Then MovieLens: the selection, the main table of the selected
  // systems over all seeds, and the design choices of Demure (why it loses there). Then the
  // ablations, the other MovieLens systems (all at the first seed before the other seeds), and
  // last the noise-level curve and each dataset's sensitivity sweep around its selected
  // configuration (synthetic, then MovieLens). Non-neural
  // systems do not depend on the seed: they run once.
  const addMain = (dataset: DatasetSpec, names: SystemName[], seeds: number[]) => {
    for (const seed of seeds) {
      for (const name of names) {
        if (SYSTEMS[name].kind !== "neural" && seed !== seeds[0]) continue;
        add("main", dataset, name, seed);
      }
    }
  };
  const addDesignChoices = (dataset: DatasetSpec, seedIndex = 0) => {
    const { designChoices, ablationSeeds, designChoiceSeedCount } = datasets[dataset.kind];
    if (!designChoices || seedIndex >= Math.min(designChoiceSeedCount, ablationSeeds.length)) {
      return;
    }
    const label = datasetLabel(dataset);
    const { configured, choices } = demureOf(label, dataset.kind);
    for (const choice of choices) {
      add("design_choice", dataset, "Demure-SASRec", ablationSeeds[seedIndex], {
        label: `Demure-SASRec [${choice.name}]`,
        keyPart: `Demure-SASRec[${choice.key}]`,
        configured,
        designChoice: choice,
      });
    }
  };
  const demureOf = (label: string, kind: DatasetSpec["kind"]) => {
    const configured = configOf(label, kind, "Demure-SASRec");
    return { configured, choices: designChoicesOf(configured.config.demure ?? {}) };
  };
  // A dataset's selection: the systems without a search first, then every trial, then the
  // main-table seeds of the systems whose configuration the trials select.
  const addSelection = (dataset: DatasetSpec) => {
    const { seeds, selected } = datasets[dataset.kind];
    addMain(dataset, nonNeural, seeds);
    addTrials(dataset, backbones);
    addTrials(dataset, methods);
    addMain(dataset, settings.mainSystems.filter((n) => selected.includes(n)), seeds);
  };
  addSelection(synthetic);
  addMain(synthetic, settings.mainSystems, datasets.synthetic.seeds);
  addSelection(movielens);
  addDesignChoices(movielens);
  for (const seed of datasets.synthetic.ablationSeeds) {
    for (const name of FIRST_ABLATION_SYSTEMS) add("ablation", synthetic, name, seed);
  }
  addDesignChoices(synthetic);
  for (const seed of datasets.movielens.ablationSeeds) {
    for (const name of FIRST_ABLATION_SYSTEMS) add("ablation", movielens, name, seed);
  }
  addMain(movielens, settings.mainSystems, datasets.movielens.seeds.slice(0, 1));
  addMain(movielens, settings.mainSystems, datasets.movielens.seeds);
  // The default noise fraction's cells are the main table's synthetic cells (same key).
  const defaultFraction = settings.synthetic.noiseFraction ?? DEFAULT_SYNTHETIC.noiseFraction;
  for (const noiseFraction of [...new Set([defaultFraction, ...settings.noiseFractions])]) {
    const noisy = noiseLevelDataset(settings.synthetic, noiseFraction);
    const noiseSeeds = noiseFraction === defaultFraction
      ? datasets.synthetic.seeds
      : settings.noiseSeeds.filter((s) => datasets.synthetic.seeds.includes(s));
    for (const seed of noiseSeeds) {
      for (const name of ["SASRec-MM", "Demure-SASRec"] as const) {
        // Other fractions run the configuration selected at the default fraction.
        const configured = configOf(datasetLabel(synthetic), "synthetic", name);
        add("noise_level", noisy, name, seed, {
          noiseFraction,
          ...(noiseFraction === defaultFraction ? {} : { configured }),
        });
      }
    }
  }
  // A dataset's sensitivity sweep around its selected configuration, at its `seedIndex`-th seed.
  // The reference is the selected configuration's own cell: the main table's at that seed.
  const sweeps: Record<string, Sweeps> = {};
  // `later`: only the parameters of LATER_SWEEP_PARAMETERS, whose cells come last; else the others.
  const addSweep = (dataset: DatasetSpec, seedIndex: number, later = false) => {
    const { seeds: mainSeeds, sweeps: declared, sweepSeedCount } = datasets[dataset.kind];
    const swept = Object.entries(declared) as [SweepParameter, number[]][];
    if (swept.length === 0 || seedIndex >= Math.min(sweepSeedCount, mainSeeds.length)) return;
    const seed = mainSeeds[seedIndex];
    const label = datasetLabel(dataset);
    sweeps[label] = declared;
    const reference = demureOf(label, dataset.kind).configured;
    const referenceDemure = { ...settings.demure, ...reference.config.demure };
    const selectedValue: Record<SweepParameter, number> = {
      rho: referenceDemure.rho ?? DEFAULT_DEMURE_CONFIG.rho,
      lambda: referenceDemure.lambda ?? DEFAULT_DEMURE_CONFIG.lambda,
      temperature: referenceDemure.temperature ?? DEFAULT_DEMURE_CONFIG.temperature,
      warmupEpochs: referenceDemure.warmupEpochs ?? DEFAULT_DEMURE_CONFIG.warmupEpochs,
    };
    if (!later) add("sensitivity", dataset, "Demure-SASRec", seed);
    const referenceKey = `${mode}/${label}/Demure-SASRec/seed=${seed}`;
    // The selected configuration's run again, under the first swept parameter's key: later
    // parameters' selected values name it (the main cell itself differs where it scores the
    // attribution, as on the synthetic data, so that only this one trains).
    let selectedRunKey: string | undefined;
    for (const [parameter, values] of swept) {
      const inThisPass = LATER_SWEEP_PARAMETERS.includes(parameter) === later;
      // Every value has its cell, so the plan's cells (and their indices) do not depend on the
      // selection; the selected value's cell is the reference cell again (same settings: reused).
      for (const value of values) {
        const keyPart = `Demure-SASRec[${parameter}=${value}]`;
        const isSelected = value === selectedValue[parameter] && !reference.waitsFor;
        if (inThisPass) {
          add("sensitivity", dataset, "Demure-SASRec", seed, {
            label: `Demure-SASRec [${parameter} = ${value}]`,
            keyPart,
            configured: {
              ...reference,
              ...(isSelected ? { sameAs: selectedRunKey ?? referenceKey } : {}),
            },
            sweep: { parameter, value },
          });
        }
        if (isSelected) selectedRunKey ??= `${mode}/${label}/${keyPart}/seed=${seed}`;
      }
    }
  };
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
    addSweep(synthetic, seedIndex);
    addSweep(movielens, seedIndex);
  });
  // The design choices at their later seeds, last (added after the first seed's cells, which
  // keep their indices).
  forSeedIndices("designChoiceSeedCount", 1, (seedIndex) => {
    addDesignChoices(movielens, seedIndex);
    addDesignChoices(synthetic, seedIndex);
  });
  for (const dataset of [synthetic, movielens]) {
    for (const seed of datasets[dataset.kind].ablationSeeds) {
      for (const name of LATER_ABLATION_SYSTEMS) add("ablation", dataset, name, seed);
    }
  }
  // Synthetic's at every seed, then MovieLens's (added after synthetic's, keeping their indices).
  forSeedIndices("sweepSeedCount", 0, (seedIndex) => addSweep(synthetic, seedIndex, true));
  forSeedIndices("sweepSeedCount", 0, (seedIndex) => addSweep(movielens, seedIndex, true));
  return finish(settings.noiseFractions, sweeps);
}

function trialKeyPart(name: SystemName, index: number): string {
  return `${name}/trial=${index}`;
}

function trialKey(
  mode: ExperimentMode,
  dataset: string,
  name: SystemName,
  index: number,
  seed: number,
): string {
  return `${mode}/${dataset}/${trialKeyPart(name, index)}/seed=${seed}`;
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
