/**
 * The sums of one epoch's step losses and step times, and their means for the progress line.
 * Summed in step order, so the means are the same numbers whatever reads them.
 */
import type { StepLosses } from "./step.ts";

/** Means over an epoch's steps (each divided by max(1, steps)). */
export interface EpochLossMeans {
  /** Mean total loss. */
  loss: number;
  /** Mean recommendation loss L_rec. */
  recommendationLoss: number;
  /** Mean auxiliary loss. */
  auxiliaryLoss: number;
  /** Mean wall time of one step, in seconds. */
  stepSeconds: number;
}

/** Accumulates the losses and wall time of an epoch's steps. */
export class EpochLosses {
  #total = 0;
  #recommendation = 0;
  #auxiliary = 0;
  /** Summed wall time of the steps, in seconds. */
  stepSeconds = 0;
  /** Steps added so far. */
  steps = 0;

  /** Adds one step's losses and its wall time. */
  add(losses: StepLosses, seconds: number): void {
    this.stepSeconds += seconds;
    this.#total += losses.total;
    this.#recommendation += losses.recommendation;
    this.#auxiliary += losses.auxiliary;
    this.steps += 1;
  }

  /** The means over the steps (zeros for an epoch without steps). */
  means(): EpochLossMeans {
    const steps = Math.max(1, this.steps);
    return {
      loss: this.#total / steps,
      recommendationLoss: this.#recommendation / steps,
      auxiliaryLoss: this.#auxiliary / steps,
      stepSeconds: this.stepSeconds / steps,
    };
  }
}
