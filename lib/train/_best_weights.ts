/**
 * A copy of the model's weights at its best validation epoch, restored into the model when the
 * run ends (early stopping returns the best model, not the last). The copy is owned here: each new
 * best disposes the previous one, and `dispose` frees the last.
 */
import { tf } from "../backend/tf.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";

/** The best weights so far, by parameter name (none before the first improvement). */
export class BestWeights {
  #weights: Map<string, tf.Tensor> | undefined;

  /** Starts empty, or owning the weights of a resumed run's `best` checkpoint. */
  constructor(weights?: Map<string, tf.Tensor>) {
    this.#weights = weights;
  }

  /** Replaces the copy by the model's current weights. */
  keep(model: SequentialRecommender): void {
    this.dispose();
    this.#weights = model.parameters.snapshot();
  }

  /** Assigns the copy to the model's parameters (nothing when there is none). */
  restoreInto(model: SequentialRecommender): void {
    if (this.#weights) model.parameters.assign(this.#weights);
  }

  /** Frees the copy. */
  dispose(): void {
    if (this.#weights) tf.dispose([...this.#weights.values()]);
    this.#weights = undefined;
  }
}
