/**
 * Per-epoch progress of a training run, and the default terminal line. Notebooks pass their own
 * `onProgress` (e.g. to update a table or a plot) instead.
 *
 * @example
 * ```ts
 * await trainModel(model, split, config, { onProgress: (p) => rows.push(p) });
 * ```
 */

import { USERS, type WorkProgress, workProgressLine } from "../util/work_progress.ts";

/** What the trainer reports after each epoch. */
export interface EpochProgress {
  /** 1-based epoch number. */
  epoch: number;
  /** The run's `maxEpochs`. */
  maxEpochs: number;
  /** Mean total training loss over the epoch's steps. */
  loss: number;
  /** Mean recommendation loss L_rec. */
  recommendationLoss: number;
  /** Mean auxiliary loss (0 without the hook). */
  auxiliaryLoss: number;
  /** Validation metrics of this epoch (undefined when not evaluated this epoch). */
  validation?: Record<string, number>;
  /** Best validation NDCG@10 so far and its epoch. */
  bestValidation: number;
  /** 1-based epoch of `bestValidation` (0 before the first evaluation). */
  bestEpoch: number;
  /** True when this epoch set a new best validation NDCG@10. */
  improved: boolean;
  /** Training steps of this epoch. */
  steps: number;
  /** Wall time of this epoch (training and validation), in seconds. */
  epochSeconds: number;
  /** Mean wall time of one training step (forward + backward + update) this epoch. */
  stepSeconds: number;
  /** Upper bound: remaining epochs (to maxEpochs) times the mean epoch time. */
  secondsLeftAtMost: number;
}

/**
 * `seconds` as minutes with one decimal, rounded up: an upper bound on the time left printed to a
 * tenth of a minute stays an upper bound (3.44 min was "<= 3.4 min left").
 */
export function minutesAtMost(seconds: number): string {
  return (Math.ceil(seconds / 6) / 10).toFixed(1);
}

/**
 * Whether 1-based `epoch` of a run validates: every `evalEvery` epochs, and the last one. The
 * trainer's schedule, and so the count of validations that early stopping's patience counts.
 */
export function isValidationEpoch(epoch: number, evalEvery: number, maxEpochs: number): boolean {
  return epoch % evalEvery === 0 || epoch === maxEpochs;
}

/**
 * The validations since the run's best validation NDCG@10 (or since it started, before a first
 * best) up to `progress`'s epoch: the count that stops the run when it reaches the trainer's
 * `patience`. Its validation schedule is `evalEvery`, the run's setting.
 *
 * @example
 * ```ts
 * validationsSinceBest({ epoch: 15, bestEpoch: 12, maxEpochs: 200 }, 1); // 3
 * ```
 */
export function validationsSinceBest(
  progress: Pick<EpochProgress, "epoch" | "bestEpoch" | "maxEpochs">,
  evalEvery: number,
): number {
  let count = 0;
  for (let epoch = progress.bestEpoch + 1; epoch <= progress.epoch; epoch++) {
    if (isValidationEpoch(epoch, evalEvery, progress.maxEpochs)) count += 1;
  }
  return count;
}

/** The default progress sink: one console line per epoch. */
export function printProgress(p: EpochProgress): void {
  const validation = p.validation
    ? `valid NDCG@10 ${p.validation["NDCG@10"].toFixed(4)} HR@10 ${
      p.validation["HR@10"]?.toFixed(4) ?? "-"
    }`
    : "valid -";
  const aux = p.auxiliaryLoss !== 0
    ? ` (rec ${p.recommendationLoss.toFixed(4)}, aux ${p.auxiliaryLoss.toFixed(4)})`
    : "";
  console.log(
    `epoch ${p.epoch}/${p.maxEpochs}  loss ${p.loss.toFixed(4)}${aux}  ${validation}` +
      `${p.improved ? " *" : ""}  best ${p.bestValidation.toFixed(4)} @${p.bestEpoch}  ` +
      `${p.epochSeconds.toFixed(1)} s/epoch, ${(p.stepSeconds * 1000).toFixed(0)} ms/step, ` +
      `<= ${minutesAtMost(p.secondsLeftAtMost)} min left`,
  );
}

/** Which epoch's validation is running: its 1-based epoch and the run's `maxEpochs`. */
export interface ValidationPlace {
  /** 1-based epoch whose validation runs. */
  epoch: number;
  /** The run's `maxEpochs`. */
  maxEpochs: number;
}

/** Hears an epoch's validation while it runs: which one, and its users scored of all. */
export type ValidationProgressCallback = (place: ValidationPlace, progress: WorkProgress) => void;

/**
 * The indented line of an epoch's validation still running: users scored of all, the rate, the
 * time so far and left.
 *
 * @example
 * ```ts
 * validationProgressLine({ epoch: 3, maxEpochs: 20 }, { done: 512, total: 2048, seconds: 4 });
 * // "    validation of epoch 3/20: 512/2048 users, 128 users/s, 4.0 s, about 12 s of it left"
 * ```
 */
export function validationProgressLine(place: ValidationPlace, progress: WorkProgress): string {
  return workProgressLine(
    `    validation of epoch ${place.epoch}/${place.maxEpochs}`,
    USERS,
    progress,
  );
}
