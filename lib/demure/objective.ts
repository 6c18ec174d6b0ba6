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
import { validPairs } from "../attribution/mod.ts";
import {
  type AttributionConfig,
  DEFAULT_ATTRIBUTION_CONFIG,
  DEFAULT_NOISE_FRACTION,
  NOISE_FRACTION_RANGE,
  type PairShape,
  validateAttributionConfig,
} from "../attribution/types.ts";
import type { SequenceBatch } from "../data/types.ts";
import { infoNce } from "../losses/info_nce.ts";
import { packRows } from "../nn/packed_rows.ts";
import { hashSeeds } from "../util/random.ts";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkSettingNames,
  SettingError,
} from "../util/settings.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import type { Json } from "../checkpoint/checkpoint.ts";
import type { HostTensor } from "../checkpoint/safetensors.ts";
import type { EpochProgress } from "../train/progress.ts";
import type {
  AuxiliaryLossContext,
  HookState,
  TrainerConfig,
  TrainerHooks,
} from "../train/config.ts";
import { attributeBatch } from "../attribution/attribute_batch.ts";
import { attributionOfContributions } from "../attribution/attribute.ts";
import {
  contributionsOfGradient,
  type EmbeddingGradientMethod,
  zeroInvalidContributions,
} from "../attribution/contributions.ts";
import { readFloat32 } from "../backend/read_values.ts";
import { type BatchNoiseMask, NoiseMaskCache, type NoiseMaskSchedule } from "./noise_mask.ts";
import {
  buildContrastiveViews,
  type ContrastiveViews,
  randomNoiseMask,
  randomNoiseMaskByRow,
} from "./views.ts";

/**
 * Configuration of {@linkcode demureHooks}; defaults in {@linkcode DEFAULT_DEMURE_CONFIG}. The
 * allowed values of each choice are written in its field (one home; {@linkcode DemureVariant},
 * {@linkcode DemureWarmupBy} and {@linkcode DemureAttributionSource} read them from here).
 */
export interface DemureConfig {
  /** Which parts of Demure are on. Default `"full"`. */
  variant: "full" | "attribution_only" | "contrastive_only" | "random_input";
  /** Weight of the contrastive loss. Default 0.1. */
  lambda: number;
  /** InfoNCE temperature. Default 0.2. */
  temperature: number;
  /**
   * Fraction of each user's valid (position, modality) pairs, or of its present modalities under
   * `user_modality` granularity, taken as noise; in (0, 1). Default
   * {@linkcode DEFAULT_NOISE_FRACTION} (0.3). The one home of rho in Demure: the attribution's
   * noise selection is derived from it ({@linkcode noiseAttributionConfig}). The count is rounded
   * down, at least one and never all (`bottomFractionCount`): under the default `user_modality`
   * granularity with 5 modalities, rho below 0.4 masks 1 modality, 0.4 to 0.59 masks 2, 0.6 to
   * 0.79 masks 3; with 3 modalities the default 0.3 masks 1; a user with one present modality has
   * none. (Before 2026-12-03 a rho below 1 / modalities masked none: an empty noise set.)
   */
  rho: number;
  /**
   * What ends the warm-up of plain training. Default `"steps"`.
   * - `steps`: `warmupSteps` training steps (a fixed count: on a larger dataset it is a smaller
   *   part of an epoch, so it does not scale with the data);
   * - `epochs`: `warmupEpochs` passes over the training data (scales with the data);
   * - `plateau`: validation NDCG@10 has not improved for `warmupEpochs` evaluations in a row (the
   *   plain model has converged; scales with how fast the model learns). The trainer's progress
   *   reaches it through the hooks' `afterEpoch`.
   */
  warmupBy: "steps" | "epochs" | "plateau";
  /** `warmupBy: "steps"`: plain training steps before the first noise mask. Default 30. */
  warmupSteps: number;
  /**
   * `warmupBy: "epochs"`: epochs of plain training; `"plateau"`: evaluations without a better
   * validation NDCG@10 that end the warm-up. Default 3.
   */
  warmupEpochs: number;
  /**
   * Separate-pass route: how many visits of a user's window one computed noise mask serves (the
   * visit that computed it included) before it is recomputed; 1 = every visit. A window comes
   * back once per epoch, so 2 attributes each window every second epoch and reuses its mask in
   * between. Default 2: the schedule of the synthetic benchmark's results of record (attribution
   * ROC-AUC 0.990), and the one at which the separate pass costs at most 2 plain epochs
   * (docs/performance.md, "the mask schedule in visits"). Not read by the training-pass route,
   * which replaces a window's mask at every visit from the step's own gradient.
   */
  everyVisits: number;
  /**
   * How contributions are measured and normalised, and at which granularity the noise is chosen:
   * everything of {@linkcode AttributionConfig} except the noise selection, which Demure derives
   * from its `rho`. Default: gradient x input, z-score, noise chosen per (user, modality) over the
   * whole history.
   */
  attribution: Omit<AttributionConfig, "selection">;
  /** Use the noise-only view as an explicit negative besides the in-batch ones. Default true. */
  noiseViewAsNegative: boolean;
  /**
   * `full` only: the recommendation loss reads the denoised history (identified noise masked).
   * Default true; false keeps the full history in L_rec and denoises through L_cl alone.
   */
  denoiseInput: boolean;
  /**
   * Where the contributions behind the noise masks come from: `"separate_pass"` (an attribution
   * pass before the step), `"training_pass"` (dL_rec/dE of the step's own backward pass; needs
   * `variant` full, `denoiseInput` false and a gradient attribution method) or `"auto"` (default:
   * the training pass where supported, else the separate pass; {@linkcode resolveDemureConfig}
   * replaces it with the route taken). See the module documentation.
   */
  attributionSource: "auto" | "separate_pass" | "training_pass";
  /**
   * Training-pass route only: weight of the newest visit in an exponential moving average of a
   * window's normalised contributions over its visits (the mask is selected from the average).
   * In (0, 1]; default 0.3, the value validated against the separate pass (docs/performance.md;
   * 1 = the newest visit alone, whose masks scored 0.04 lower ROC-AUC). Averaging damps the noise
   * that training-mode dropout puts into one visit's gradient.
   */
  trainingPassSmoothing: number;
}

/** The attribution settings Demure takes: {@linkcode DemureConfig.attribution}. */
export type DemureAttributionConfig = DemureConfig["attribution"];

/** Which parts of Demure are on: {@linkcode DemureConfig.variant}. */
export type DemureVariant = DemureConfig["variant"];

/**
 * True for the variants whose noise masks are drawn at random (`contrastive_only`,
 * `random_input`): nothing is attributed and no mask is cached.
 */
export function masksAreRandom(variant: DemureVariant): boolean {
  return variant === "contrastive_only" || variant === "random_input";
}

/** What ends the warm-up: {@linkcode DemureConfig.warmupBy}. */
export type DemureWarmupBy = DemureConfig["warmupBy"];

/** Where the contributions come from: {@linkcode DemureConfig.attributionSource}. */
export type DemureAttributionSource = DemureConfig["attributionSource"];

/** The values of {@linkcode DemureAttributionSource}. */
export const DEMURE_ATTRIBUTION_SOURCES: readonly DemureAttributionSource[] = [
  "auto",
  "separate_pass",
  "training_pass",
];

/** The documented defaults. */
export const DEFAULT_DEMURE_CONFIG: Readonly<DemureConfig> = Object.freeze({
  variant: "full",
  lambda: 0.1,
  temperature: 0.2,
  rho: DEFAULT_NOISE_FRACTION,
  warmupBy: "steps",
  warmupSteps: 30,
  warmupEpochs: 3,
  everyVisits: 2,
  attribution: Object.freeze({
    method: DEFAULT_ATTRIBUTION_CONFIG.method,
    integratedGradientsSteps: DEFAULT_ATTRIBUTION_CONFIG.integratedGradientsSteps,
    integratedGradientsBaseline: DEFAULT_ATTRIBUTION_CONFIG.integratedGradientsBaseline,
    normalisation: DEFAULT_ATTRIBUTION_CONFIG.normalisation,
    granularity: "user_modality" as const,
  }),
  noiseViewAsNegative: true,
  denoiseInput: true,
  attributionSource: "auto",
  trainingPassSmoothing: 0.3,
});

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
   * never leave ({@linkcode warmupRefusal}). With `attributionSource: "training_pass"` also
   * `recommendationGradient` and `afterStep`.
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
  /** Counters of the run so far. */
  stats(): DemureStats;
  /**
   * Per epoch ended so far, the share of valid pairs marked as noise per modality (rounded to 1e-6;
   * 0 for a modality without pairs that epoch, as in the warm-up). A run resumed from a checkpoint
   * saved since 2026-12-04 holds every epoch, as an uninterrupted one; from an earlier checkpoint,
   * the epochs from the resume on, the first pooled with the epochs before it.
   */
  noiseRateByEpoch(): Record<string, number>[];
}

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range; ranges in `docs/configuration.md`.
 */
export function validateDemureConfig(config: DemureConfig): void {
  checkOneOf("DemureConfig.variant", config.variant, [
    "full",
    "attribution_only",
    "contrastive_only",
    "random_input",
  ]);
  checkNumber("DemureConfig.lambda", config.lambda, { min: 0 });
  // Checked here, not only by InfoNCE after the warm-up: a bad temperature fails before training.
  checkNumber("DemureConfig.temperature", config.temperature, { above: 0 });
  checkNumber("DemureConfig.rho", config.rho, NOISE_FRACTION_RANGE);
  checkOneOf("DemureConfig.warmupBy", config.warmupBy, ["steps", "epochs", "plateau"]);
  checkInteger("DemureConfig.warmupSteps", config.warmupSteps, { min: 0 });
  checkInteger("DemureConfig.warmupEpochs", config.warmupEpochs, { min: 0 });
  checkInteger("DemureConfig.everyVisits", config.everyVisits, { min: 1 });
  checkBoolean("DemureConfig.noiseViewAsNegative", config.noiseViewAsNegative);
  checkBoolean("DemureConfig.denoiseInput", config.denoiseInput);
  validateAttributionConfig(config.attribution, "DemureConfig.attribution");
  checkOneOf(
    "DemureConfig.attributionSource",
    config.attributionSource,
    DEMURE_ATTRIBUTION_SOURCES,
  );
  checkNumber("DemureConfig.trainingPassSmoothing", config.trainingPassSmoothing, {
    above: 0,
    max: 1,
  });
  if (config.attributionSource === "training_pass") {
    const refusal = trainingPassRefusal(config);
    if (refusal) throw refusal;
  }
}

/**
 * Why a run with `trainer`'s early stopping and epoch cap could never leave `config`'s warm-up (a
 * `SettingError` naming `DemureConfig.warmupEpochs`), or undefined when it can. A plateau warm-up
 * of `warmupEpochs` evaluations without a gain ends on the evaluation that exhausts a patience of
 * as many or fewer, so training stops before the first masked step; a warm-up of `warmupEpochs`
 * epochs outlasts a cap of as many or fewer. Either run would train its backbone alone and be
 * reported as Demure.
 */
export function warmupRefusal(
  config: Pick<DemureConfig, "warmupBy" | "warmupEpochs">,
  trainer: Pick<TrainerConfig, "patience" | "maxEpochs">,
): SettingError | undefined {
  const { warmupBy, warmupEpochs } = config;
  if (warmupBy === "plateau" && warmupEpochs >= trainer.patience) {
    return new SettingError(
      "DemureConfig.warmupEpochs",
      warmupEpochs,
      `an integer below TrainerConfig.patience (${trainer.patience}) with warmupBy "plateau": ` +
        "early stopping would end the run on the evaluation that ends the warm-up, so it would " +
        "never denoise (raise patience or shorten the warm-up)",
    );
  }
  if (warmupBy === "epochs" && warmupEpochs >= trainer.maxEpochs) {
    return new SettingError(
      "DemureConfig.warmupEpochs",
      warmupEpochs,
      `an integer below TrainerConfig.maxEpochs (${trainer.maxEpochs}) with warmupBy "epochs": ` +
        "the run would end in its warm-up and never denoise",
    );
  }
  return undefined;
}

/**
 * Why `config` cannot take its contributions from the training pass (a `SettingError` naming the
 * first setting in the way), or undefined when it can (module documentation).
 */
function trainingPassRefusal(config: DemureConfig): SettingError | undefined {
  const why = "with DemureConfig.attributionSource training_pass";
  if (config.variant !== "full") {
    return new SettingError(
      "DemureConfig.variant",
      config.variant,
      `"full" ${why} (attribution_only has no contrastive term and a denoised L_rec, ` +
        `contrastive_only and random_input no attribution; use attributionSource ` +
        `"separate_pass" or "auto")`,
    );
  }
  if (config.denoiseInput) {
    return new SettingError(
      "DemureConfig.denoiseInput",
      config.denoiseInput,
      `false ${why} (a denoised L_rec has zero gradient at the masked pairs, which could ` +
        `then never leave the noise set)`,
    );
  }
  const method = config.attribution.method;
  if (method !== "gradient_x_input" && method !== "gradient_norm") {
    return new SettingError(
      "DemureConfig.attribution.method",
      method,
      `"gradient_x_input" or "gradient_norm" ${why} (the training pass gives dL_rec/dE only)`,
    );
  }
  return undefined;
}

/**
 * Fills in the defaults of {@linkcode DemureConfig}, validates the result and resolves
 * `attributionSource: "auto"` to the route taken (the training pass where the configuration
 * supports it). An attribution `selection` is refused: Demure's noise set is always the bottom
 * fraction `rho`.
 *
 * @example
 * ```ts
 * resolveDemureConfig().attributionSource; // "separate_pass": denoiseInput defaults to true
 * resolveDemureConfig({ denoiseInput: false }).attributionSource; // "training_pass"
 * ```
 */
export function resolveDemureConfig(input: Partial<DemureConfig> = {}): DemureConfig {
  checkSettingNames("DemureConfig", input, DEFAULT_DEMURE_CONFIG, {
    everySteps: "none: replaced by everyVisits on 2026-12-02 (how many visits of a user's window " +
      "one computed mask serves; everySteps 10 was every second visit at 5 steps an epoch and " +
      "every visit at 10 or more)",
  });
  const attribution: unknown = input.attribution;
  if (attribution !== undefined) {
    if (typeof attribution === "object" && attribution !== null && "selection" in attribution) {
      throw new SettingError(
        "DemureConfig.attribution.selection",
        attribution.selection,
        "none (Demure's noise set is the bottom fraction DemureConfig.rho; set rho instead)",
      );
    }
    checkSettingNames("DemureConfig.attribution", attribution, DEFAULT_DEMURE_CONFIG.attribution);
  }
  const config: DemureConfig = {
    ...DEFAULT_DEMURE_CONFIG,
    ...input,
    attribution: { ...DEFAULT_DEMURE_CONFIG.attribution, ...input.attribution },
  };
  validateDemureConfig(config);
  if (config.attributionSource === "auto") {
    config.attributionSource = trainingPassRefusal(config) ? "separate_pass" : "training_pass";
  }
  return config;
}

/**
 * The attribution configuration Demure's noise masks use: `config.attribution` with the bottom
 * fraction `config.rho` as the selection.
 *
 * @example
 * ```ts
 * const config = resolveDemureConfig({ rho: 0.5 });
 * await attributeBatch(model, batch, noiseAttributionConfig(config)); // the noise set Demure would use
 * ```
 */
export function noiseAttributionConfig(config: DemureConfig): AttributionConfig {
  return { ...config.attribution, selection: { kind: "bottom_fraction", rho: config.rho } };
}

/**
 * Valid pairs of a batch, `[batch, position, modality]`: real position and modality present.
 * Computed on the host from the constant presence table: no device transfer in a training step.
 */
function validMaskOf(model: SequentialRecommender, batch: SequenceBatch): Uint8Array {
  const presence = model.presenceOf(batch.items);
  const modalities = model.numModalities;
  for (let i = 0; i < presence.length; i++) presence[i] *= batch.valid[Math.floor(i / modalities)];
  return validPairs(presence);
}

/**
 * One cache key per row: the user, and which window of the user's history the row holds (a long
 * history fills several rows, possibly of one batch, each with its own noise mask).
 */
function historyKeys(batch: SequenceBatch): Int32Array {
  const windows = batch.windows;
  if (windows === undefined) return batch.users;
  return Int32Array.from(batch.users, (user, row) => {
    if (windows[row] >= MAX_WINDOWS_PER_USER) {
      throw new Error(`Demure: user ${user} has more than ${MAX_WINDOWS_PER_USER} windows`);
    }
    return user * MAX_WINDOWS_PER_USER + windows[row];
  });
}

/** Bound on windows per user in {@linkcode historyKeys} (1,024 x 50 positions per user). */
const MAX_WINDOWS_PER_USER = 1024;

/** The last-position slice of `[batch, position, dim]` states: `[batch, dim]`. */
function lastState(states: tf.Tensor3D): tf.Tensor2D {
  const [batch, length, dim] = states.shape;
  return tf.reshape(tf.slice(states, [0, length - 1, 0], [batch, 1, dim]), [batch, dim]);
}

/**
 * Last-position states `[views * batch, dim]` of the batch read through each fusion mask of
 * `views` (`[batch, position, modality]` each), as one training-mode backbone pass over the
 * batch repeated once per view.
 */
function stackedLastStates(
  model: SequentialRecommender,
  context: AuxiliaryLossContext,
  views: Float32Array[],
  dropoutSeed: number,
): tf.Tensor2D {
  const { batch } = context;
  const copies = views.length;
  const size = batch.batchSize * batch.length;
  const valid = new Float32Array(copies * size);
  views.forEach((_, k) => valid.set(batch.valid, k * size));
  const rows = copies * batch.batchSize;
  const [, length, modalities] = context.presence.shape;
  // Each view is fused from the shared E (no copy of the [batch, position, modality, dim]
  // tensor, whose concat gradient would cost a pass over it); only the fused rows are stacked.
  const fusedViews = views.map((view) =>
    model.fuse(
      context.embeddings,
      tf.tensor3d(view, [batch.batchSize, length, modalities]),
      context.presence,
    )
  );
  const fused = fusedViews.length === 1 ? fusedViews[0] : tf.concat(fusedViews, 0) as tf.Tensor3D;
  return model.lastStates(
    fused,
    tf.tensor2d(valid, [rows, batch.length]),
    true,
    dropoutSeed,
    packRows(valid, rows, batch.length),
  );
}

/**
 * Builds Demure's hooks for {@linkcode trainModel}. The noise masks are cached per user (see
 * `NoiseMaskCache`), so a window's mask is recomputed at every `everyVisits`-th visit. The hooks
 * hold that run's state (cache, counters, warm-up): build new ones for every run; a second run
 * with the same hooks stops at its first step with a message saying so.
 */
export function demureHooks(
  model: SequentialRecommender,
  input: Partial<DemureConfig> = {},
): DemureTraining {
  const config = resolveDemureConfig(input);
  const attributionConfig = noiseAttributionConfig(config);
  const modalities = model.numModalities;
  const trainingPass = config.attributionSource === "training_pass";
  /** Masks drawn at random, not attributed. */
  const randomMasks = masksAreRandom(config.variant);
  /** No contrastive term: the masks only reach L_rec's (denoised) input. */
  const withoutContrastive = config.variant === "attribution_only" ||
    config.variant === "random_input";
  const schedule = (): NoiseMaskSchedule => ({
    warmupSteps: config.warmupBy === "steps" ? config.warmupSteps : 0,
    // Training pass: a window's mask is replaced at every visit by the step's own gradient, so it
    // never ages out; only a missing mask (first visit) or a changed window is attributed apart.
    everyVisits: trainingPass ? Number.MAX_SAFE_INTEGER : config.everyVisits,
  });
  let cache: NoiseMaskCache | undefined;
  // The last step this run saw: the state below belongs to one run, which a step that does not
  // follow it (a second trainModel call with the same hooks) would silently continue.
  let lastStep: number | undefined;
  let random = 0;
  let captured = 0;
  // The step's contributions from dL_rec/dE, kept in the backward pass, read in afterStep.
  let pending:
    | { step: number; batch: SequenceBatch; contributions: tf.Tensor3D; first: boolean }
    | undefined;
  const noiseCount = new Float64Array(modalities);
  const validCount = new Float64Array(modalities);
  // The counts when the last epoch ended, and each epoch's rates from them.
  const noiseAtEpochEnd = new Float64Array(modalities);
  const validAtEpochEnd = new Float64Array(modalities);
  let rateByEpoch: Record<string, number>[] = [];
  let current:
    | { step: number; views: ContrastiveViews; denoisedInput: boolean; batch: SequenceBatch }
    | undefined;
  // The current step's mask was attributed apart (a first visit): its capture is not averaged in.
  let attributedApart = false;
  // Warm-up by epochs or plateau: the trainer's progress ends it (the step schedule is then off).
  let warmupEndedAfterEpoch: number | undefined;
  let epochsWithoutGain = 0;
  const warmupOver = () => config.warmupBy === "steps" || warmupEndedAfterEpoch !== undefined;
  const closeEpochCounts = () => {
    const rates: Record<string, number> = {};
    model.modalityNames.forEach((name, m) => {
      const seen = validCount[m] - validAtEpochEnd[m];
      const noise = noiseCount[m] - noiseAtEpochEnd[m];
      // 0 without pairs (the warm-up), as the records of record hold it: a rerun writes what the
      // record has, and epochNoiseRates, not the format, tells it from a rate.
      rates[name] = seen > 0 ? Math.round(noise / seen * 1e6) / 1e6 : 0;
    });
    rateByEpoch.push(rates);
    noiseAtEpochEnd.set(noiseCount);
    validAtEpochEnd.set(validCount);
  };
  const afterEpoch = (progress: EpochProgress) => {
    closeEpochCounts();
    if (warmupOver()) return;
    if (progress.validation !== undefined) {
      epochsWithoutGain = progress.improved ? 0 : epochsWithoutGain + 1;
    }
    const over = config.warmupBy === "epochs"
      ? progress.epoch >= config.warmupEpochs
      : epochsWithoutGain >= config.warmupEpochs;
    if (over) warmupEndedAfterEpoch = progress.epoch;
  };
  if (config.warmupBy === "epochs" && config.warmupEpochs === 0) warmupEndedAfterEpoch = 0;

  const attribute = async (batch: SequenceBatch): Promise<BatchNoiseMask> => {
    const result = await attributeBatch(model, batch, attributionConfig);
    return { noiseMask: result.noiseMask, scores: result.normalised };
  };

  const viewsFor = async (
    batch: SequenceBatch,
    step: number,
  ): Promise<ContrastiveViews | undefined> => {
    if (!warmupOver()) return undefined;
    cache ??= new NoiseMaskCache(batch.length, modalities, schedule());
    if (!cache.isActive(step)) return undefined;
    const shape: PairShape = [batch.batchSize, batch.length, modalities];
    const validMask = validMaskOf(model, batch);
    let noise: BatchNoiseMask | undefined;
    if (randomMasks) {
      random++;
      // Fresh views every step, and other views for another run seed (the seeds of the ablation
      // must vary its masks as they vary everything else).
      noise = config.variant === "random_input"
        // The control of attribution_only's masks: what the attribution chooses (pairs or whole
        // modalities), as many, and held as a stable attribution holds them: one draw per user
        // from the run seed, the same at every step (fresh draws would act as modality dropout).
        ? randomNoiseMaskByRow(
          validMask,
          shape,
          config.rho,
          Array.from(batch.users, (user) => hashSeeds(model.config.seed, user, 23)),
          config.attribution.granularity,
        )
        // Fresh pairs every step, as the contrastive_only records were made.
        : randomNoiseMask(validMask, shape, config.rho, hashSeeds(model.config.seed, step, 17));
    } else {
      // The attribution reads from the device, so it runs before the (synchronous) cache call.
      const keys = historyKeys(batch);
      const fresh = cache.needsRefresh(step, keys, batch.items)
        ? await attribute(batch)
        : undefined;
      attributedApart = fresh !== undefined;
      noise = cache.noiseMaskFor(step, keys, batch.items, () => fresh!);
    }
    if (noise === undefined) return undefined;
    for (let i = 0; i < validMask.length; i++) {
      if (!validMask[i]) continue;
      validCount[i % modalities] += 1;
      noiseCount[i % modalities] += noise.noiseMask[i];
    }
    return buildContrastiveViews(validMask, noise.noiseMask, shape, { scores: noise.scores });
  };

  const inputMask = async (
    batch: SequenceBatch,
    step: number,
  ): Promise<tf.Tensor3D | undefined> => {
    if (lastStep !== undefined && step <= lastStep) {
      throw new Error(
        `demureHooks: step ${step} after step ${lastStep}: one DemureTraining drives one ` +
          "trainModel run (its noise-mask cache, counters and warm-up are that run's); make a " +
          "new one with demureHooks(model, config) for another run",
      );
    }
    lastStep = step;
    const views = await viewsFor(batch, step);
    const denoise = withoutContrastive || (config.variant === "full" && config.denoiseInput);
    current = views ? { step, views, denoisedInput: denoise, batch } : undefined;
    if (views === undefined || !denoise) return undefined;
    return tf.tensor3d(views.positive, [...views.shape]);
  };

  const auxiliaryLoss = (context: AuxiliaryLossContext): tf.Scalar => {
    if (withoutContrastive || current?.step !== context.step) return tf.scalar(0);
    const { views } = current;
    const { batch } = context;
    if (trainingPass) return trainingPassContrastive(context, views);
    // The recommendation pass already read one view: the positive (denoised history) when
    // L_rec is denoised, else the anchor (full history). Its states are reused, and the views
    // still missing (the other of anchor / positive, and the negative) run as ONE backbone pass
    // over the batch stacked with itself: one pass of 2B rows instead of two passes of B.
    const shared = lastState(context.states);
    const needed: Float32Array[] = [current.denoisedInput ? views.anchor : views.positive];
    if (config.noiseViewAsNegative) needed.push(views.negative);
    const states = stackedLastStates(model, context, needed, hashSeeds(context.seed, 1));
    const other = tf.slice(states, [0, 0], [batch.batchSize, -1]) as tf.Tensor2D;
    const anchor = current.denoisedInput ? other : shared;
    const positive = current.denoisedInput ? shared : other;
    const negatives = config.noiseViewAsNegative
      ? tf.expandDims(
        tf.slice(states, [batch.batchSize, 0], [batch.batchSize, -1]),
        1,
      ) as tf.Tensor3D
      : undefined;
    const contrastive = infoNce(anchor, positive, {
      temperature: config.temperature,
      ...(negatives ? { negatives } : {}),
    });
    return tf.mul(contrastive, config.lambda) as tf.Scalar;
  };

  /**
   * L_cl when the recommendation pass is tapped for dL_rec/dE: the anchor is not the
   * recommendation pass's states (L_cl's gradient would reach the tapped E through them), so all
   * three views run as one stacked pass of 3B rows (2B without the explicit negative).
   */
  const trainingPassContrastive = (
    context: AuxiliaryLossContext,
    views: ContrastiveViews,
  ): tf.Scalar => {
    const rows = context.batch.batchSize;
    const needed = [views.anchor, views.positive];
    if (config.noiseViewAsNegative) needed.push(views.negative);
    const states = stackedLastStates(model, context, needed, hashSeeds(context.seed, 1));
    const view = (k: number) => tf.slice(states, [k * rows, 0], [rows, -1]) as tf.Tensor2D;
    const contrastive = infoNce(view(0), view(1), {
      temperature: config.temperature,
      ...(config.noiseViewAsNegative
        ? { negatives: tf.expandDims(view(2), 1) as tf.Tensor3D }
        : {}),
    });
    return tf.mul(contrastive, config.lambda) as tf.Scalar;
  };

  /** Keeps gradient x input of the step's dL_rec/dE (after the warm-up; read in afterStep). */
  const recommendationGradient = (
    gradient: tf.Tensor4D,
    embeddings: tf.Tensor4D,
    step: number,
  ): void => {
    if (current?.step !== step) return;
    pending?.contributions.dispose();
    const method = config.attribution.method as EmbeddingGradientMethod;
    pending = {
      step,
      batch: current.batch,
      contributions: tf.keep(contributionsOfGradient(gradient, embeddings, method)),
      first: attributedApart,
    };
  };

  /**
   * Turns the kept contributions into the window's next mask: the attribution's own host code
   * (normalisation per user, bottom-rho selection), stored at this step, served at the next visit.
   */
  const afterStep = async (step: number, applied: boolean): Promise<void> => {
    const kept = pending;
    pending = undefined;
    if (kept === undefined) return;
    try {
      if (!applied || kept.step !== step || cache === undefined) return;
      const [contributions] = await readFloat32([kept.contributions]);
      const { batch } = kept;
      const validMask = validMaskOf(model, batch);
      zeroInvalidContributions(contributions, validMask, attributionConfig.method);
      const shape: PairShape = [batch.batchSize, batch.length, modalities];
      const keys = historyKeys(batch);
      let result = attributionOfContributions(contributions, validMask, shape, attributionConfig);
      const weight = config.trainingPassSmoothing;
      if (weight < 1 && !kept.first) {
        // The average runs over captured visits: a first visit's capture replaces the mask
        // attributed apart (a placeholder), later ones are averaged with the stored scores.
        const previous = cache.lookup(keys, batch.items).scores;
        const blended = result.normalised.map((z, i) =>
          validMask[i] ? weight * z + (1 - weight) * previous[i] : 0
        );
        result = attributionOfContributions(blended, validMask, shape, attributionConfig);
      }
      cache.store(keys, batch.items, {
        noiseMask: result.noiseMask,
        scores: result.normalised,
      });
      captured++;
    } finally {
      kept.contributions.dispose();
    }
  };

  const stats = (): DemureStats => {
    const cacheStats = cache?.stats() ?? { computed: 0, reused: 0 };
    const noiseRateByModality: Record<string, number> = {};
    const pairsByModality: DemureStats["pairsByModality"] = {};
    model.modalityNames.forEach((name, m) => {
      noiseRateByModality[name] = validCount[m] ? noiseCount[m] / validCount[m] : NaN;
      pairsByModality[name] = { valid: validCount[m], noise: noiseCount[m] };
    });
    return {
      attributed: cacheStats.computed,
      reused: cacheStats.reused,
      random,
      noiseRateByModality,
      pairsByModality,
      ...(randomMasks
        ? {}
        : { attributionSource: trainingPass ? "training_pass" : "separate_pass" as const }),
      ...(warmupEndedAfterEpoch !== undefined ? { warmupEndedAfterEpoch } : {}),
      ...(trainingPass ? { captured } : {}),
    };
  };

  const cacheFields = ["keysHigh", "keysLow", "uses", "items", "noise", "scores"] as const;
  const checkpointState: NonNullable<TrainerHooks["checkpointState"]> = {
    save(): HookState {
      const tensors = new Map<string, HostTensor>();
      let cacheJson: Json = null;
      if (cache) {
        const state = cache.exportState();
        const perUser = cache.positions * cache.modalities;
        const widths = { keysHigh: 1, keysLow: 1, uses: 1, items: cache.positions };
        for (const field of cacheFields) {
          const width = field === "noise" || field === "scores" ? perUser : widths[field];
          tensors.set(`demure/${field}`, {
            shape: [state.keysHigh.length, width],
            data: state[field],
          });
        }
        cacheJson = { positions: cache.positions, computed: state.computed, reused: state.reused };
      }
      return {
        json: {
          random,
          noiseCount: Array.from(noiseCount),
          validCount: Array.from(validCount),
          cache: cacheJson,
          warmup: { endedAfterEpoch: warmupEndedAfterEpoch ?? null, epochsWithoutGain },
          epochs: {
            rates: rateByEpoch,
            noiseAtEnd: Array.from(noiseAtEpochEnd),
            validAtEnd: Array.from(validAtEpochEnd),
          },
          ...(trainingPass ? { captured } : {}),
        },
        tensors,
      };
    },
    restore(saved: HookState): void {
      const json = saved.json as {
        random: number;
        noiseCount: number[];
        validCount: number[];
        cache: { positions: number; computed: number; reused: number } | null;
        warmup?: { endedAfterEpoch: number | null; epochsWithoutGain: number };
        epochs?: { rates: Record<string, number>[]; noiseAtEnd: number[]; validAtEnd: number[] };
        captured?: number;
      };
      if (json.noiseCount.length !== modalities || json.validCount.length !== modalities) {
        throw new Error(
          `Demure checkpoint state: ${json.noiseCount.length} modalities, the model has ${modalities}`,
        );
      }
      if (trainingPass && json.captured === undefined) {
        throw new Error(
          "Demure checkpoint state: saved by attributionSource separate_pass, resumed with " +
            "training_pass",
        );
      }
      // A resumed run: its steps continue the saved ones, whatever these hooks saw before.
      lastStep = undefined;
      random = json.random;
      captured = json.captured ?? 0;
      noiseCount.set(json.noiseCount);
      validCount.set(json.validCount);
      warmupEndedAfterEpoch = json.warmup?.endedAfterEpoch ?? undefined;
      epochsWithoutGain = json.warmup?.epochsWithoutGain ?? 0;
      if (json.warmup === undefined && config.warmupBy !== "steps") {
        throw new Error(
          "Demure checkpoint state: no warm-up state for warmupBy " + config.warmupBy,
        );
      }
      if (json.epochs === undefined && !warmupOver()) {
        // Saved before 2026-12-04, before the epoch's end reached the warm-up: the epoch the
        // checkpoint closes is missing from it, and a resumed warm-up would end an epoch late.
        throw new Error(
          `Demure checkpoint state: saved before 2026-12-04 during a warm-up by ${config.warmupBy}, ` +
            "without the last epoch's end: delete the checkpoint to start the cell afresh",
        );
      }
      // From a checkpoint without per-epoch counts (before 2026-12-04): the epochs from the
      // resume on, the first pooled with the epochs before it (epochNoiseRates reads it so).
      rateByEpoch = json.epochs?.rates.map((rates) => ({ ...rates })) ?? [];
      noiseAtEpochEnd.set(json.epochs?.noiseAtEnd ?? new Array(modalities).fill(0));
      validAtEpochEnd.set(json.epochs?.validAtEnd ?? new Array(modalities).fill(0));
      if (json.cache === null) {
        cache = undefined;
        return;
      }
      const restored = new NoiseMaskCache(json.cache.positions, modalities, schedule());
      const field = (name: string) => {
        const tensor = saved.tensors.get(`demure/${name}`);
        if (tensor === undefined) {
          throw new Error(
            `Demure checkpoint state: no tensor demure/${name}` +
              (name === "uses" && saved.tensors.has("demure/steps")
                ? " (the checkpoint was saved when masks aged in steps, before 2026-12-02: " +
                  "delete it to start the cell afresh)"
                : ""),
          );
        }
        return tensor.data;
      };
      restored.importState({
        computed: json.cache.computed,
        reused: json.cache.reused,
        keysHigh: field("keysHigh"),
        keysLow: field("keysLow"),
        uses: field("uses"),
        items: field("items"),
        noise: field("noise"),
        scores: field("scores"),
      });
      cache = restored;
    },
  };

  return {
    config,
    hooks: {
      inputMask,
      auxiliaryLoss,
      checkpointState,
      afterEpoch,
      checkTrainerConfig: (trainer) => {
        const refusal = warmupRefusal(config, trainer);
        if (refusal) throw refusal;
      },
      ...(trainingPass ? { recommendationGradient, afterStep } : {}),
    },
    stats,
    noiseRateByEpoch: () => rateByEpoch.map((rates) => ({ ...rates })),
  };
}
