/**
 * Wall time of a run: the time left shown after each epoch (remaining epochs times the mean epoch
 * of this process, so a resumed run does not count the epochs it did not train), the time budget
 * (`TrainerConfig.maxWallSeconds`) and the mean step time of the result.
 */

/** The clock of one `trainModel` call. */
export class RunClock {
  readonly #started = performance.now();
  readonly #firstEpoch: number;
  #stepSeconds = 0;
  #steps = 0;

  /** Starts now; `firstEpoch` is the number of epochs done before (a resumed run's). */
  constructor(firstEpoch: number) {
    this.#firstEpoch = firstEpoch;
  }

  /** Seconds since the run started. */
  elapsedSeconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /** Adds an epoch's summed step time and step count. */
  recordSteps(stepSeconds: number, steps: number): void {
    this.#stepSeconds += stepSeconds;
    this.#steps += steps;
  }

  /** Upper bound on the time to `maxEpochs`, after `epochsDone` epochs in all. */
  secondsLeftAtMost(epochsDone: number, maxEpochs: number): number {
    const meanEpoch = this.elapsedSeconds() / (epochsDone - this.#firstEpoch);
    return (maxEpochs - epochsDone) * meanEpoch;
  }

  /** Mean wall time of one step over the run. */
  meanStepSeconds(): number {
    return this.#stepSeconds / Math.max(1, this.#steps);
  }
}
