/**
 * The shape of the experiment plan: the experiments a cell belongs to, one planned cell, what the
 * plan does on each dataset, the whole grid, and the options that build it (`plan.ts`).
 *
 * @example
 * ```ts
 * import type { PlannedCell } from "./plan_types.ts";
 * const label = (cell: PlannedCell) => `${cell.datasetLabel} / ${cell.systemName} / ${cell.seed}`;
 * ```
 */
import type { DemureConfig } from "../demure/config.ts";
import type { SyntheticConfig } from "../data/synthetic.ts";
import type { ModelConfigInput } from "../models/sequential_recommender.ts";
import type { RankingProtocol } from "../eval/protocol.ts";
import type { TrainerConfig } from "../train/config.ts";
import type { DatasetSpec } from "./datasets.ts";
import type { SelectedConfigurations, SpacePoint, TrialConfig } from "./selection.ts";
import type { SystemName, SystemSpec } from "./systems.ts";

/**
 * The experiments of the paper a cell belongs to. A cell shared by several experiments (the
 * multi-modal SASRec of the main table, the ablation and the noise-level curve) carries each tag,
 * so that a notebook or a report selects cells by tag and never parses their names.
 * - `main`: the main table (and the cold-start buckets, computed from the same cells);
 * - `ablation`: attribution only, contrastive only, both (Demure), neither (SASRec-MM);
 * - `noise_level`: SASRec-MM and Demure-SASRec on synthetic data at each planted noise share;
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
 * Which cells of a plan a notebook or a report takes (`cellFilter` in `plan.ts`): a cell is taken
 * when it matches every field given; a field left out matches every cell.
 */
export interface CellSelection {
  /** The kind of data the cell runs on, e.g. "movielens". */
  dataset?: DatasetSpec["kind"];
  /**
   * The systems taken: a cell's {@linkcode PlannedCell.systemKey} is one of them (at least one;
   * leave the field out for every system).
   */
  systems?: readonly SystemName[];
  /** The cell's seed, e.g. `plan.seeds[0]`. */
  seed?: number;
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
   * (each dataset's stopping rule, from its {@linkcode DatasetPlan}, and an imported dataset's
   * own settings).
   */
  datasetTraining: DatasetTraining;
  /** The synthetic benchmark's settings at the default noise level. */
  synthetic: Partial<SyntheticConfig>;
  /** Planted noise shares (`SyntheticConfig.noiseFraction`) of the noise-level experiment. */
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

/** Trainer settings that differ by dataset kind. */
export type DatasetTraining = Partial<Record<DatasetSpec["kind"], Partial<TrainerConfig>>>;

/** Options of `planExperiments` (`plan.ts`). */
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
   * `{ maxEpochs: 400, patience: 20 }` for a dataset that converges later; the full plan stops
   * an imported dataset as the embedded ones, 200 epochs and patience 10). They join the plan's
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

/**
 * Where a cell stands in the whole plan that `runPlan` runs (its progress lines, `[5/16]`, and
 * its `onEpoch`): the plan's cells finished once it is stored, by every process sharing the
 * results (cells resumed from an earlier run included), and the plan's cells. Each process used
 * to count only the cells it ran itself, so with `--workers 2` the terminal showed
 * `[worker 2] [1] ...` next to `[3] ...`, and no line said how far the plan was.
 */
export interface PlanPlace {
  /** The plan's cells finished, this one included (by any process). */
  finished: number;
  /** The plan's cells (as it stands: with its selections found so far). */
  planned: number;
}
