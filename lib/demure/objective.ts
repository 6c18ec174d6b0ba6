/**
 * Demure's training objective as trainer hooks: L = L_rec + lambda * L_cl.
 *
 * Before each step (outside the gradient tape) the batch's noise set N_u is looked up or computed:
 * by gradient attribution of the per-user next-item loss over every real position of the window
 * (`sequenceLossOf`: the mean cross-entropy of all the window's next items, not the last item's
 * alone; `full`, `attribution_only`) or drawn at random with the same fraction rho
 * (`contrastive_only`, `random_input`). Inside the tape, the contrastive term compares
 * the user state of the full history (anchor) with the state of the denoised history (positive,
 * N_u masked) against the state of the noise-only history (negative, points of interest masked)
 * and the other users of the batch (InfoNCE, temperature tau).
 *
 * Variants (the paper's ablations):
 * - `full`: attribution + contrastive loss; with `denoiseInput` (default) the recommendation loss
 *   reads the denoised history too, so `full` = `attribution_only` + the contrastive term;
 * - `attribution_only`: the recommendation loss reads the denoised history; no contrastive loss;
 * - `contrastive_only`: random modality masks instead of attribution, the contrastive term only
 *   (the recommendation loss reads the full history);
 * - `random_input`: `attribution_only` with random masks instead of attributed ones, as many and
 *   at the same granularity, drawn once per user from the run seed and kept (not one of the
 *   paper's ablations: the control that tells whether the attributed masks cost or gain more than
 *   holding out as many random modalities).
 * The random masks' "run seed" is the model's seed (`ModelConfig.seed`), not the trainer's: a
 * cell sets both to its seed, but two `trainModel` calls that differ in `TrainerConfig.seed` only
 * draw the same masks (per user for `random_input`, per step for `contrastive_only`).
 * Inference always reads the full history: training made the encoder robust to the noise.
 *
 * Where the contributions come from (`attributionSource`):
 * - `auto` (default): `training_pass` where it is supported (`variant` full, `denoiseInput` false,
 *   a gradient method: the configuration selected on both datasets of record), else
 *   `separate_pass`. Why the training pass by default: it costs 1.7 plain epochs against 2.3 (idle)
 *   (docs/performance.md), and over 5 seeds on both datasets its test NDCG@10 and attribution
 *   ROC-AUC match the separate pass's within seed noise. The results of record pin
 *   `separate_pass` (the route they were made with; `lib/experiments/_plan_settings.ts`).
 * - `separate_pass`: before the step, a forward and backward pass of the per-user
 *   sequence loss over the full history, in inference mode (`attributeBatch`); a window's mask
 *   serves `everyVisits` visits (default 2: computed every second epoch, reused in between).
 * - `training_pass`: from the step's own backward pass: dL_rec/dE of the recommendation pass
 *   (tapped in the trainer's `recommendationGradient` hook), gradient x input, then the same
 *   per-user normalisation and selection (`attributionOfContributions`). No extra gradient pass;
 *   the costs: the mask a user's window gets at one visit is the one computed at its previous
 *   visit (one epoch old, `everyVisits` is not read), the gradient is taken in training mode
 *   (dropout on) and of the loss the step descends (L_rec over every real position, per-user scale
 *   removed by the normalisation), and the anchor view runs in the stacked views' pass instead of
 *   being the recommendation pass (so that L_cl's gradient does not reach the tapped E: 3B rows
 *   instead of 2B). A window's first visit after the warm-up (no mask yet) is attributed by the
 *   separate pass once, so that every post-warm-up step has its contrastive term as in the
 *   separate route. With `trainingPassSmoothing` w < 1 a window's mask is selected from an exponential
 *   average of its captured visits (weight w on the newest), which damps dropout's noise. Needs
 *   `variant: "full"`, `denoiseInput: false` (L_rec must read the full history:
 *   under a denoised L_rec the gradient at masked pairs is zero) and a gradient method
 *   (`gradient_x_input`, `gradient_norm`); other combinations are refused with a `SettingError`.
 *
 * @example
 * ```ts
 * const demure = demureHooks(model, { variant: "full", lambda: 0.1 });
 * await trainModel(model, split, { seed: 0 }, demure.hooks);
 * console.log(demure.stats());
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { SequenceBatch } from "../data/types.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import type { Json } from "../checkpoint/checkpoint.ts";
import type { HostTensor } from "../checkpoint/safetensors.ts";
import type { EpochProgress } from "../train/progress.ts";
import {
  type AuxiliaryLossContext,
  type HookState,
  oneRowBatchRefusal,
  type TrainerConfig,
  type TrainerHooks,
  type TrainingBudget,
} from "../train/config.ts";
import type { SettingError } from "../util/settings.ts";
import { type DemureConfig, masksAreRandom, resolveDemureConfig, warmupRefusal } from "./config.ts";
import { NoiseCounts, type SavedNoiseCounts } from "./_noise_counts.ts";
import { type SavedWarmup, Warmup } from "./_warmup.ts";
import { restoreMaskCache, type SavedMaskCache, saveMaskCache } from "./_mask_cache_checkpoint.ts";
import { BatchNoise } from "./_batch_noise.ts";
import { TrainingPassCapture } from "./_training_pass_capture.ts";
import { windowLimitRefusal } from "./_batch_pairs.ts";
import { contrastiveTerm, trainingPassContrastive } from "./_contrastive_term.ts";
import type { ContrastiveViews } from "./views.ts";

/** Counters of a Demure run. */
export interface DemureStats {
  /** Batches whose noise mask was computed by attribution. */
  attributed: number;
  /** Batches served from the per-user mask cache. */
  reused: number;
  /** Batches with random masks (`contrastive_only`, `random_input`). */
  random: number;
  /** Mean fraction of valid pairs marked as noise, per modality name. */
  noiseRateByModality: Record<string, number>;
  /** Valid (position, modality) pairs seen by the views and how many were noise, per modality. */
  pairsByModality: Record<string, { valid: number; noise: number }>;
  /**
   * The route the contributions came from (`attributionSource` resolved). Absent in the records
   * made before 2026-12-02, which all used the separate pass.
   */
  attributionSource?: "separate_pass" | "training_pass";
  /** 1-based epoch after which the warm-up ended (`warmupBy` epochs or plateau); else undefined. */
  warmupEndedAfterEpoch?: number;
  /**
   * `attributionSource: "training_pass"` only: batches whose masks were stored from the training
   * pass's own gradient (`attributed` then counts the first visits, attributed by the separate
   * pass).
   */
  captured?: number;
}

/** The hooks plus counters. */
export interface DemureTraining {
  /** The resolved configuration (defaults filled in). */
  config: DemureConfig;
  /**
   * Includes `checkpointState`: the mask cache and counters travel with the `last` checkpoint;
   * and `afterEpoch`: ends an epoch or plateau warm-up and closes the epoch's noise counts, before
   * the epoch's checkpoint is saved; and `checkTrainerConfig`: refuses a warm-up the run could
   * never leave ({@linkcode warmupRefusal}), a user whose windows the mask cache cannot key
   * (`windowLimitRefusal`) and, with `noiseViewAsNegative` false, a run that would train a batch of
   * 1 row (no negative for its contrastive term: `oneRowBatchRefusal`). With
   * `attributionSource: "training_pass"` also `recommendationGradient` and `afterStep`.
   */
  hooks: Pick<
    TrainerHooks,
    | "inputMask"
    | "auxiliaryLoss"
    | "checkpointState"
    | "afterEpoch"
    | "checkTrainerConfig"
    | "recommendationGradient"
    | "afterStep"
  >;
  /** Counters of the run so far (after {@linkcode release}, those at the release). */
  stats(): DemureStats;
  /**
   * Per epoch ended so far, the share of valid pairs marked as noise per modality (rounded to 1e-6;
   * 0 for a modality without pairs that epoch, as in the warm-up). A run resumed from a checkpoint
   * saved since 2026-12-04 holds every epoch, as an uninterrupted one; from an earlier checkpoint,
   * the epochs from the resume on, the first pooled with the epochs before it.
   */
  noiseRateByEpoch(): Record<string, number>[];
  /**
   * Ends the run's hold on memory, once its `trainModel` call is over: drops the noise-mask cache
   * (a few MB on an ML-1M-sized run), the last step's views and batch, the counters and the
   * model, so that a notebook or a list that keeps this object for its {@linkcode stats} keeps
   * only those. `stats()` and `noiseRateByEpoch()` answer as at the release; the hooks refuse to
   * run again (build a new `demureHooks(model, config)`), `checkpointState` included: release
   * after the run, not between a kill and its resume with the same object. Calling it again does
   * nothing. Nothing a run computes depends on it.
   */
  release(): void;
}

/** What a run's `last` checkpoint holds of its hooks (JSON; the mask cache's arrays as tensors). */
type SavedDemureState = SavedNoiseCounts & {
  /**
   * The run's resolved configuration (saved since 2026-12-07; a checkpoint of another one is
   * refused, as the trainer refuses another trainer config).
   */
  config?: Json;
  random: number;
  cache: SavedMaskCache | null;
  warmup?: SavedWarmup;
  captured?: number;
};

/**
 * Throws, naming the first setting that differs, unless a checkpoint's Demure configuration is
 * this run's. A checkpoint saved before 2026-12-07 holds none and is not checked.
 */
function checkSavedConfig(saved: unknown, current: DemureConfig): void {
  if (saved === undefined) return;
  const differing = firstDifference(saved, current, "");
  if (differing === undefined) return;
  const [path, stored, wanted] = differing;
  throw new Error(
    `Demure checkpoint state: field "config${path}" is ${JSON.stringify(stored) ?? "missing"}, ` +
      `this run's DemureConfig${path} is ${JSON.stringify(wanted) ?? "missing"} (a checkpoint ` +
      "of another Demure configuration); use another checkpointDir or resume: false",
  );
}

/** The first path (`.rho`, `.attribution.method`) at which two JSON values differ, if any. */
function firstDifference(
  saved: unknown,
  current: unknown,
  path: string,
): [string, unknown, unknown] | undefined {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (isObject(saved) && isObject(current)) {
    for (const key of new Set([...Object.keys(current), ...Object.keys(saved)])) {
      const found = firstDifference(saved[key], current[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return JSON.stringify(saved) === JSON.stringify(current) ? undefined : [path, saved, current];
}

/** The parts of one run's state, as {@linkcode demureHooks} holds them until its release. */
interface DemureRun {
  config: DemureConfig;
  model: SequentialRecommender;
  modalities: number;
  noise: BatchNoise;
  counts: NoiseCounts;
  warmup: Warmup;
  /** `attributionSource: "training_pass"` only. */
  capture?: TrainingPassCapture;
  /** A resumed run: its steps continue the saved ones, whatever the hooks saw before. */
  forgetLastStep(): void;
}

/** The run's counters (`DemureTraining.stats`). */
function statsOf(run: DemureRun): DemureStats {
  const { noise, capture } = run;
  const cacheStats = noise.cache?.stats() ?? { computed: 0, reused: 0 };
  const { noiseRateByModality, pairsByModality } = run.counts.byModality();
  const endedAfterEpoch = run.warmup.endedAfterEpoch;
  return {
    attributed: cacheStats.computed,
    reused: cacheStats.reused,
    random: noise.random,
    noiseRateByModality,
    pairsByModality,
    ...(masksAreRandom(run.config.variant)
      ? {}
      : { attributionSource: capture ? "training_pass" : "separate_pass" as const }),
    ...(endedAfterEpoch !== undefined ? { warmupEndedAfterEpoch: endedAfterEpoch } : {}),
    ...(capture ? { captured: capture.captured } : {}),
  };
}

/** The run's mask cache, counters and warm-up in the `last` checkpoint, and back. */
function checkpointStateOf(
  liveRun: () => DemureRun,
): NonNullable<TrainerHooks["checkpointState"]> {
  return {
    save(): HookState {
      const run = liveRun();
      const { noise, counts, warmup, capture } = run;
      const tensors = new Map<string, HostTensor>();
      const cacheJson = saveMaskCache(noise.cache, tensors);
      const { noiseCount, validCount, epochs } = counts.saved();
      const json: SavedDemureState = {
        config: run.config as unknown as Json,
        random: noise.random,
        noiseCount,
        validCount,
        cache: cacheJson,
        warmup: warmup.saved(),
        epochs,
        ...(capture ? { captured: capture.captured } : {}),
      };
      return { json, tensors };
    },
    restore(saved: HookState): void {
      const run = liveRun();
      const { noise, counts, warmup, capture } = run;
      const json = saved.json as unknown as SavedDemureState;
      counts.checkSaved(json);
      if (capture && json.captured === undefined) {
        throw new Error(
          "Demure checkpoint state: saved by attributionSource separate_pass, resumed with " +
            "training_pass",
        );
      }
      // Checked before anything is set: a mask cache, counts and warm-up of another
      // configuration (another rho, variant or schedule) resumed silently mixed two runs in one
      // result.
      checkSavedConfig(json.config, run.config);
      // The warm-up and the cache are checked (the cache built) before anything of the run
      // changes: a refused checkpoint leaves the hooks as they were, not half-restored (the
      // warm-up's refusals came after the step, the random count and the warm-up were set).
      const warmupOver = warmup.overWith(json.warmup);
      if (json.epochs === undefined && !warmupOver) {
        // Saved before 2026-12-04, before the epoch's end reached the warm-up: the epoch the
        // checkpoint closes is missing from it, and a resumed warm-up would end an epoch late.
        throw new Error(
          "Demure checkpoint state: saved before 2026-12-04 during a warm-up by " +
            `${run.config.warmupBy}, without the last epoch's end: delete the checkpoint to ` +
            "start the cell afresh",
        );
      }
      const cache = restoreMaskCache(json.cache, saved.tensors, run.modalities, noise.schedule());
      run.forgetLastStep();
      noise.random = json.random;
      if (capture) capture.captured = json.captured ?? 0;
      warmup.restore(json.warmup);
      counts.restore(json);
      noise.cache = cache;
    },
  };
}

/** A run's state, as fresh: nothing cached, counted or warmed up. */
function startRun(
  model: SequentialRecommender,
  config: DemureConfig,
  forgetLastStep: () => void,
): DemureRun {
  const counts = new NoiseCounts(model.modalityNames);
  // Warm-up by epochs or plateau: the trainer's progress ends it (the step schedule is then off).
  const warmup = new Warmup(config);
  return {
    config,
    model,
    modalities: model.numModalities,
    noise: new BatchNoise(model, config, counts, warmup),
    counts,
    warmup,
    capture: config.attributionSource === "training_pass"
      ? new TrainingPassCapture(model, config)
      : undefined,
    forgetLastStep,
  };
}

/** What a released {@linkcode DemureTraining} still answers. */
interface ReleasedRun {
  stats: DemureStats;
  noiseRateByEpoch: Record<string, number>[];
}

/**
 * Why a Demure run of `config` under `trainer` on a split of `budget` could not finish, as the
 * `SettingError` its hooks' `checkTrainerConfig` throws before the first step; else undefined. The
 * refusals, in this order: a warm-up the run could never leave ({@linkcode warmupRefusal}); with
 * attributed masks, a user whose windows the mask cache cannot key (`windowLimitRefusal`,
 * `TrainerConfig.windows`); with a contrastive term and `noiseViewAsNegative` false, a batch of 1
 * row, which has no negative (`oneRowBatchRefusal`, `TrainerConfig.batchSize`). The one home of
 * these rules: a plan checks its cells with it before the first one trains
 * (`checkCellsFitData`), so that a cell does not fail hours into the plan.
 *
 * @example
 * ```ts
 * const trainer = resolveTrainerConfig({ batchSize: 64 });
 * const budget = trainingBudget(split, trainer);
 * const config = resolveDemureConfig({ noiseViewAsNegative: false });
 * const refusal = demureRunRefusal(config, trainer, budget);
 * if (refusal) throw refusal;
 * ```
 */
export function demureRunRefusal(
  config: DemureConfig,
  trainer: TrainerConfig,
  budget: TrainingBudget,
): SettingError | undefined {
  return warmupRefusal(config, trainer, budget.stepsPerEpoch) ??
    (masksAreRandom(config.variant) ? undefined : windowLimitRefusal(trainer, budget)) ??
    // Once the warm-up is over, every epoch's batch of 1 row would stop the run there.
    (hasNoContrastiveTerm(config.variant) || config.noiseViewAsNegative
      ? undefined
      : oneRowBatchRefusal(
        "Demure's contrastive term with DemureConfig.noiseViewAsNegative false",
        trainer,
        budget,
        "; or set noiseViewAsNegative true (the noise view is then every row's negative)",
      ));
}

/** No contrastive term: the masks only reach L_rec's (denoised) input. */
function hasNoContrastiveTerm(variant: DemureConfig["variant"]): boolean {
  return variant === "attribution_only" || variant === "random_input";
}

/**
 * Builds Demure's hooks for {@linkcode trainModel}. The noise masks are cached per user (see
 * `NoiseMaskCache`), so a window's mask is recomputed at every `everyVisits`-th visit. The hooks
 * hold that run's state (cache, counters, warm-up): build new ones for every run; a second run
 * with the same hooks stops at its first step with a message saying so. `release()` drops that
 * state once the run is over.
 */
export function demureHooks(
  model: SequentialRecommender,
  input: Partial<DemureConfig> = {},
): DemureTraining {
  const config = resolveDemureConfig(input);
  const withoutContrastive = hasNoContrastiveTerm(config.variant);
  /** L_rec reads the denoised history (the positive view). */
  const denoisedInput = withoutContrastive || (config.variant === "full" && config.denoiseInput);
  // The last step this run saw: the state belongs to one run, which a step that does not follow
  // it (a second trainModel call with the same hooks) would silently continue.
  let lastStep: number | undefined;
  // Every hook below reaches the run's state through these two only (not through a variable of
  // this scope, which each of them would keep alive): release() drops them.
  let run: DemureRun | undefined = startRun(model, config, () => lastStep = undefined);
  let current: { step: number; views: ContrastiveViews; batch: SequenceBatch } | undefined;
  let released: ReleasedRun | undefined;
  const liveRun = (): DemureRun => {
    if (run !== undefined) return run;
    throw new Error(
      "demureHooks: this DemureTraining was released (release() drops its run's mask cache, " +
        "counters and model): make a new one with demureHooks(model, config) for another run",
    );
  };

  const inputMask = async (
    batch: SequenceBatch,
    step: number,
  ): Promise<tf.Tensor3D | undefined> => {
    const { noise } = liveRun();
    if (lastStep !== undefined && step <= lastStep) {
      throw new Error(
        `demureHooks: step ${step} after step ${lastStep}: one DemureTraining drives one ` +
          "trainModel run (its noise-mask cache, counters and warm-up are that run's); make a " +
          "new one with demureHooks(model, config) for another run",
      );
    }
    lastStep = step;
    const views = await noise.viewsFor(batch, step);
    current = views ? { step, views, batch } : undefined;
    if (views === undefined || !denoisedInput) return undefined;
    return tf.tensor3d(views.positive, [...views.shape]);
  };

  const auxiliaryLoss = (context: AuxiliaryLossContext): tf.Scalar => {
    if (withoutContrastive || current?.step !== context.step) return tf.scalar(0);
    const { model, capture } = liveRun();
    // Without the noise view, a row's only negatives are the batch's other rows; infoNce's own
    // refusal ("no negatives") named no setting. trainModel's call of checkTrainerConfig refuses
    // such a run before its first step; this is for hooks used without that call.
    if (!config.noiseViewAsNegative && context.batch.batchSize < 2) {
      throw new Error(
        `demureHooks: a training batch of ${context.batch.batchSize} row has no negative for ` +
          "the contrastive term with DemureConfig.noiseViewAsNegative false (the other rows " +
          "are its only negatives): TrainerConfig.batchSize is 1, or the epoch's training rows " +
          "(a user's windows) leave 1 over after full batches of it; choose a batchSize >= 2 " +
          "that leaves none or at least 2, or noiseViewAsNegative true",
      );
    }
    return capture
      ? trainingPassContrastive(model, config, context, current.views)
      : contrastiveTerm(model, config, context, current.views, denoisedInput);
  };

  const trainingPassHooks = {
    recommendationGradient: (gradient: tf.Tensor4D, embeddings: tf.Tensor4D, step: number) => {
      if (current?.step !== step) return;
      const { capture, noise } = liveRun();
      capture!.keep(step, current.batch, gradient, embeddings, noise.attributedApart);
    },
    afterStep: (step: number, applied: boolean) => {
      const { capture, noise } = liveRun();
      return capture!.storeNext(noise.cache, step, applied);
    },
  };

  return {
    config,
    hooks: {
      inputMask,
      auxiliaryLoss,
      checkpointState: checkpointStateOf(liveRun),
      afterEpoch: (progress: EpochProgress) => {
        const { counts, warmup } = liveRun();
        counts.closeEpoch();
        warmup.afterEpoch(progress);
      },
      checkTrainerConfig: (trainer, budget) => {
        liveRun(); // a released one is refused before the run restores or trains anything
        const refusal = demureRunRefusal(config, trainer, budget);
        if (refusal) throw refusal;
      },
      ...(config.attributionSource === "training_pass" ? trainingPassHooks : {}),
    },
    stats: () => released ? structuredClone(released.stats) : statsOf(liveRun()),
    noiseRateByEpoch: () =>
      released ? structuredClone(released.noiseRateByEpoch) : liveRun().counts.rateByEpoch(),
    release: () => {
      if (run === undefined) return;
      released = { stats: statsOf(run), noiseRateByEpoch: run.counts.rateByEpoch() };
      run = undefined;
      current = undefined;
    },
  };
}
