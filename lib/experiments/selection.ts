/**
 * Hyper-parameter selection on validation with an equal, declared trial budget per neural system.
 *
 * Each selected system has a search space over its own key hyper-parameters (the backbones:
 * learning rate and dropout; CL4SRec: lambda and augmentation strength; Demure: lambda, rho, tau,
 * the warm-up and whether L_rec reads the denoised history). Trial 0 is the system's documented
 * default; trials 1..N-1 are drawn without replacement from the space's grid (less the defaults'
 * own point, and any point whose settings the plan's run would refuse) with a seed derived from the
 * system's name, so every system gets exactly N distinct trials and a rerun draws the same ones.
 * A method built on a backbone (CL4SRec, Demure) starts from the backbone's selected learning rate
 * and dropout, so the comparison of the two is not confounded by the optimiser.
 *
 * Selection reads validation NDCG@10 only (ties: the lower trial index). Test metrics of trials
 * are stored but never read here.
 *
 * @example
 * ```ts
 * const trials = trialsOf("Demure-SASRec", 4);
 * const chosen = selectTrial(trials.map((t, i) => ({ trial: t, valid: validNdcg[i] })));
 * ```
 */
import type { Cl4SRecConfig } from "../baselines/cl4srec.ts";
import type { DemureConfig, DemureWarmupBy } from "../demure/config.ts";
import { DEFAULT_GRU4REC_CONFIG } from "../models/gru4rec.ts";
import { DEFAULT_SASREC_CONFIG } from "../models/sasrec.ts";
import { DEFAULT_ADAM_CONFIG } from "../train/adam.ts";
import { createRng } from "../util/random.ts";
import { withDefaults } from "../util/settings.ts";
import type { SystemName } from "./systems.ts";

/** One trial's hyper-parameters (unset fields keep the plan's and the system's defaults). */
export interface TrialConfig {
  /** Adam learning rate. */
  learningRate?: number;
  /** Dropout of the backbone (SASRec or GRU4Rec). */
  dropout?: number;
  /** CL4SRec's lambda, augmentation strength s (crop keeps 1 - s, mask s, reorder s). */
  cl4srec?: Partial<Cl4SRecConfig>;
  /** Demure's settings of the trial. */
  demure?: Partial<DemureConfig>;
}

/** A search space: values of each hyper-parameter; a trial takes one value of each. */
export type SearchSpace = Record<string, readonly (number | boolean | string)[]>;

/** Which space a system searches, and which system's selected optimiser settings it starts from. */
export interface SelectionSpec {
  /** The space the system's trials are drawn from. */
  space: SearchSpace;
  /** The backbone whose selected learning rate and dropout this system starts from. */
  inheritsFrom?: SystemName;
  /**
   * The grid point that trial 0 (the defaults) already runs, left out of the draw so that every
   * trial is another configuration (the backbones' grids hold their defaults; the draw of
   * SASRec-MM met them at its fourth trial, a repeat of trial 0 bit for bit).
   */
  defaultPoint?: SpacePoint;
}

const BACKBONE_SPACE: SearchSpace = {
  learningRate: [1e-3, 2e-3, 5e-3],
  dropout: [0.1, 0.2, 0.3, 0.5],
};
const CL4SREC_SPACE: SearchSpace = {
  lambda: [0.05, 0.1, 0.2, 0.5],
  augmentationStrength: [0.2, 0.4, 0.6],
};
const DEMURE_SPACE: SearchSpace = {
  lambda: [0.02, 0.05, 0.1, 0.2],
  // Whole modalities of 5 per user: 3, 1, 2. 0.7 took the place of 0.1, in place so that every
  // other trial keeps its draw: 0.1 then masked no modality (an empty noise set: the two trials
  // that drew it were not Demure), and now masks one, as 0.3 does (bottomFractionCount).
  rho: [0.7, 0.3, 0.5],
  temperature: [0.1, 0.2, 0.5],
  warmup: ["epochs:1", "epochs:3", "plateau:2", "plateau:4"],
  denoiseInput: [true, false],
};

/** A backbone's defaults as a point of {@linkcode BACKBONE_SPACE}. */
function backboneDefaults(dropout: number): SpacePoint {
  return { learningRate: DEFAULT_ADAM_CONFIG.learningRate, dropout };
}

/** The search of every system that can be selected. */
export const SELECTION_SPECS: Partial<Record<SystemName, SelectionSpec>> = {
  "SASRec-ID": {
    space: BACKBONE_SPACE,
    defaultPoint: backboneDefaults(DEFAULT_SASREC_CONFIG.dropout),
  },
  "SASRec-MM": {
    space: BACKBONE_SPACE,
    defaultPoint: backboneDefaults(DEFAULT_SASREC_CONFIG.dropout),
  },
  "GRU4Rec-MM": {
    space: BACKBONE_SPACE,
    defaultPoint: backboneDefaults(DEFAULT_GRU4REC_CONFIG.dropout),
  },
  "CL4SRec-MM": { space: CL4SREC_SPACE, inheritsFrom: "SASRec-MM" },
  "Demure-SASRec": { space: DEMURE_SPACE, inheritsFrom: "SASRec-MM" },
  "Demure-GRU4Rec": { space: DEMURE_SPACE, inheritsFrom: "GRU4Rec-MM" },
};

function hashName(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** One point of a space as a plain record, e.g. `{ learningRate: 0.005, dropout: 0.3 }`. */
export type SpacePoint = Record<string, number | boolean | string>;

/** Every point of the grid, in a fixed order. */
function gridOf(space: SearchSpace): SpacePoint[] {
  let points: SpacePoint[] = [{}];
  for (const [name, values] of Object.entries(space)) {
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  return points;
}

/** The trial's settings for one point of a space (see the spaces above for the names). */
export function trialConfigOf(point: SpacePoint): TrialConfig {
  const config: TrialConfig = {};
  const demure: Partial<DemureConfig> = {};
  const cl4srec: Partial<Cl4SRecConfig> = {};
  for (const [name, value] of Object.entries(point)) {
    if (name === "learningRate") config.learningRate = value as number;
    else if (name === "dropout") config.dropout = value as number;
    else if (name === "augmentationStrength") {
      const s = value as number;
      Object.assign(cl4srec, { cropRatio: 1 - s, maskRatio: s, reorderRatio: s });
    } else if (name === "lambda" && "augmentationStrength" in point) {
      cl4srec.weight = value as number;
    } else if (name === "lambda") demure.lambda = value as number;
    else if (name === "rho") demure.rho = value as number;
    else if (name === "temperature") demure.temperature = value as number;
    else if (name === "denoiseInput") demure.denoiseInput = value as boolean;
    else if (name === "warmup") {
      const [by, length] = (value as string).split(":");
      demure.warmupBy = by as DemureWarmupBy;
      demure.warmupEpochs = Number(length);
    } else throw new Error(`trialConfigOf: unknown hyper-parameter "${name}"`);
  }
  if (Object.keys(demure).length > 0) config.demure = demure;
  if (Object.keys(cl4srec).length > 0) config.cl4srec = cl4srec;
  return config;
}

/** One trial of a system: its index, the point of the space (undefined = defaults), settings. */
export interface Trial {
  /** Trial number (0 = the defaults). */
  index: number;
  /** The point of the space (undefined for the defaults). */
  point?: SpacePoint;
  /** The trial's hyper-parameters. */
  config: TrialConfig;
}

/**
 * Whether a trial's settings can run under the plan's trainer settings: false for a point the run
 * would refuse (e.g. a warm-up the mode's epoch cap always ends first: `warmupRefusal`). The plan
 * builds it from a cell's settings; the default accepts every point.
 */
export type TrialRuns = (trial: TrialConfig) => boolean;

const EVERY_TRIAL_RUNS: TrialRuns = () => true;

/**
 * How many distinct trials `system` has: the defaults, then every other point of its grid that
 * `runs` accepts.
 */
export function maxTrialsOf(system: SystemName, runs: TrialRuns = EVERY_TRIAL_RUNS): number {
  const spec = SELECTION_SPECS[system];
  if (spec === undefined) throw new Error(`selection: ${system} has no search space`);
  return 1 + gridOf(spec.space).filter((point) => drawable(spec, point, runs)).length;
}

/** A point the draw may take: not the defaults' own, and one the run accepts. */
function drawable(spec: SelectionSpec, point: SpacePoint, runs: TrialRuns): boolean {
  return !isDefaultOf(spec, point) && runs(trialConfigOf(point));
}

function isDefaultOf(spec: SelectionSpec, point: SpacePoint): boolean {
  return spec.defaultPoint !== undefined &&
    Object.entries(spec.defaultPoint).every(([name, value]) => point[name] === value);
}

/**
 * The `count` trials of `system`: trial 0 = the defaults, then `count - 1` distinct grid points
 * drawn with a seed derived from the system's name, among those `runs` accepts (a point the plan's
 * run would refuse is never drawn: the plan refuses the whole grid for one such cell).
 */
export function trialsOf(
  system: SystemName,
  count: number,
  runs: TrialRuns = EVERY_TRIAL_RUNS,
): Trial[] {
  const most = maxTrialsOf(system, runs);
  const spec = SELECTION_SPECS[system]!;
  const grid = gridOf(spec.space);
  if (!(Number.isInteger(count) && count >= 1 && count <= most)) {
    const refused = runs === EVERY_TRIAL_RUNS ? "" : " (less the points the run's settings refuse)";
    throw new Error(`selection: ${count} trials for ${system}; allowed 1..${most}${refused}`);
  }
  // The defaults' point and the refused ones are dropped after the shuffle: the other draws keep
  // their order (a plan that refuses none draws what it drew before the refusals were added).
  const drawn = createRng(hashName(system)).shuffle(grid.slice())
    .filter((point) => drawable(spec, point, runs))
    .slice(0, count - 1);
  return [
    { index: 0, config: {} },
    ...drawn.map((point, i) => ({ index: i + 1, point, config: trialConfigOf(point) })),
  ];
}

/** A finished trial: its validation NDCG@10 (the only number selection reads). */
export interface TrialOutcome {
  /** The trial. */
  trial: Trial;
  /** Its validation NDCG@10. */
  valid: number;
}

/** The trial with the best validation NDCG@10 (ties: lower index). */
export function selectTrial(outcomes: readonly TrialOutcome[]): TrialOutcome {
  if (outcomes.length === 0) throw new Error("selectTrial: no finished trials");
  return outcomes.reduce((best, o) =>
    o.valid > best.valid || (o.valid === best.valid && o.trial.index < best.trial.index) ? o : best
  );
}

/** A selected configuration as committed (`selected.json`). */
export interface SelectedConfiguration {
  /** The chosen trial's number. */
  trial: number;
  /** The full settings the system runs with: inherited optimiser settings + the trial's. */
  config: TrialConfig;
  /** Validation NDCG@10 of the chosen trial. */
  valid: number;
  /** Trials finished when the choice was made. */
  trials: number;
}

/** Selected configurations by dataset label, then system name. */
export type SelectedConfigurations = Record<string, Record<string, SelectedConfiguration>>;

/**
 * Merges a base (inherited) configuration with a trial's. A setting the trial gives as undefined
 * keeps the base's (`withDefaults`, docs/configuration.md): a hand-written selection's
 * `learningRate: undefined` dropped the backbone's selected rate.
 */
export function mergeTrialConfig(base: TrialConfig, trial: TrialConfig): TrialConfig {
  const merged: TrialConfig = withDefaults(base, trial);
  if (base.demure || trial.demure) merged.demure = withDefaults({ ...base.demure }, trial.demure);
  if (base.cl4srec || trial.cl4srec) {
    merged.cl4srec = withDefaults({ ...base.cl4srec }, trial.cl4srec);
  }
  return merged;
}

/** The optimiser settings a method inherits from a selected backbone. */
export function inheritedConfig(backbone: SelectedConfiguration | undefined): TrialConfig {
  if (backbone === undefined) return {};
  const { learningRate, dropout } = backbone.config;
  return {
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(dropout !== undefined ? { dropout } : {}),
  };
}

/**
 * Reads `selected.json` (an empty object when the file does not exist). Its shape is checked, a
 * field at a time (the settings' ranges are the plan's to check): a hand-edited or truncated file
 * stops here with the field, where it used to be cast and fail later without naming the file.
 */
export function readSelected(path: string): SelectedConfigurations {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw new Error(`${path}: unreadable selected configurations (${(error as Error).message})`);
  }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  const bad = (field: string, value: unknown, expected: string) =>
    new Error(`${path}: field ${field} is ${JSON.stringify(value)}, expected ${expected}`);
  if (!isObject(parsed)) throw bad("(the whole file)", parsed, "an object by dataset label");
  for (const [dataset, systems] of Object.entries(parsed)) {
    if (!isObject(systems)) throw bad(`"${dataset}"`, systems, "an object by system name");
    for (const [system, choice] of Object.entries(systems)) {
      const field = `"${dataset}"."${system}"`;
      if (!isObject(choice)) throw bad(field, choice, "an object (trial, config, valid, trials)");
      if (!Number.isInteger(choice.trial) || (choice.trial as number) < 0) {
        throw bad(`${field}.trial`, choice.trial, "an integer >= 0");
      }
      if (!isObject(choice.config)) throw bad(`${field}.config`, choice.config, "an object");
      if (typeof choice.valid !== "number" || !Number.isFinite(choice.valid)) {
        throw bad(`${field}.valid`, choice.valid, "a finite number");
      }
      if (!Number.isInteger(choice.trials) || (choice.trials as number) < 1) {
        throw bad(`${field}.trials`, choice.trials, "an integer >= 1");
      }
    }
  }
  return parsed as SelectedConfigurations;
}

/** Id of the selection of `system` on a dataset: `<dataset label>/<system>`. */
export function selectionId(dataset: string, system: SystemName): string {
  return `${dataset}/${system}`;
}
