/**
 * An epoch's progress as the trainer reports it to the `afterEpoch` hook, with only the fields the
 * warm-up reads varied: the epoch and whether validation improved (the rest is fixed filler).
 */
import type { EpochProgress } from "../../lib/train/progress.ts";

/** Epoch `epoch` of 10, whose validation `improved` or not. */
export function epochProgress(epoch: number, improved: boolean): EpochProgress {
  return {
    epoch,
    maxEpochs: 10,
    loss: 1,
    recommendationLoss: 1,
    auxiliaryLoss: 0,
    validation: { "NDCG@10": 0.1 },
    bestValidation: 0.1,
    bestEpoch: 1,
    improved,
    steps: 1,
    epochSeconds: 1,
    stepSeconds: 1,
    secondsLeftAtMost: 1,
  };
}
