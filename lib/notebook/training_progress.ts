import { type EpochProgress, minutesAtMost } from "../train/progress.ts";
import { createProgress, type ProgressEvent } from "./progress.ts";

/**
 * The progress line's view of a trainer epoch: epoch counter, loss, validation NDCG@10 when
 * evaluated, best so far, and an upper bound on the time left.
 *
 * @example
 * ```ts
 * epochProgressEvent(progress); // { step: 3, total: 20, metrics: { loss: 7.12, ... }, note: "..." }
 * ```
 */
export function epochProgressEvent(progress: EpochProgress): ProgressEvent {
  const metrics: Record<string, number> = { loss: progress.loss };
  if (progress.auxiliaryLoss !== 0) metrics["aux"] = progress.auxiliaryLoss;
  const ndcg = progress.validation?.["NDCG@10"];
  if (ndcg !== undefined) metrics["valid NDCG@10"] = ndcg;
  metrics["best"] = progress.bestValidation;
  return {
    step: progress.epoch,
    total: progress.maxEpochs,
    metrics,
    note: `(best @${progress.bestEpoch}${progress.improved ? ", improved" : ""}; <= ${
      minutesAtMost(progress.secondsLeftAtMost)
    } min left)`,
  };
}

/**
 * A live progress line fed by the trainer: pass `onProgress` as the trainer's (or `runCell`'s)
 * progress callback, then `await done()`. Updates in place in a notebook, prints in a terminal.
 *
 * @example
 * ```ts
 * const progress = trainingProgress("SASRec-MM");
 * const result = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", { seed: 0, onProgress: progress.onProgress });
 * await progress.done();
 * ```
 */
export function trainingProgress(
  label: string,
): { onProgress: (progress: EpochProgress) => void; done: () => Promise<void> } {
  const line = createProgress({ label });
  return {
    onProgress: (progress) => line.report(epochProgressEvent(progress)),
    done: line.done,
  };
}
