/**
 * The one interface evaluation needs: scores of every item for a batch of histories. Models and
 * the non-neural baselines (Pop, item-kNN) all implement it.
 *
 * @example
 * ```ts
 * const scorer = modelScorer(model);
 * const scores = await scorer.score(batch); // Float32Array [batch * numItems]
 * ```
 */
import { readAndDispose } from "../backend/read_values.ts";
import type { SequenceBatch } from "../data/types.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";

/** Scores all items after each history of a batch. */
export interface Scorer {
  /** Printed in result protocols, e.g. "SASRec(id+text+genre)". */
  readonly name: string;
  /** Number of items scored (the width of each score row). */
  readonly numItems: number;
  /**
   * Row-major [batch, numItems] scores, higher = more likely next. A model's scores are read from
   * the device asynchronously (a GPU backend has no synchronous read); host-side baselines may
   * return them directly.
   */
  score(batch: SequenceBatch): Float32Array | Promise<Float32Array>;
}

/** A {@linkcode Scorer} for a {@linkcode SequentialRecommender} (full history, no dropout). */
export function modelScorer(model: SequentialRecommender, name?: string): Scorer {
  const label = name ??
    `${model.config.backbone === "sasrec" ? "SASRec" : "GRU4Rec"}(${
      model.modalityNames.join("+")
    })`;
  return {
    name: label,
    numItems: model.numItems,
    async score(batch: SequenceBatch): Promise<Float32Array> {
      return (await readAndDispose(model.scoreLast(batch))) as Float32Array;
    },
  };
}
