/**
 * One cell of an experiment grid: train one system on one dataset with one seed, evaluate it on
 * validation and test (full ranking), and keep what the analyses need (per-user test metrics for
 * paired tests and cold-start buckets, the protocol, timings, Demure's counters).
 *
 * @example
 * ```ts
 * const data = await prepareDataset({ kind: "movielens" });
 * const result = await runCell(data, SYSTEMS["Demure-SASRec"], { seed: 0 });
 * console.log(result.test["NDCG@10"]);
 * ```
 */
import { blasThreads } from "../backend/blas_threads.ts";
import { blasKernelsInUse } from "../backend/kernels/blas_matmul.ts";
import { requireBackend } from "../backend/init_backend.ts";
import { tf } from "../backend/tf.ts";
import { cl4srecHooks } from "../baselines/cl4srec.ts";
import { itemKnnScorer } from "../baselines/item_knn.ts";
import { popularityScorer } from "../baselines/popularity.ts";
import { demureHooks, type DemureStats, type DemureTraining } from "../demure/objective.ts";
import { evaluateRanking } from "../eval/evaluate.ts";
import {
  DEFAULT_RANKING_PROTOCOL,
  type EvaluationProtocol,
  type RankingProtocol,
} from "../eval/protocol.ts";
import { modelScorer, type Scorer } from "../eval/scorer.ts";
import { describeLoss } from "../losses/recommendation.ts";
import { type ModelConfigInput, SequentialRecommender } from "../models/sequential_recommender.ts";
import {
  type EpochProgress,
  printProgress,
  type ValidationProgressCallback,
  validationProgressLine,
} from "../train/progress.ts";
import type { TrainerConfig, TrainerHooks, TrainingResult } from "../train/config.ts";
import { trainModel } from "../train/trainer.ts";
import {
  checkBoolean,
  checkInteger,
  checkOptionalFunction,
  checkSettingNames,
  SEED_RANGE,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import type { PreparedDataset } from "./datasets.ts";
import {
  attributionLine,
  type AttributionProgress,
  type AttributionQuality,
  attributionQuality,
} from "./attribution_quality.ts";
import {
  type EvaluationPlace,
  type EvaluationProgress,
  runningEvaluationLine,
  slowEvaluationLine,
} from "./evaluation_progress.ts";
import { throttledWorkProgress, type WorkProgress } from "../util/work_progress.ts";
import { checkSystemSpec, type SystemSpec } from "./systems.ts";
import { trainingObjectiveText } from "./training_objective.ts";
import { PER_USER_METRIC_STEPS } from "./_per_user_grid.ts";

/** Settings of one cell besides the system. */
export interface CellSettings {
  /** The cell's seed (model initialisation, batches, dropout). */
  seed: number;
  /**
   * Model settings (dim, blocks, ...). The system decides the backbone (and an ID-only system its
   * modalities), `seed` the model's seed and the split its `maxLength`: a `model` that sets one of
   * them otherwise is a `SettingError`.
   */
  model?: ModelConfigInput;
  /** Trainer settings; their seed is `seed` (a `training.seed` other than it is a `SettingError`). */
  training?: Partial<TrainerConfig>;
  /** Also score the attribution against the planted truth (synthetic data only). */
  scoreAttribution?: boolean;
  /** Per-epoch progress sink (default: the trainer's console line). */
  onProgress?: (progress: EpochProgress) => void;
  /**
   * Called at each epoch end, before the epoch's checkpoint (the trainer's `afterEpoch`, before
   * the objective's own): what it throws stops the training there and nothing of the epoch is
   * saved. The runners check their claim here (`HeldClaim.check`: a cell another process took
   * over writes nothing more).
   */
  afterEpoch?: (progress: EpochProgress) => void;
  /**
   * Progress of the attribution scored after the training (`scoreAttribution`), per chunk of
   * users (default: its line, {@linkcode attributionLine}, printed).
   */
  onAttribution?: (progress: AttributionProgress) => void;
  /**
   * Each finished evaluation after the training (valid, test, test under the other ranking;
   * seconds each on MovieLens). Default: its line printed when it took
   * `SLOW_EVALUATION_SECONDS` (2) or more ({@linkcode slowEvaluationLine}).
   */
  onEvaluation?: (progress: EvaluationProgress) => void;
  /**
   * An evaluation's progress while it runs (users scored of all), every 5 s at most and none for
   * an evaluation done sooner (`throttledWorkProgress`). Default: its line
   * ({@linkcode runningEvaluationLine}) printed to stderr, where a tool reading stdout does not
   * take it for a result.
   */
  onEvaluationProgress?: (place: EvaluationPlace, progress: WorkProgress) => void;
  /**
   * Each epoch's validation while it runs (the trainer's `onValidationProgress`: its epoch, users
   * scored of all), every 5 s at most and none for a validation done sooner. Default: its line
   * (`validationProgressLine`) printed to stderr.
   */
  onValidationProgress?: ValidationProgressCallback;
}

/**
 * A cell's progress callbacks: its epochs' progress, its check at each epoch end, and the progress
 * of its attribution.
 */
export type CellEpochCallbacks = Pick<
  CellSettings,
  | "onProgress"
  | "afterEpoch"
  | "onAttribution"
  | "onEvaluation"
  | "onEvaluationProgress"
  | "onValidationProgress"
>;

const CELL_SETTING_NAMES: SettingNames<CellSettings> = {
  seed: true,
  model: true,
  training: true,
  scoreAttribution: true,
  onProgress: true,
  afterEpoch: true,
  onAttribution: true,
  onEvaluation: true,
  onEvaluationProgress: true,
  onValidationProgress: true,
};

/**
 * Where a cell ran: numbers are bit-identical only on the same backend, BLAS thread count and
 * OpenBLAS kernel set.
 */
export interface CellEnvironment {
  /** The tfjs backend. */
  backend: string;
  /** OpenBLAS threads (`DEMURE_BLAS_THREADS`, else the core count). */
  blasThreads: number;
  /**
   * The fingerprint of the OpenBLAS kernel set that ran the matrix products
   * (lib/backend/blas_kernels.ts); absent when tfjs's own kernels ran them, and in cells stored
   * before 2026-12-05 (the records were made with the Haswell set: results-of-record/README.md).
   */
  blasKernels?: string;
  /** Operating system (`Deno.build.os`). */
  os: string;
  /** CPU architecture (`Deno.build.arch`). */
  arch: string;
  /** Deno version. */
  deno: string;
}

/** The environment of this process (see {@linkcode CellEnvironment}). */
export function cellEnvironment(): CellEnvironment {
  const blasKernels = blasKernelsInUse(tf.getBackend());
  return {
    backend: tf.getBackend(),
    blasThreads: blasThreads(),
    ...(blasKernels === undefined ? {} : { blasKernels }),
    os: Deno.build.os,
    arch: Deno.build.arch,
    deno: Deno.version.deno,
  };
}

/** What a finished cell keeps. */
export interface CellResult {
  /** System name (table row). */
  system: string;
  /** Dataset label. */
  dataset: string;
  /** The cell's seed. */
  seed: number;
  /** Validation metrics of the selected epoch. */
  valid: Record<string, number>;
  /** Test metrics of the selected epoch (read once). */
  test: Record<string, number>;
  /** Internal user ids of the test evaluation, aligned with the per-user arrays. */
  users: number[];
  /** Per-user test NDCG@10 and HR@10 (rounded to 1e-6), aligned with `users`, for paired tests. */
  perUserTest: { "NDCG@10": number[]; "HR@10": number[] };
  /** The protocol of the test evaluation. */
  protocol: EvaluationProtocol;
  /**
   * Test metrics under the other full-ranking protocol (validation and selection used
   * `protocol.rankingProtocol`), so a report can show both; absent in older result files.
   */
  testOtherRanking?: { ranking: RankingProtocol; metrics: Record<string, number> };
  /** The epoch selected on validation NDCG@10 (1-based; 0 for non-neural systems). */
  bestEpoch: number;
  /** Epochs trained before stopping, in all (a resumed run counts the epochs before the resume). */
  epochsRun: number;
  /** The epoch cap of the run (0 for non-neural systems). */
  maxEpochs: number;
  /**
   * True when the run ended at the epoch cap or the wall-time budget (`maxWallSeconds`) instead of
   * by early stopping: a longer budget might have found a better epoch, so the cap, not
   * convergence, decided the result.
   */
  capBound: boolean;
  /** Training wall time in seconds. */
  trainSeconds: number;
  /** Mean wall time of one training step in seconds. */
  meanStepSeconds: number;
  /** Progress of every epoch (losses, validation metrics, times). */
  history: EpochProgress[];
  /** Demure's counters (Demure systems only). */
  demure?: DemureStats;
  /**
   * Demure: the share of valid pairs marked as noise per modality, for each epoch of `history`
   * (`DemureTraining.noiseRateByEpoch`). An epoch without a pair of the modality under a mask (the
   * warm-up) holds 0, as every record of record does. A run resumed from a checkpoint saved before
   * 2026-12-04 holds the epochs from the resume on (the last entries of `history`), the first
   * pooled with the epochs before it. Read it through `epochNoiseRates`, which shows neither the
   * warm-up's 0 nor a pooled rate as that epoch's rate.
   */
  noiseRateByEpoch?: Record<string, number>[];
  /** Attribution scored against the planted truth (when asked for). */
  attribution?: AttributionQuality[];
  /** Set when a selection trial's training diverged (its metrics are then 0). */
  diverged?: string;
  /** Where the cell ran. */
  environment: CellEnvironment;
}

/**
 * True for a Demure-family run whose denoising never started: no batch had a noise mask
 * (attributed, reused or random), because training stopped before the warm-up ended (a small
 * dataset: few steps an epoch and early stopping). Such a run trained its backbone alone, so its
 * row repeats the backbone's; a report should say so rather than show it as Demure.
 */
export function denoisingNeverStarted(result: CellResult): boolean {
  const stats = result.demure;
  return stats !== undefined && stats.attributed + stats.reused + stats.random === 0;
}

/**
 * True for a Demure-family run whose final model is its backbone's: denoising never started
 * ({@linkcode denoisingNeverStarted}), or early stopping restored the weights of an epoch of the
 * warm-up, because no epoch of the denoising phase beat the warm-up's best validation NDCG@10
 * within the patience left. The warm-up trains the backbone alone, bit for bit as the backbone's
 * run at the same seed does, so such a run's numbers are its backbone's: a report marks it rather
 * than show it as Demure's.
 */
export function endedWithBackboneWeights(result: CellResult): boolean {
  if (result.demure === undefined) return false;
  const warmupEnd = lastWarmupEpoch(result);
  return denoisingNeverStarted(result) ||
    (warmupEnd !== undefined && result.bestEpoch <= warmupEnd);
}

/**
 * The last epoch of a Demure run trained entirely in its warm-up (0: none was):
 * `demure.warmupEndedAfterEpoch` for a warm-up by epochs or plateau; for a warm-up by steps, which
 * records no epoch, the last of the leading epochs whose noise rate is 0 for every modality (no
 * pair was masked: a mask marks at least one pair of each masked history). Undefined for a run
 * that is not Demure's, or when the record cannot tell (a warm-up by steps without per-epoch
 * rates, or a record resumed before 2026-12-04, which holds only the epochs after the resume).
 */
export function lastWarmupEpoch(result: CellResult): number | undefined {
  if (result.demure?.warmupEndedAfterEpoch !== undefined) {
    return result.demure.warmupEndedAfterEpoch;
  }
  const rates = result.noiseRateByEpoch;
  if (rates === undefined || rates.length !== result.history.length) return undefined;
  let leading = 0;
  while (leading < rates.length && Object.values(rates[leading]).every((rate) => rate === 0)) {
    leading++;
  }
  return leading === 0 ? 0 : result.history[leading - 1].epoch;
}

/** A neural cell's model, untrained, with the trainer hooks of its system. */
export interface CellModelParts {
  /** The model, freshly initialised from the cell's seed. */
  model: SequentialRecommender;
  /** Demure's or CL4SRec's hooks (none for a plain model). */
  hooks: TrainerHooks;
  /** Demure's counters after training (undefined for other systems). */
  demureStats: () => DemureStats | undefined;
  /** Demure's training (its epoch hook and counters); undefined for other systems. */
  demure?: DemureTraining;
}

/**
 * The model a neural cell trains, built exactly as {@linkcode runCell} builds it (backbone and
 * modalities from the system, the seed, the dataset's maximum length), with its hooks.
 *
 * @example
 * ```ts
 * const { model, hooks } = buildCellModel(data, SYSTEMS["Demure-SASRec"], { seed: 0 });
 * ```
 */
export function buildCellModel(
  data: PreparedDataset,
  system: SystemSpec,
  settings: Pick<CellSettings, "seed" | "model">,
): CellModelParts {
  if (system.kind !== "neural") {
    throw new Error(`buildCellModel: system kind "${system.kind}" has no model to build`);
  }
  checkCellOverrides(data, system, settings);
  const model = new SequentialRecommender(data.split.dataset, {
    ...settings.model,
    backbone: system.backbone,
    maxLength: data.split.maxLength,
    seed: settings.seed,
    ...(system.modalities === "id" ? { modalities: ["id"] } : {}),
  });
  const { hooks, demure } = hooksOf(system, model);
  return { model, hooks, demureStats: () => demure?.stats(), ...(demure ? { demure } : {}) };
}

/**
 * Throws a `SettingError` for a setting of `settings` that the cell would replace: the model's
 * backbone (the system's), its modalities in an ID-only system, its seed and the trainer's (the
 * cell's `seed`), its `maxLength` (the split's). Each was overwritten without a word, so
 * `model: { backbone: "gru4rec" }` with SASRec-MM trained a SASRec, and `training: { seed: 5 }`
 * trained at the cell's seed. A value equal to the one used is accepted.
 */
function checkCellOverrides(
  data: PreparedDataset,
  system: Extract<SystemSpec, { kind: "neural" }>,
  settings: Pick<CellSettings, "seed" | "model" | "training">,
): void {
  const model = settings.model ?? {};
  const refuse = (setting: string, value: unknown, used: string) => {
    throw new SettingError(`CellSettings.${setting}`, value, `${used}, or leave it out`);
  };
  if (model.backbone !== undefined && model.backbone !== system.backbone) {
    refuse("model.backbone", model.backbone, `"${system.backbone}", the system's backbone`);
  }
  const modalities = model.modalities;
  if (
    system.modalities === "id" && modalities !== undefined &&
    !(Array.isArray(modalities) && modalities.length === 1 && modalities[0] === "id")
  ) {
    refuse("model.modalities", modalities, '["id"], the modalities of an ID-only system');
  }
  if (model.seed !== undefined && model.seed !== settings.seed) {
    refuse("model.seed", model.seed, `${settings.seed}, the cell's seed (CellSettings.seed)`);
  }
  if (model.maxLength !== undefined && model.maxLength !== data.split.maxLength) {
    refuse("model.maxLength", model.maxLength, `${data.split.maxLength}, the split's maxLength`);
  }
  const trainingSeed = settings.training?.seed;
  if (trainingSeed !== undefined && trainingSeed !== settings.seed) {
    refuse("training.seed", trainingSeed, `${settings.seed}, the cell's seed (CellSettings.seed)`);
  }
}

function hooksOf(
  system: SystemSpec,
  model: SequentialRecommender,
): { hooks: TrainerHooks; demure?: DemureTraining } {
  if (system.kind !== "neural") return { hooks: {}, demure: undefined };
  if (system.demure) {
    const demure = demureHooks(model, system.demure);
    return { hooks: demure.hooks, demure };
  }
  if (system.cl4srec) {
    return { hooks: cl4srecHooks(system.cl4srec), demure: undefined };
  }
  return { hooks: {}, demure: undefined };
}

function keepPerUser(values: Float64Array): number[] {
  return Array.from(values, (v) => Math.round(v * PER_USER_METRIC_STEPS) / PER_USER_METRIC_STEPS);
}

/**
 * Throws a `SettingError` for a `scoreAttribution` that is not true or false (a string "false"
 * scored the attribution), a `model` or `training` that is not an object (null trained at the
 * defaults, as if it were left out), or a callback that is not a function.
 */
function checkCellSettingKinds(settings: CellSettings): void {
  if (settings.scoreAttribution !== undefined) {
    checkBoolean("CellSettings.scoreAttribution", settings.scoreAttribution);
  }
  for (const name of ["model", "training"] as const) {
    const value: unknown = settings[name];
    if (
      value !== undefined && (value === null || typeof value !== "object" || Array.isArray(value))
    ) {
      const of = name === "model" ? "ModelConfig" : "TrainerConfig";
      throw new SettingError(`CellSettings.${name}`, value, `an object of ${of} settings`);
    }
  }
  // null was read as "not given": the default lines printed instead of the caller's.
  for (
    const name of [
      "onProgress",
      "afterEpoch",
      "onAttribution",
      "onEvaluation",
      "onEvaluationProgress",
      "onValidationProgress",
    ] as const
  ) {
    const value: unknown = settings[name];
    checkOptionalFunction(`CellSettings.${name}`, value);
  }
}

/** The default {@linkcode CellSettings.onEvaluation}: a slow evaluation's line, printed. */
function printSlowEvaluation(progress: EvaluationProgress): void {
  const line = slowEvaluationLine(progress);
  if (line !== undefined) console.log(line);
}

/** The default {@linkcode CellSettings.onEvaluationProgress}: its line, printed to stderr. */
function printRunningEvaluation(place: EvaluationPlace, progress: WorkProgress): void {
  console.error(runningEvaluationLine(place, progress));
}

/** Trains (if neural) and evaluates one system; disposes every tensor it made. */
export async function runCell(
  data: PreparedDataset,
  system: SystemSpec,
  name: string,
  settings: CellSettings,
): Promise<CellResult> {
  // Popularity and ItemKNN cells build tensors before any model would say so.
  requireBackend();
  // A misspelt `trainng` trained at the defaults, and a misspelt `demre` in a hand-written system
  // trained its plain backbone; each is refused here, before any work.
  checkSettingNames("CellSettings", settings, CELL_SETTING_NAMES);
  checkSystemSpec(system);
  // Named here: it reached the evaluation (or the trainer) first, whose setting a bad seed was
  // reported as (`EvaluationConfig.seed is -1`).
  checkInteger("CellSettings.seed", settings.seed, SEED_RANGE);
  checkCellSettingKinds(settings);
  const { split } = data;
  const started = performance.now();
  let trained: TrainedCell | undefined;
  const tensorsBefore = tf.memory().numTensors;
  try {
    const scorer = system.kind === "popularity"
      ? popularityScorer(split)
      : system.kind === "item_knn"
      ? itemKnnScorer(split)
      : (trained = await trainCellModel(data, system, name, settings)).scorer;
    const { model, training, demureStats, noiseRateByEpoch } = trained ?? {};
    // One protocol for validation (the trainer's early stopping) and test alike.
    const ranking = settings.training?.ranking ?? DEFAULT_RANKING_PROTOCOL;
    const otherRanking: RankingProtocol = ranking === "history_excluded"
      ? "history_kept"
      : "history_excluded";
    // The whole objective (L_rec and the system's contrastive term), from the system's definition.
    const loss = training
      ? trainingObjectiveText(system, describeLoss(training.config.loss))!
      : "none";
    const onEvaluation = settings.onEvaluation ?? printSlowEvaluation;
    const onEvaluationProgress = settings.onEvaluationProgress ?? printRunningEvaluation;
    let evaluationsDone = 0;
    const evaluate = async (stage: "valid" | "test", protocol = ranking) => {
      const evaluationStarted = performance.now();
      const place: EvaluationPlace = {
        stage,
        ranking: protocol,
        index: evaluationsDone + 1,
        evaluations: 3,
      };
      const evaluation = await evaluateRanking(
        scorer,
        split,
        { stage, loss, seed: settings.seed, ranking: protocol },
        throttledWorkProgress((progress) => onEvaluationProgress(place, progress)),
      );
      onEvaluation({
        stage,
        ranking: protocol,
        index: ++evaluationsDone,
        evaluations: 3,
        users: evaluation.users.length,
        seconds: (performance.now() - evaluationStarted) / 1000,
      });
      return evaluation;
    };
    const valid = await evaluate("valid");
    const test = await evaluate("test");
    const testOther = await evaluate("test", otherRanking);
    const attribution = settings.scoreAttribution && model && data.truth
      ? await attributionQuality(
        model,
        split,
        data.truth,
        undefined,
        undefined,
        undefined,
        settings.onAttribution ?? ((progress) => console.log(attributionLine(progress))),
      )
      : undefined;
    return {
      system: name,
      dataset: data.label,
      seed: settings.seed,
      valid: valid.metrics,
      test: test.metrics,
      users: Array.from(test.users),
      perUserTest: {
        "NDCG@10": keepPerUser(test.perUser["NDCG@10"]),
        "HR@10": keepPerUser(test.perUser["HR@10"]),
      },
      protocol: test.protocol,
      testOtherRanking: { ranking: otherRanking, metrics: testOther.metrics },
      bestEpoch: training?.bestEpoch ?? 0,
      epochsRun: training ? training.resumedFromEpoch + training.epochsRun : 0,
      maxEpochs: training?.config.maxEpochs ?? 0,
      capBound: training !== undefined && training.stoppedBy !== "patience",
      trainSeconds: (performance.now() - started) / 1000,
      meanStepSeconds: training?.meanStepSeconds ?? 0,
      history: training?.history ?? [],
      ...(demureStats ? { demure: demureStats, noiseRateByEpoch } : {}),
      ...(attribution ? { attribution } : {}),
      environment: cellEnvironment(),
    };
  } finally {
    trained?.model.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked > 0) console.warn(`runCell(${name}): ${leaked} tensors outlived the cell`);
  }
}

/** A neural cell's trained model, its scorer, its training and Demure's counters. */
interface TrainedCell {
  model: SequentialRecommender;
  scorer: Scorer;
  training: TrainingResult;
  demureStats: DemureStats | undefined;
  noiseRateByEpoch: Record<string, number>[] | undefined;
}

/**
 * The objective's trainer `hooks` with `afterEpoch` (a runner's claim check, `HeldClaim.check`)
 * called first at each epoch end, before the objective's own: what it throws stops the training
 * before anything of the epoch is saved. Without `afterEpoch`, the hooks as they are.
 */
export function checkingFirst(
  hooks: TrainerHooks,
  afterEpoch: ((progress: EpochProgress) => void) | undefined,
): TrainerHooks {
  if (!afterEpoch) return hooks;
  return {
    ...hooks,
    afterEpoch: (progress) => {
      afterEpoch(progress);
      hooks.afterEpoch?.(progress);
    },
  };
}

/** Builds a neural cell's model with its objective's hooks and trains it. */
async function trainCellModel(
  data: PreparedDataset,
  system: Extract<SystemSpec, { kind: "neural" }>,
  name: string,
  settings: CellSettings,
): Promise<TrainedCell> {
  const { model, hooks, demure, demureStats } = buildCellModel(data, system, settings);
  const trainerHooks: TrainerHooks = {
    ...checkingFirst(hooks, settings.afterEpoch),
    onProgress: settings.onProgress ?? printProgress,
    onValidationProgress: settings.onValidationProgress ??
      ((place, progress) => console.error(validationProgressLine(place, progress))),
  };
  try {
    const training = await trainModel(
      model,
      data.split,
      { ...settings.training, seed: settings.seed },
      trainerHooks,
    );
    return {
      model,
      scorer: modelScorer(model, name),
      training,
      demureStats: demureStats(),
      noiseRateByEpoch: demure?.noiseRateByEpoch(),
    };
  } catch (error) {
    // runCell disposes the model of a trained cell; a failed training's is disposed here.
    model.dispose();
    throw error;
  }
}
