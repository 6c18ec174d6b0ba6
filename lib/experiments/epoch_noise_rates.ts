/**
 * Demure's noise rate per modality and epoch as a figure should show it: a rate only where the
 * epoch had pairs under a noise mask. The records keep `noiseRateByEpoch` as written since the
 * first records (0 for an epoch without a mask; only the epochs after a resume from a checkpoint
 * saved before 2026-12-04, whose state held no per-epoch counts), and a rerun of an old cell
 * writes the same, so the reading, not the format, tells a measured rate from a 0 that stands for
 * "no mask".
 *
 * @example
 * ```ts
 * const rates = epochNoiseRates(result);
 * for (const gap of rates?.gaps ?? []) console.log(`epochs ${gap.first}-${gap.last}: ${gap.reason}`);
 * ```
 */
import { modalityNoiseRates, type UnmeasuredNoiseRate } from "../demure/noise_rates.ts";
import type { CellResult } from "./run_cell.ts";

/** Consecutive epochs without a noise rate, and why. */
export interface EpochGap {
  /** First epoch of the range (1-based). */
  first: number;
  /** Last epoch of the range (inclusive). */
  last: number;
  /** Why these epochs have no rate, in words a reader of a figure understands. */
  reason: string;
}

/** {@linkcode epochNoiseRates}'s answer. */
export interface EpochNoiseRates {
  /** Every epoch of the run (1-based), as in its history. */
  epochs: number[];
  /** Per modality, the rate at each of `epochs`: NaN where it has none (`gaps`, `unmeasured`). */
  rates: Record<string, number[]>;
  /** The epochs without a rate for any modality, in epoch order. */
  gaps: EpochGap[];
  /** Modalities that no mask of the run covered: NaN at every epoch. */
  unmeasured: UnmeasuredNoiseRate[];
  /** First epoch with a rate; undefined when no epoch has one. */
  firstMeasuredEpoch?: number;
}

/** The reason for a warm-up epoch. */
export const WARMUP_EPOCH =
  "Demure's warm-up, when no noise mask is drawn: the record holds 0 there, not a measured rate";

/** The reason for the epochs trained before a resume. */
export const BEFORE_RESUME =
  "trained before the run was resumed from a checkpoint; the record keeps per-epoch rates from " +
  "the resume on";

/** The reason for the first epoch after a resume that came after the first mask. */
export const POOLED_AFTER_RESUME =
  "the first epoch after a resume from a checkpoint, whose recorded rate pools the masked epochs " +
  "before it with its own";

/**
 * The per-epoch noise rates of a Demure cell, aligned with its history's epochs, or undefined for
 * a cell without them (not a Demure system). An epoch has no rate (NaN, and a gap with its reason)
 * when
 *
 * - it is in the warm-up: up to `demure.warmupEndedAfterEpoch` where recorded (warm-up by epochs
 *   or plateau); with warm-up by steps, which records no epoch, the leading epochs whose every
 *   modality reads 0 (a drawn mask marks at least one pair of each masked history as noise, so an
 *   epoch with a mask has a rate above 0 somewhere);
 * - it was trained before a resume from a checkpoint saved before 2026-12-04 (the record holds
 *   the epochs after it: its last entries; since then a resumed record holds every epoch);
 * - it is the first epoch after such a resume that came after the warm-up (or whose warm-up by
 *   steps may have ended before it): the writer took the counts restored from the checkpoint as
 *   that epoch's, so its rate pools every masked epoch before it.
 *
 * A modality that no mask covered over the whole run (`pairsByModality` 0) has no rate at any
 * epoch. A modality without pairs in one masked epoch only still reads 0 there: the record keeps
 * no per-epoch counts to tell. A record with more epochs of rates than of history, or an epoch
 * without a modality's rate, is an error.
 *
 * @example
 * ```ts
 * const rates = epochNoiseRates(result);
 * rates?.firstMeasuredEpoch; // e.g. 9 after a warm-up that ended after epoch 8
 * ```
 */
export function epochNoiseRates(
  result: Pick<CellResult, "history" | "noiseRateByEpoch" | "demure">,
): EpochNoiseRates | undefined {
  const recorded = result.noiseRateByEpoch;
  const stats = result.demure;
  if (recorded === undefined || stats === undefined) return undefined;
  const epochs = result.history.map((progress) => progress.epoch);
  const resumedAfter = epochs.length - recorded.length;
  if (resumedAfter < 0) {
    throw new Error(
      `epochNoiseRates: ${recorded.length} epochs of noise rates, the history has ${epochs.length}`,
    );
  }
  const modalities = Object.keys(stats.pairsByModality);
  recorded.forEach((entry: unknown, index) => {
    const epoch = epochs[resumedAfter + index];
    // A hand-edited result file can hold null (or a bare number) for an epoch: named, where
    // reading a modality of null was a TypeError naming no epoch.
    if (typeof entry !== "object" || entry === null) {
      throw new Error(
        `epochNoiseRates: epoch ${epoch} has no noise rates by modality (${JSON.stringify(entry)})`,
      );
    }
    const rates = entry as Record<string, unknown>;
    for (const modality of modalities) {
      if (typeof rates[modality] !== "number") {
        throw new Error(
          `epochNoiseRates: epoch ${epoch} has no noise rate of ${modality} (${rates[modality]})`,
        );
      }
    }
  });
  const warmupEnd = stats.warmupEndedAfterEpoch;
  const allZero = (index: number) => modalities.every((m) => recorded[index][m] === 0);
  // Warm-up by steps records no epoch: its epochs are the leading ones without any noise.
  let leadingZero = 0;
  while (leadingZero < recorded.length && allZero(leadingZero)) leadingZero++;
  const reasons = epochs.map((epoch, i): string | undefined => {
    const index = i - resumedAfter;
    if (index < 0) return BEFORE_RESUME;
    const inWarmup = warmupEnd !== undefined ? epoch <= warmupEnd : index < leadingZero;
    if (inWarmup) return WARMUP_EPOCH;
    const maskedBeforeResume = warmupEnd === undefined || resumedAfter > warmupEnd;
    if (index === 0 && resumedAfter > 0 && maskedBeforeResume) return POOLED_AFTER_RESUME;
    return undefined;
  });
  const { unmeasured } = modalityNoiseRates(stats);
  const never = new Set(unmeasured.map(({ modality }) => modality));
  const rates: Record<string, number[]> = {};
  for (const modality of modalities) {
    rates[modality] = epochs.map((_, i) =>
      reasons[i] !== undefined || never.has(modality)
        ? Number.NaN
        : recorded[i - resumedAfter][modality]
    );
  }
  const gaps: EpochGap[] = [];
  reasons.forEach((reason, i) => {
    if (reason === undefined) return;
    const last = gaps[gaps.length - 1];
    if (last && last.reason === reason && last.last === epochs[i - 1]) last.last = epochs[i];
    else gaps.push({ first: epochs[i], last: epochs[i], reason });
  });
  const firstMeasured = unmeasured.length === modalities.length
    ? -1
    : reasons.findIndex((reason) => reason === undefined);
  return {
    epochs,
    rates,
    gaps,
    unmeasured,
    ...(firstMeasured >= 0 ? { firstMeasuredEpoch: epochs[firstMeasured] } : {}),
  };
}
