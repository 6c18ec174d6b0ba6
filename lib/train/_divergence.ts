/**
 * Stops a run that diverged, with advice: a step whose L_rec exceeds
 * `TrainerConfig.divergenceFactor` times the loss of a uniform guess (2 ln 2 for BCE, ln(items)
 * for cross-entropy; at least 1), and a validation NDCG@10 that is not finite. Non-finite losses
 * and gradients are caught inside the step itself (`trainStep`), before any update.
 */
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { type TrainerConfig, TrainingDivergedError } from "./config.ts";
import type { StepLosses } from "./step.ts";

/** The divergence checks of one run. */
export class DivergenceGuard {
  readonly #config: TrainerConfig;
  readonly #uniformLoss: number;
  readonly #lossLimit: number;

  /** The limit for `model` trained under `config`. */
  constructor(config: TrainerConfig, model: SequentialRecommender) {
    this.#config = config;
    this.#uniformLoss = config.loss.kind === "bce" ? 2 * Math.LN2 : Math.log(model.numItems);
    this.#lossLimit = config.divergenceFactor * Math.max(this.#uniformLoss, 1);
  }

  /** Throws {@linkcode TrainingDivergedError} when the step's L_rec is above the limit. */
  checkStep(losses: StepLosses, epoch: number, step: number): void {
    if (losses.recommendation <= this.#lossLimit) return;
    const config = this.#config;
    throw new TrainingDivergedError(
      `L_rec is ${losses.recommendation} at epoch ${epoch + 1}, step ${step}: above ` +
        `${
          this.#lossLimit.toPrecision(4)
        } (TrainerConfig.divergenceFactor ${config.divergenceFactor}` +
        ` x the loss of a uniform guess, ${this.#uniformLoss.toPrecision(4)}). The run diverged; ` +
        `lower TrainerConfig.optimizer.learningRate (now ${config.optimizer.learningRate}) ` +
        `or set optimizer.clipNorm.`,
    );
  }

  /** Throws {@linkcode TrainingDivergedError} when the validation metric is not finite. */
  checkValidation(metric: number, epoch: number): void {
    if (!Number.isFinite(metric)) {
      throw new TrainingDivergedError(`validation NDCG@10 is ${metric} after epoch ${epoch + 1}`);
    }
  }
}
