/**
 * Wall time of a run: the time left shown after each epoch (remaining epochs times the mean epoch
 * of this process, so a resumed run does not count the epochs it did not train), the time budget
 * (`TrainerConfig.maxWallSeconds`, which counts the training time of the processes before a resume
 * too) and the mean step time of the result.
 */

/** The clock of one `trainModel` call. */
export class RunClock {
  readonly #started = performance.now();
  readonly #firstEpoch: number;
  readonly #earlierSeconds: number;
  #stepSeconds = 0;
  #steps = 0;

  /**
   * Starts now; `firstEpoch` is the number of epochs done before (a resumed run's), and
   * `earlierSeconds` the training time those epochs took in the processes before (0 for a fresh
   * run).
   */
  constructor(firstEpoch: number, earlierSeconds = 0) {
    this.#firstEpoch = firstEpoch;
    this.#earlierSeconds = earlierSeconds;
  }

  /** Seconds since this call started. */
  elapsedSeconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /**
   * Seconds the run has trained in all: the earlier processes' and this call's (for a fresh run,
   * {@linkcode elapsedSeconds} exactly: 0 + x is x).
   */
  trainingSeconds(): number {
    return this.#earlierSeconds + this.elapsedSeconds();
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
