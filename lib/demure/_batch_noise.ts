/**
 * The noise set N_u of a training batch, chosen before the step (outside the gradient tape) and
 * turned into the contrastive views: looked up in the per-window mask cache, or attributed and
 * cached (`full`, `attribution_only`), or drawn at random with the same fraction rho
 * (`contrastive_only`, `random_input`). Nothing before the warm-up has ended.
 */
import type { AttributionConfig, PairShape } from "../attribution/types.ts";
import { attributeBatch } from "../attribution/attribute_batch.ts";
import type { SequenceBatch } from "../data/types.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { hashSeeds } from "../util/random.ts";
import { type DemureConfig, masksAreRandom, noiseAttributionConfig } from "./config.ts";
import { type BatchNoiseMask, NoiseMaskCache, type NoiseMaskSchedule } from "./noise_mask.ts";
import type { NoiseCounts } from "./_noise_counts.ts";
import type { Warmup } from "./_warmup.ts";
import { historyKeys, validMaskOf } from "./_batch_pairs.ts";
import {
  buildContrastiveViews,
  type ContrastiveViews,
  randomNoiseMask,
  randomNoiseMaskByRow,
} from "./views.ts";

/** A run's noise masks: the cache of attributed ones, and how many batches drew random ones. */
export class BatchNoise {
  /** The attributed masks per history window; made at the first visit after the warm-up. */
  cache: NoiseMaskCache | undefined;
  /** Batches with random masks (`contrastive_only`, `random_input`). */
  random = 0;
  /**
   * The last attributed step's mask was computed apart (a first visit), not served from the
   * cache: the training pass's capture then replaces it instead of averaging with it.
   */
  attributedApart = false;
  readonly #model: SequentialRecommender;
  readonly #config: DemureConfig;
  readonly #counts: NoiseCounts;
  readonly #warmup: Warmup;
  readonly #attributionConfig: AttributionConfig;

  constructor(
    model: SequentialRecommender,
    config: DemureConfig,
    counts: NoiseCounts,
    warmup: Warmup,
  ) {
    this.#model = model;
    this.#config = config;
    this.#counts = counts;
    this.#warmup = warmup;
    this.#attributionConfig = noiseAttributionConfig(config);
  }

  /** When masks start and how many visits an attributed one serves. */
  schedule(): NoiseMaskSchedule {
    const config = this.#config;
    return {
      warmupSteps: config.warmupBy === "steps" ? config.warmupSteps : 0,
      // Training pass: a window's mask is replaced at every visit by the step's own gradient, so
      // it never ages out; only a missing mask (first visit) or a changed window is attributed
      // apart.
      everyVisits: config.attributionSource === "training_pass"
        ? Number.MAX_SAFE_INTEGER
        : config.everyVisits,
    };
  }

  /** The batch's contrastive views at `step`, counted per modality; undefined in the warm-up. */
  async viewsFor(batch: SequenceBatch, step: number): Promise<ContrastiveViews | undefined> {
    if (!this.#warmup.over) return undefined;
    const modalities = this.#model.numModalities;
    this.cache ??= new NoiseMaskCache(batch.length, modalities, this.schedule());
    if (!this.cache.isActive(step)) return undefined;
    const shape: PairShape = [batch.batchSize, batch.length, modalities];
    const validMask = validMaskOf(this.#model, batch);
    const noise = masksAreRandom(this.#config.variant)
      ? this.#randomMask(batch, step, validMask, shape)
      : await this.#attributedMask(this.cache, batch, step);
    if (noise === undefined) return undefined;
    this.#counts.add(validMask, noise.noiseMask);
    return buildContrastiveViews(validMask, noise.noiseMask, shape, { scores: noise.scores });
  }

  #randomMask(
    batch: SequenceBatch,
    step: number,
    validMask: Uint8Array,
    shape: PairShape,
  ): BatchNoiseMask {
    const { config: { seed } } = this.#model;
    const config = this.#config;
    this.random++;
    // Fresh views every step, and other views for another run seed (the seeds of the ablation
    // must vary its masks as they vary everything else). The run seed read here is the model's:
    // the hooks are not given the trainer's, and a cell sets both to its seed.
    return config.variant === "random_input"
      // The control of attribution_only's masks: what the attribution chooses (pairs or whole
      // modalities), as many, and held as a stable attribution holds them: one draw per user
      // from the run seed, the same at every step (fresh draws would act as modality dropout).
      ? randomNoiseMaskByRow(
        validMask,
        shape,
        config.rho,
        Array.from(batch.users, (user) => hashSeeds(seed, user, 23)),
        config.attribution.granularity,
      )
      // Fresh pairs every step, as the contrastive_only records were made.
      : randomNoiseMask(validMask, shape, config.rho, hashSeeds(seed, step, 17));
  }

  async #attributedMask(
    cache: NoiseMaskCache,
    batch: SequenceBatch,
    step: number,
  ): Promise<BatchNoiseMask | undefined> {
    // The attribution reads from the device, so it runs before the (synchronous) cache call.
    const keys = historyKeys(batch);
    const fresh = cache.needsRefresh(step, keys, batch.items)
      ? await this.#attribute(batch)
      : undefined;
    this.attributedApart = fresh !== undefined;
    return cache.noiseMaskFor(step, keys, batch.items, () => fresh!);
  }

  async #attribute(batch: SequenceBatch): Promise<BatchNoiseMask> {
    const result = await attributeBatch(this.#model, batch, this.#attributionConfig);
    return { noiseMask: result.noiseMask, scores: result.normalised };
  }
}
