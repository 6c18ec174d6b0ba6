/**
 * How many of a run's valid (position, modality) pairs the views saw, and how many were noise, per
 * modality: over the run (`DemureStats`) and per epoch (`noiseRateByEpoch`). They travel with the
 * `last` checkpoint, so that a resumed run reports what an uninterrupted one would.
 */
import type { DemureStats } from "./objective.ts";

/** The counts as a checkpoint holds them (JSON). */
export type SavedNoiseCounts = {
  noiseCount: number[];
  validCount: number[];
  /** Absent in checkpoints saved before 2026-12-04. */
  epochs?: { rates: Record<string, number>[]; noiseAtEnd: number[]; validAtEnd: number[] };
};

/** Noise and valid pair counts per modality, over the run and per epoch ended. */
export class NoiseCounts {
  readonly #names: readonly string[];
  readonly #noise: Float64Array;
  readonly #valid: Float64Array;
  // The counts when the last epoch ended, and each epoch's rates from them.
  readonly #noiseAtEpochEnd: Float64Array;
  readonly #validAtEpochEnd: Float64Array;
  #rateByEpoch: Record<string, number>[] = [];

  constructor(modalityNames: readonly string[]) {
    this.#names = modalityNames;
    const modalities = modalityNames.length;
    this.#noise = new Float64Array(modalities);
    this.#valid = new Float64Array(modalities);
    this.#noiseAtEpochEnd = new Float64Array(modalities);
    this.#validAtEpochEnd = new Float64Array(modalities);
  }

  /** Counts a batch's valid pairs (`validMask`) and those of them `noiseMask` marks as noise. */
  add(validMask: Uint8Array, noiseMask: Uint8Array): void {
    const modalities = this.#names.length;
    for (let i = 0; i < validMask.length; i++) {
      if (!validMask[i]) continue;
      this.#valid[i % modalities] += 1;
      this.#noise[i % modalities] += noiseMask[i];
    }
  }

  /** Closes an epoch: its share of noise per modality from the pairs counted since the last. */
  closeEpoch(): void {
    const rates: Record<string, number> = {};
    this.#names.forEach((name, m) => {
      const seen = this.#valid[m] - this.#validAtEpochEnd[m];
      const noise = this.#noise[m] - this.#noiseAtEpochEnd[m];
      // 0 without pairs (the warm-up), as the records of record hold it: a rerun writes what the
      // record has, and epochNoiseRates, not the format, tells it from a rate.
      rates[name] = seen > 0 ? Math.round(noise / seen * 1e6) / 1e6 : 0;
    });
    this.#rateByEpoch.push(rates);
    this.#noiseAtEpochEnd.set(this.#noise);
    this.#validAtEpochEnd.set(this.#valid);
  }

  /** Each closed epoch's rates (copies). */
  rateByEpoch(): Record<string, number>[] {
    return this.#rateByEpoch.map((rates) => ({ ...rates }));
  }

  /** The run's noise rate and pair counts per modality (NaN: no pair seen). */
  byModality(): Pick<DemureStats, "noiseRateByModality" | "pairsByModality"> {
    const noiseRateByModality: Record<string, number> = {};
    const pairsByModality: DemureStats["pairsByModality"] = {};
    this.#names.forEach((name, m) => {
      const valid = this.#valid[m];
      noiseRateByModality[name] = valid ? this.#noise[m] / valid : NaN;
      pairsByModality[name] = { valid, noise: this.#noise[m] };
    });
    return { noiseRateByModality, pairsByModality };
  }

  /** The counts for a checkpoint: copies, so that a later epoch does not change what was saved. */
  saved(): Required<SavedNoiseCounts> {
    return {
      noiseCount: Array.from(this.#noise),
      validCount: Array.from(this.#valid),
      epochs: {
        rates: this.rateByEpoch(),
        noiseAtEnd: Array.from(this.#noiseAtEpochEnd),
        validAtEnd: Array.from(this.#validAtEpochEnd),
      },
    };
  }

  /** Throws unless `saved` (its per-epoch counts included) counts as many modalities as this run has. */
  checkSaved(saved: SavedNoiseCounts): void {
    const modalities = this.#names.length;
    // Each field by name: the one that differs may be validCount, with noiseCount's length right.
    for (const field of ["noiseCount", "validCount"] as const) {
      if (!Array.isArray(saved[field])) {
        throw new Error(`Demure checkpoint state: no field ${field} (an array of counts)`);
      }
      if (saved[field].length !== modalities) {
        throw new Error(
          `Demure checkpoint state: ${field} counts ${saved[field].length} modalities, ` +
            `the model has ${modalities}`,
        );
      }
    }
    // The per-epoch counts too: a short array was set over the first modalities only (the rest
    // kept 0, and the next epoch's rate pooled the whole run there); a long one threw a RangeError.
    const epochs = saved.epochs;
    if (epochs === undefined) return;
    if (!Array.isArray(epochs.rates)) {
      throw new Error(
        "Demure checkpoint state: no field epochs.rates (an array of rates per epoch)",
      );
    }
    for (const field of ["noiseAtEnd", "validAtEnd"] as const) {
      if (!Array.isArray(epochs[field])) {
        throw new Error(`Demure checkpoint state: no field epochs.${field} (an array of counts)`);
      }
      if (epochs[field].length !== modalities) {
        throw new Error(
          `Demure checkpoint state: epochs.${field} counts ${epochs[field].length} modalities, ` +
            `the model has ${modalities}`,
        );
      }
    }
  }

  /**
   * The counts of a checkpoint ({@linkcode checkSaved} first). From a checkpoint without per-epoch
   * counts (before 2026-12-04): the epochs from the resume on, the first pooled with the epochs
   * before it (epochNoiseRates reads it so).
   */
  restore(saved: SavedNoiseCounts): void {
    const zeros = new Array(this.#names.length).fill(0);
    this.#noise.set(saved.noiseCount);
    this.#valid.set(saved.validCount);
    this.#rateByEpoch = saved.epochs?.rates.map((rates) => ({ ...rates })) ?? [];
    this.#noiseAtEpochEnd.set(saved.epochs?.noiseAtEnd ?? zeros);
    this.#validAtEpochEnd.set(saved.epochs?.validAtEnd ?? zeros);
  }
}
