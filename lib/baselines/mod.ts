/**
 * The baselines of the comparison: training-set popularity, item-to-item kNN, and CL4SRec's
 * augmented views with their contrastive loss.
 *
 * @example
 * ```ts
 * import { popularityScorer } from "./lib/baselines/mod.ts";
 * const scorer = popularityScorer(split);
 * ```
 *
 * @module
 */
export * from "./popularity.ts";
export * from "./item_knn.ts";
export * from "./cl4srec.ts";
