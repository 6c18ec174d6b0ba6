import { resolveTrainerConfig, type TrainerConfig } from "../train/config.ts";
import { type EpochProgress, minutesAtMost, validationsSinceBest } from "../train/progress.ts";
import { createProgress, type ProgressEvent } from "./progress.ts";

/** The trainer settings that say when early stopping ends a run. */
export type StoppingSettings = Pick<TrainerConfig, "patience" | "evalEvery">;

/**
 * The progress line's view of a trainer epoch: "epoch 15 of at most 200" (no bar: early stopping
 * ends most runs long before the cap, and a bar to the cap never filled), loss, validation NDCG@10
 * when evaluated, best so far, how much of the run's patience is used (with the run's `stopping`
 * settings: the trainer's own, never a copy), and an upper bound on the time left.
 *
 * @example
 * ```ts
 * epochProgressEvent(progress, { patience: 4, evalEvery: 1 });
 * // { stepText: "epoch 3 of at most 20", metrics: { loss: 7.12, ... },
 * //   note: "(best @2; 1 of 4 validations of patience without a better NDCG@10; <= 1.0 min left)" }
 * ```
 */
export function epochProgressEvent(
  progress: EpochProgress,
  stopping?: StoppingSettings,
): ProgressEvent {
  const metrics: Record<string, number> = { loss: progress.loss };
  if (progress.auxiliaryLoss !== 0) metrics["aux"] = progress.auxiliaryLoss;
  const ndcg = progress.validation?.["NDCG@10"];
  if (ndcg !== undefined) metrics["valid NDCG@10"] = ndcg;
  metrics["best"] = progress.bestValidation;
  const patience = stopping === undefined
    ? ""
    : `; ${
      validationsSinceBest(progress, stopping.evalEvery)
    } of ${stopping.patience} validations of patience without a better NDCG@10`;
  return {
    step: progress.epoch,
    total: progress.maxEpochs,
    stepText: `epoch ${progress.epoch} of at most ${progress.maxEpochs}`,
    metrics,
    note: `(best @${progress.bestEpoch}${progress.improved ? ", improved" : ""}${patience}; <= ${
      minutesAtMost(progress.secondsLeftAtMost)
    } min left)`,
  };
}

/**
 * The early-stopping settings of a run trained with `training` (its defaults filled in as the
 * trainer fills them).
 */
export function stoppingSettingsOf(training: Partial<TrainerConfig> = {}): StoppingSettings {
  const { patience, evalEvery } = resolveTrainerConfig(training);
  return { patience, evalEvery };
}

/**
 * A live progress line fed by the trainer: pass `onProgress` as the trainer's (or `runCell`'s)
 * progress callback, then `await done()`. Updates in place in a notebook, prints in a terminal.
 * Given the `training` settings the run trains with, the line also says how much of its patience
 * is used ("2 of 4 validations of patience without a better NDCG@10"); without them it cannot know.
 *
 * @example
 * ```ts
 * const training = { maxEpochs: 20 };
 * const progress = trainingProgress("SASRec-MM", training);
 * const result = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", { seed: 0, training, onProgress: progress.onProgress });
 * await progress.done();
 * ```
 */
export function trainingProgress(
  label: string,
  training?: Partial<TrainerConfig>,
): { onProgress: (progress: EpochProgress) => void; done: () => Promise<void> } {
  const line = createProgress({ label });
  const stopping = training === undefined ? undefined : stoppingSettingsOf(training);
  return {
    onProgress: (progress) => line.report(epochProgressEvent(progress, stopping)),
    done: line.done,
  };
}
