/**
 * Early stopping on validation NDCG@10: the best value so far, its epoch, and how many
 * evaluations since then failed to beat it. The run stops once that count reaches
 * `TrainerConfig.patience`. Only strictly better values count as improvements, so a plateau
 * keeps the earliest best epoch.
 */

/** The early-stopping counters, as a run checkpoint stores them. */
export interface EarlyStoppingState {
  /** Best validation NDCG@10 so far (-Infinity before the first evaluation). */
  bestValidation: number;
  /** 1-based epoch of `bestValidation` (0 before the first evaluation). */
  bestEpoch: number;
  /** Evaluations since `bestEpoch` without a better value. */
  sinceBest: number;
}

/** Tracks the best validation metric and the evaluations since it. */
export class EarlyStopping implements EarlyStoppingState {
  bestValidation: number;
  bestEpoch: number;
  sinceBest: number;

  /** Starts from scratch, or from the counters of a resumed run. */
  constructor(
    from: EarlyStoppingState = { bestValidation: -Infinity, bestEpoch: 0, sinceBest: 0 },
  ) {
    this.bestValidation = from.bestValidation;
    this.bestEpoch = from.bestEpoch;
    this.sinceBest = from.sinceBest;
  }

  /** Records the metric of 1-based `epoch`; true when it is a new best. */
  observe(metric: number, epoch: number): boolean {
    if (metric > this.bestValidation) {
      this.bestValidation = metric;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      return true;
    }
    this.sinceBest += 1;
    return false;
  }

  /** True once `patience` evaluations in a row failed to improve. */
  exhausted(patience: number): boolean {
    return this.sinceBest >= patience;
  }
}
