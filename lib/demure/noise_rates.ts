/**
 * How much of each modality a Demure run masked as noise, read from its pair counts, with the
 * modalities that have no rate named and the reason given (a figure or table then shows them as
 * missing instead of as 0).
 *
 * @example
 * ```ts
 * const { measured, unmeasured } = modalityNoiseRates(result.demure!);
 * for (const { modality, reason } of unmeasured) console.log(`${modality}: ${reason}`);
 * ```
 */
import type { DemureStats } from "./objective.ts";

/** One modality's share of (position, modality) pairs masked as noise over a run. */
export interface ModalityNoiseRate {
  /** Modality name. */
  modality: string;
  /** `noise / pairs`, in [0, 1]. */
  rate: number;
  /** Valid (position, modality) pairs the noise masks covered, summed over the run. */
  pairs: number;
  /** How many of them were masked as noise. */
  noise: number;
}

/** A modality that has no noise rate, and why. */
export interface UnmeasuredNoiseRate {
  /** Modality name. */
  modality: string;
  /** Why no rate exists, in a sentence a reader of a figure understands. */
  reason: string;
}

/** {@linkcode modalityNoiseRates}'s answer, modalities in the run's order. */
export interface ModalityNoiseRates {
  /** Modalities with at least one pair under a noise mask. */
  measured: ModalityNoiseRate[];
  /** Modalities without one (their rate would be 0 / 0). */
  unmeasured: UnmeasuredNoiseRate[];
}

/** The reason when no batch got a noise mask at all. */
export const NO_MASK_DRAWN =
  "no noise mask was drawn in this run (it ended before Demure's warm-up did)";

/** The reason when masks were drawn but no item under them had the modality. */
export const MODALITY_NEVER_PRESENT =
  "no item in the histories that got a noise mask has this modality";

/**
 * The noise rate of each modality from `stats.pairsByModality` (the counts behind
 * `noiseRateByModality`, which is NaN, written as `null` in a result file, where a modality had no
 * pair under a mask). A modality without pairs is `unmeasured`: with no pair at all in the run no
 * mask was drawn (the run stopped within the warm-up); else no item under the masks carried the
 * modality (its features are missing for all of them). Counts that are negative, not integers, or
 * with more noise than pairs are an error naming the modality.
 *
 * @example
 * ```ts
 * modalityNoiseRates({ pairsByModality: { id: { valid: 10, noise: 1 }, text: { valid: 0, noise: 0 } } });
 * // measured: [{ modality: "id", rate: 0.1, pairs: 10, noise: 1 }], unmeasured: [{ modality: "text", ... }]
 * ```
 */
export function modalityNoiseRates(
  stats: Pick<DemureStats, "pairsByModality">,
): ModalityNoiseRates {
  const entries = Object.entries(stats.pairsByModality);
  for (const [modality, { valid, noise }] of entries) {
    for (const [field, count] of [["valid", valid], ["noise", noise]] as const) {
      if (!Number.isInteger(count) || count < 0) {
        throw new Error(
          `modalityNoiseRates: pairsByModality.${modality}.${field} is ${count}, expected a ` +
            "count (an integer >= 0)",
        );
      }
    }
    if (noise > valid) {
      throw new Error(
        `modalityNoiseRates: pairsByModality.${modality} has ${noise} noise pairs of ${valid}`,
      );
    }
  }
  const anyMask = entries.some(([, { valid }]) => valid > 0);
  return {
    measured: entries.filter(([, { valid }]) => valid > 0).map(([modality, { valid, noise }]) => ({
      modality,
      rate: noise / valid,
      pairs: valid,
      noise,
    })),
    unmeasured: entries.filter(([, { valid }]) => valid === 0).map(([modality]) => ({
      modality,
      reason: anyMask ? MODALITY_NEVER_PRESENT : NO_MASK_DRAWN,
    })),
  };
}
