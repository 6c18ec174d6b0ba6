/**
 * `attributionSource: "training_pass"`: the noise masks taken from the step's own backward pass.
 * The recommendation pass's dL_rec/dE is kept as gradient x input (`keep`, in the trainer's
 * `recommendationGradient` hook); after the step (`storeNext`) the attribution's own host code
 * (normalisation per user, bottom-rho selection) turns it into the window's next mask, stored in
 * the run's cache and served at the window's next visit. No extra gradient pass.
 */
import { tf } from "../backend/tf.ts";
import { readFloat32 } from "../backend/read_values.ts";
import { attributionOfContributions } from "../attribution/attribute.ts";
import {
  contributionsOfGradient,
  type EmbeddingGradientMethod,
  zeroInvalidContributions,
} from "../attribution/contributions.ts";
import type { AttributionConfig, PairShape } from "../attribution/types.ts";
import type { SequenceBatch } from "../data/types.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { type DemureConfig, noiseAttributionConfig } from "./config.ts";
import type { NoiseMaskCache } from "./noise_mask.ts";
import { historyKeys, validMaskOf } from "./_batch_pairs.ts";

/** The contributions of one step, kept on the device until the step is over. */
interface KeptContributions {
  step: number;
  batch: SequenceBatch;
  contributions: tf.Tensor3D;
  /** The step's mask was attributed apart (a first visit): replaced, not averaged. */
  first: boolean;
}

/** The training pass's masks of one run, and how many batches it stored. */
export class TrainingPassCapture {
  /** Batches whose masks were stored from the training pass's own gradient. */
  captured = 0;
  #kept: KeptContributions | undefined;
  readonly #model: SequentialRecommender;
  readonly #config: DemureConfig;
  readonly #attributionConfig: AttributionConfig;

  constructor(model: SequentialRecommender, config: DemureConfig) {
    this.#model = model;
    this.#config = config;
    this.#attributionConfig = noiseAttributionConfig(config);
  }

  /** Keeps gradient x input of the step's dL_rec/dE (read in {@linkcode storeNext}). */
  keep(
    step: number,
    batch: SequenceBatch,
    gradient: tf.Tensor4D,
    embeddings: tf.Tensor4D,
    first: boolean,
  ): void {
    this.#kept?.contributions.dispose();
    const method = this.#config.attribution.method as EmbeddingGradientMethod;
    this.#kept = {
      step,
      batch,
      contributions: tf.keep(contributionsOfGradient(gradient, embeddings, method)),
      first,
    };
  }

  /**
   * Turns the contributions kept at `step` into the window's next mask in `cache` (when the step
   * was applied), and frees them in any case.
   */
  async storeNext(
    cache: NoiseMaskCache | undefined,
    step: number,
    applied: boolean,
  ): Promise<void> {
    const kept = this.#kept;
    this.#kept = undefined;
    if (kept === undefined) return;
    try {
      if (!applied || kept.step !== step || cache === undefined) return;
      await this.#store(cache, kept);
      this.captured++;
    } finally {
      kept.contributions.dispose();
    }
  }

  async #store(cache: NoiseMaskCache, kept: KeptContributions): Promise<void> {
    const [contributions] = await readFloat32([kept.contributions]);
    const { batch } = kept;
    const attributionConfig = this.#attributionConfig;
    const validMask = validMaskOf(this.#model, batch);
    zeroInvalidContributions(contributions, validMask, attributionConfig.method);
    const shape: PairShape = [batch.batchSize, batch.length, this.#model.numModalities];
    const keys = historyKeys(batch);
    let result = attributionOfContributions(contributions, validMask, shape, attributionConfig);
    const weight = this.#config.trainingPassSmoothing;
    if (weight < 1 && !kept.first) {
      // The average runs over captured visits: a first visit's capture replaces the mask
      // attributed apart (a placeholder), later ones are averaged with the stored scores.
      const previous = cache.lookup(keys, batch.items).scores;
      const blended = result.normalised.map((z, i) =>
        validMask[i] ? weight * z + (1 - weight) * previous[i] : 0
      );
      result = attributionOfContributions(blended, validMask, shape, attributionConfig);
    }
    cache.store(keys, batch.items, { noiseMask: result.noiseMask, scores: result.normalised });
  }
}
