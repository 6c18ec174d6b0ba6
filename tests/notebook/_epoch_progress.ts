/** A trainer epoch's progress for the notebook progress tests. */
import type { EpochProgress } from "../../lib/train/progress.ts";

/** An epoch of a 3-epoch run (2 minutes left at most); `changes` override its fields. */
export function epochOf(changes: Partial<EpochProgress>): EpochProgress {
  return {
    epoch: 1,
    maxEpochs: 3,
    loss: 2,
    recommendationLoss: 2,
    auxiliaryLoss: 0,
    bestValidation: 0,
    bestEpoch: 0,
    improved: false,
    steps: 1,
    epochSeconds: 1,
    stepSeconds: 1,
    secondsLeftAtMost: 120,
    ...changes,
  };
}
