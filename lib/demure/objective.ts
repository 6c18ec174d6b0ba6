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
import type { PairShape } from "../attribution/types.ts";
import type { SequenceBatch } from "../data/types.ts";
import { infoNce } from "../losses/info_nce.ts";
import { packRows } from "../nn/packed_rows.ts";
import { hashSeeds } from "../util/random.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import type { HostTensor } from "../checkpoint/safetensors.ts";
import type { EpochProgress } from "../train/progress.ts";
import type { AuxiliaryLossContext, HookState, TrainerHooks } from "../train/config.ts";
import { attributeBatch } from "../attribution/attribute_batch.ts";
import { attributionOfContributions } from "../attribution/attribute.ts";
import {
  contributionsOfGradient,
  type EmbeddingGradientMethod,
  zeroInvalidContributions,
} from "../attribution/contributions.ts";
import { readFloat32 } from "../backend/read_values.ts";
import {
  type DemureConfig,
  masksAreRandom,
  noiseAttributionConfig,
  resolveDemureConfig,
  warmupRefusal,
} from "./config.ts";
import { type BatchNoiseMask, NoiseMaskCache, type NoiseMaskSchedule } from "./noise_mask.ts";
import { NoiseCounts, type SavedNoiseCounts } from "./_noise_counts.ts";
import { type SavedWarmup, Warmup } from "./_warmup.ts";
import { restoreMaskCache, type SavedMaskCache, saveMaskCache } from "./_mask_cache_checkpoint.ts";
import {
  buildContrastiveViews,
  type ContrastiveViews,
  randomNoiseMask,
  randomNoiseMaskByRow,
} from "./views.ts";

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
 * lambda * L_cl of the step's views. The recommendation pass already read one view: the positive
 * (denoised history) when L_rec is denoised (`denoisedInput`), else the anchor (full history). Its
 * states are reused, and the views still missing (the other of anchor / positive, and the
 * negative) run as ONE backbone pass over the batch stacked with itself: one pass of 2B rows
 * instead of two passes of B.
 */
function contrastiveTerm(
  model: SequentialRecommender,
  config: DemureConfig,
  context: AuxiliaryLossContext,
  views: ContrastiveViews,
  denoisedInput: boolean,
): tf.Scalar {
  const { batch } = context;
  const shared = lastState(context.states);
  const needed: Float32Array[] = [denoisedInput ? views.anchor : views.positive];
  if (config.noiseViewAsNegative) needed.push(views.negative);
  const states = stackedLastStates(model, context, needed, hashSeeds(context.seed, 1));
  const other = tf.slice(states, [0, 0], [batch.batchSize, -1]) as tf.Tensor2D;
  const anchor = denoisedInput ? other : shared;
  const positive = denoisedInput ? shared : other;
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
}

/**
 * lambda * L_cl when the recommendation pass is tapped for dL_rec/dE: the anchor is not the
 * recommendation pass's states (L_cl's gradient would reach the tapped E through them), so all
 * three views run as one stacked pass of 3B rows (2B without the explicit negative).
 */
function trainingPassContrastive(
  model: SequentialRecommender,
  config: DemureConfig,
  context: AuxiliaryLossContext,
  views: ContrastiveViews,
): tf.Scalar {
  const rows = context.batch.batchSize;
  const needed = [views.anchor, views.positive];
  if (config.noiseViewAsNegative) needed.push(views.negative);
  const states = stackedLastStates(model, context, needed, hashSeeds(context.seed, 1));
  const view = (k: number) => tf.slice(states, [k * rows, 0], [rows, -1]) as tf.Tensor2D;
  const contrastive = infoNce(view(0), view(1), {
    temperature: config.temperature,
    ...(config.noiseViewAsNegative ? { negatives: tf.expandDims(view(2), 1) as tf.Tensor3D } : {}),
  });
  return tf.mul(contrastive, config.lambda) as tf.Scalar;
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
  const counts = new NoiseCounts(model.modalityNames);
  let current:
    | { step: number; views: ContrastiveViews; denoisedInput: boolean; batch: SequenceBatch }
    | undefined;
  // The current step's mask was attributed apart (a first visit): its capture is not averaged in.
  let attributedApart = false;
  // Warm-up by epochs or plateau: the trainer's progress ends it (the step schedule is then off).
  const warmup = new Warmup(config);
  const afterEpoch = (progress: EpochProgress) => {
    counts.closeEpoch();
    warmup.afterEpoch(progress);
  };

  const attribute = async (batch: SequenceBatch): Promise<BatchNoiseMask> => {
    const result = await attributeBatch(model, batch, attributionConfig);
    return { noiseMask: result.noiseMask, scores: result.normalised };
  };

  const viewsFor = async (
    batch: SequenceBatch,
    step: number,
  ): Promise<ContrastiveViews | undefined> => {
    if (!warmup.over) return undefined;
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
    counts.add(validMask, noise.noiseMask);
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
    const { views, denoisedInput } = current;
    return trainingPass
      ? trainingPassContrastive(model, config, context, views)
      : contrastiveTerm(model, config, context, views, denoisedInput);
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
    const { noiseRateByModality, pairsByModality } = counts.byModality();
    return {
      attributed: cacheStats.computed,
      reused: cacheStats.reused,
      random,
      noiseRateByModality,
      pairsByModality,
      ...(randomMasks
        ? {}
        : { attributionSource: trainingPass ? "training_pass" : "separate_pass" as const }),
      ...(warmup.endedAfterEpoch !== undefined
        ? { warmupEndedAfterEpoch: warmup.endedAfterEpoch }
        : {}),
      ...(trainingPass ? { captured } : {}),
    };
  };

  const checkpointState: NonNullable<TrainerHooks["checkpointState"]> = {
    save(): HookState {
      const tensors = new Map<string, HostTensor>();
      const cacheJson = saveMaskCache(cache, tensors);
      const { noiseCount, validCount, epochs } = counts.saved();
      return {
        json: {
          random,
          noiseCount,
          validCount,
          cache: cacheJson,
          warmup: warmup.saved(),
          epochs,
          ...(trainingPass ? { captured } : {}),
        },
        tensors,
      };
    },
    restore(saved: HookState): void {
      const json = saved.json as unknown as SavedNoiseCounts & {
        random: number;
        cache: SavedMaskCache | null;
        warmup?: SavedWarmup;
        captured?: number;
      };
      counts.checkSaved(json);
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
      warmup.restore(json.warmup);
      if (json.epochs === undefined && !warmup.over) {
        // Saved before 2026-12-04, before the epoch's end reached the warm-up: the epoch the
        // checkpoint closes is missing from it, and a resumed warm-up would end an epoch late.
        throw new Error(
          `Demure checkpoint state: saved before 2026-12-04 during a warm-up by ${config.warmupBy}, ` +
            "without the last epoch's end: delete the checkpoint to start the cell afresh",
        );
      }
      counts.restore(json);
      cache = restoreMaskCache(json.cache, saved.tensors, modalities, schedule());
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
    noiseRateByEpoch: () => counts.rateByEpoch(),
  };
}
