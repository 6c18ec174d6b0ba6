/**
 * The grid of cells that reproduces the paper's experiments: main table, ablations, sensitivity,
 * noise level, cold start and attribution quality. Cells shared by several experiments (e.g. the
 * multi-modal SASRec of the main table and of the ablation) appear once.
 *
 * `full` is the README's reproduction; `quick` is a small version of the same grid for CI.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * console.log(plan.cells.length, plan.cells[0].key);
 * ```
 */
import { type DemureConfig, resolveDemureConfig } from "../demure/objective.ts";
import { DEFAULT_SYNTHETIC, type SyntheticConfig } from "../data/synthetic.ts";
import { type ModelConfigInput, resolveModelConfig } from "../models/sequential_recommender.ts";
import { DEFAULT_RANKING_PROTOCOL, type RankingProtocol } from "../eval/protocol.ts";
import { resolveTrainerConfig, type TrainerConfig } from "../train/config.ts";
import { checkOneOf, SettingError } from "../util/settings.ts";
import { DEFAULT_ADAM_CONFIG } from "../train/adam.ts";
import { datasetLabel, type DatasetSpec } from "./datasets.ts";
import { systemByName, type SystemName, type SystemSpec, withDemure } from "./systems.ts";

/** How big the grid is. */
export type ExperimentMode = "quick" | "full";

/**
 * The experiments of the paper a cell belongs to. A cell shared by several experiments (the
 * multi-modal SASRec of the main table, the ablation and the noise-level curve) carries each tag,
 * so that a notebook or a report selects cells by tag and never parses their names.
 * - `main`: the main table (and the cold-start buckets, computed from the same cells);
 * - `ablation`: attribution only, contrastive only, both (Demure), neither (SASRec-MM);
 * - `noise_level`: SASRec-MM and Demure-SASRec on synthetic data at each noise fraction;
 * - `sensitivity`: Demure-SASRec with one parameter changed (and the default value's cell).
 */
export type Experiment = "main" | "ablation" | "noise_level" | "sensitivity";

/** A Demure parameter varied by the sensitivity sweep. */
export type SweepParameter = "rho" | "lambda" | "temperature" | "warmupSteps";

/** One cell to run. */
export interface PlannedCell {
  /** Unique, stable key (the result file name). */
  key: string;
  /** The data the cell runs on. */
  dataset: DatasetSpec;
  /** Row label in tables, e.g. "Demure-SASRec". */
  systemName: string;
  /** What is trained and evaluated (Demure settings included). */
  system: SystemSpec;
  /** The cell's seed (model initialisation, batches, dropout). */
  seed: number;
  /** Trainer settings of this cell: the plan's, with its dataset's override applied. */
  training: Partial<TrainerConfig>;
  /** Score the attributions against the planted truth after training. */
  scoreAttribution: boolean;
  /** The experiments this cell belongs to (at least one). */
  experiments: Experiment[];
  /** Set for the sensitivity sweep's cells (not for the default value's cell, which is the main
   * table's). */
  sweep?: { parameter: SweepParameter; value: number };
  /** Set for the noise-level experiment's cells: the share of noise modalities per user. */
  noiseFraction?: number;
}

/** The whole grid and the settings every neural cell shares. */
export interface ExperimentPlan {
  /** How big the grid is. */
  mode: ExperimentMode;
  /** Seeds of the grid. */
  seeds: number[];
  /** Model settings shared by every neural cell. */
  model: ModelConfigInput;
  /** Trainer settings shared by every dataset's cells. */
  training: Partial<TrainerConfig>;
  /** Per-dataset changes to `training` (each cell carries the merged settings). */
  datasetTraining: DatasetTraining;
  /** The synthetic benchmark's settings at the default noise level. */
  synthetic: Partial<SyntheticConfig>;
  /** Noise fractions of the noise-level experiment. */
  noiseFractions: number[];
  /** Values of each Demure parameter in the sensitivity sweep. */
  sweeps: Record<SweepParameter, number[]>;
  /** Systems of the main table, in display order. */
  mainSystems: SystemName[];
  /** Systems of the ablation table, in display order. */
  ablationSystems: SystemName[];
  /** Every cell, in run order. */
  cells: PlannedCell[];
}

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
const ABLATION_SYSTEMS: SystemName[] = [
  "SASRec-MM",
  "AttributionOnly-SASRec",
  "ContrastiveOnly-SASRec",
  "Demure-SASRec",
];

/** Trainer settings that differ by dataset kind. */
export type DatasetTraining = Partial<Record<DatasetSpec["kind"], Partial<TrainerConfig>>>;

interface ModeSettings {
  seeds: number[];
  model: ModelConfigInput;
  training: Partial<TrainerConfig>;
  datasetTraining: DatasetTraining;
  synthetic: Partial<SyntheticConfig>;
  demure: Partial<DemureConfig>;
  noiseFractions: number[];
  sweeps: Record<SweepParameter, number[]>;
  mainSystems: SystemName[];
}

const SETTINGS: Record<ExperimentMode, ModeSettings> = {
  full: {
    seeds: [0, 1, 2],
    model: { dim: 64 },
    training: {
      maxEpochs: 30,
      patience: 4,
      batchSize: 128,
      optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
    },
    // A MovieLens epoch is only 17 steps and its validation NDCG (671 users) is noisy: with
    // patience 4, runs stopped on the popularity plateau of the first epochs (SASRec-ID's best
    // epoch was 1 for one seed), before the sequential signal is learnt (about epoch 10).
    datasetTraining: { movielens: { patience: 10 } },
    synthetic: {},
    demure: {},
    noiseFractions: [0.25, 0.5, 0.75],
    sweeps: {
      rho: [0.1, 0.3, 0.5],
      lambda: [0.02, 0.1, 0.5],
      temperature: [0.1, 0.2, 0.5],
      warmupSteps: [0, 30, 100],
    },
    mainSystems: MAIN_SYSTEMS,
  },
  quick: {
    seeds: [0, 1],
    model: { dim: 32 },
    training: {
      maxEpochs: 3,
      patience: 3,
      batchSize: 64,
      maxBatchesPerEpoch: 3,
      optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
    },
    datasetTraining: {},
    synthetic: { numUsers: 160, numItems: 120, historyLength: 15 },
    demure: { warmupSteps: 2, everySteps: 2 },
    noiseFractions: [0.25, 0.75],
    sweeps: { rho: [0.1, 0.5], lambda: [0.5], temperature: [0.5], warmupSteps: [0] },
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

function demureSystem(name: SystemName, demure: Partial<DemureConfig>): SystemSpec {
  const base: SystemSpec = systemByName(name);
  return base.kind === "neural" && base.demure ? withDemure(name, demure) : base;
}

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
   * the ablation for every seed, at the mode's settings; no synthetic-only experiments (noise
   * level, sensitivity, attribution against a planted truth). Default undefined (the paper's grid).
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
}

/** Builds the grid of `mode`; `seeds` overrides the mode's seeds. */
export function planExperiments(
  mode: ExperimentMode,
  seeds?: number[],
  options: PlanOptions = {},
): ExperimentPlan {
  checkOneOf("plan size (ExperimentMode)", mode, ["quick", "full"]);
  const base = SETTINGS[mode];
  // The ranking joins the trainer settings only when it is not the default, so that stored cells
  // stay reusable.
  const ranked: ModeSettings = options.ranking && options.ranking !== DEFAULT_RANKING_PROTOCOL
    ? { ...base, training: { ...base.training, ranking: options.ranking } }
    : base;
  if (options.datasetTraining && !options.dataset) {
    throw new SettingError(
      "plan datasetTraining",
      options.datasetTraining,
      "only with an imported dataset (options.dataset)",
    );
  }
  const settings: ModeSettings = options.dataset && options.datasetTraining
    ? {
      ...ranked,
      datasetTraining: {
        ...ranked.datasetTraining,
        [options.dataset.kind]: {
          ...ranked.datasetTraining[options.dataset.kind],
          ...options.datasetTraining,
        },
      },
    }
    : ranked;
  const runSeeds = seeds ?? settings.seeds;
  validateSeeds(runSeeds);
  const cells = new Map<string, PlannedCell>();
  const add = (
    experiment: Experiment,
    dataset: DatasetSpec,
    name: SystemName,
    seed: number,
    extra: {
      demure?: Partial<DemureConfig>;
      sweep?: PlannedCell["sweep"];
      noiseFraction?: number;
    } = {},
  ) => {
    const demure = { ...settings.demure, ...extra.demure };
    const system = demureSystem(name, demure);
    const suffix = extra.sweep ? `[${extra.sweep.parameter}=${extra.sweep.value}]` : "";
    const key = `${mode}/${datasetLabel(dataset)}/${name}${suffix}/seed=${seed}`;
    const scoreAttribution = dataset.kind === "synthetic" && extra.sweep === undefined &&
      (name === "SASRec-MM" || name === "Demure-SASRec");
    const existing = cells.get(key);
    if (existing) {
      // A shared cell: one run, several experiments.
      if (!existing.experiments.includes(experiment)) existing.experiments.push(experiment);
      if (extra.noiseFraction !== undefined) existing.noiseFraction = extra.noiseFraction;
      return;
    }
    cells.set(key, {
      key,
      dataset,
      systemName: `${name}${suffix}`,
      system,
      seed,
      training: { ...settings.training, ...settings.datasetTraining[dataset.kind] },
      scoreAttribution,
      experiments: [experiment],
      ...(extra.sweep ? { sweep: extra.sweep } : {}),
      ...(extra.noiseFraction !== undefined ? { noiseFraction: extra.noiseFraction } : {}),
    });
  };
  if (options.dataset) {
    for (const seed of runSeeds) {
      for (const name of settings.mainSystems) add("main", options.dataset, name, seed);
      for (const name of ABLATION_SYSTEMS) add("ablation", options.dataset, name, seed);
    }
    const noSweeps = { rho: [], lambda: [], temperature: [], warmupSteps: [] };
    return finishPlan(mode, runSeeds, { ...settings, noiseFractions: [], sweeps: noSweeps }, cells);
  }
  const movielens: DatasetSpec = { kind: "movielens" };
  const synthetic: DatasetSpec = { kind: "synthetic", config: settings.synthetic };
  // Order: what a stopped run needs most comes first (a later run resumes the rest): the synthetic
  // benchmark's main and ablation tables (fast, and the truth is known), MovieLens's main table and
  // ablation for the first seed, the noise-level curve, the sensitivity sweep, then MovieLens's
  // main table for the other seeds, and last its ablation for them (the slowest cells).
  const movielensSeeds = mode === "quick" ? runSeeds.slice(0, 1) : runSeeds;
  for (const seed of runSeeds) {
    for (const name of settings.mainSystems) add("main", synthetic, name, seed);
  }
  for (const seed of runSeeds) {
    for (const name of ABLATION_SYSTEMS) add("ablation", synthetic, name, seed);
  }
  for (const name of settings.mainSystems) add("main", movielens, name, movielensSeeds[0]);
  for (const name of ABLATION_SYSTEMS) add("ablation", movielens, name, movielensSeeds[0]);
  // The default noise fraction's cells are the main table's synthetic cells (same key).
  const defaultFraction = settings.synthetic.noiseFraction ?? DEFAULT_SYNTHETIC.noiseFraction;
  for (const noiseFraction of [...new Set([...settings.noiseFractions, defaultFraction])]) {
    const noisy = noiseLevelDataset(settings.synthetic, noiseFraction);
    for (const seed of runSeeds) {
      add("noise_level", noisy, "SASRec-MM", seed, { noiseFraction });
      add("noise_level", noisy, "Demure-SASRec", seed, { noiseFraction });
    }
  }
  const defaults = resolveDemureConfig(settings.demure);
  for (
    const [parameter, values] of Object.entries(settings.sweeps) as [SweepParameter, number[]][]
  ) {
    // The default value's cell is the main table's Demure-SASRec cell of the first seed.
    for (const value of values.filter((v) => v !== defaults[parameter])) {
      add("sensitivity", synthetic, "Demure-SASRec", runSeeds[0], {
        demure: { [parameter]: value },
        sweep: { parameter, value },
      });
    }
  }
  add("sensitivity", synthetic, "Demure-SASRec", runSeeds[0]);
  for (const seed of movielensSeeds.slice(1)) {
    for (const name of settings.mainSystems) add("main", movielens, name, seed);
  }
  for (const seed of movielensSeeds.slice(1)) {
    for (const name of ABLATION_SYSTEMS) add("ablation", movielens, name, seed);
  }
  return finishPlan(mode, runSeeds, settings, cells);
}

/** Checks every cell's settings and assembles the plan. */
function finishPlan(
  mode: ExperimentMode,
  seeds: number[],
  settings: ModeSettings,
  cells: Map<string, PlannedCell>,
): ExperimentPlan {
  // Every cell's settings are checked now, not when the cell's turn comes hours later.
  for (const cell of cells.values()) resolveTrainerConfig({ ...cell.training, seed: cell.seed });
  resolveModelConfig(settings.model);
  return {
    mode,
    seeds,
    model: settings.model,
    training: settings.training,
    datasetTraining: settings.datasetTraining,
    synthetic: settings.synthetic,
    noiseFractions: settings.noiseFractions,
    sweeps: settings.sweeps,
    mainSystems: settings.mainSystems,
    ablationSystems: ABLATION_SYSTEMS,
    cells: [...cells.values()],
  };
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
  return plan.cells.filter((cell) => cell.experiments.includes(experiment));
}
