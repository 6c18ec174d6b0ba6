/**
 * Evaluation: full ranking over all items, the metrics (HR, NDCG, MRR at cut-offs), scorers,
 * the protocol card, sampled negatives and paired significance tests.
 *
 * @example
 * ```ts
 * import { evaluateRanking, modelScorer } from "./lib/eval/mod.ts";
 * const result = await evaluateRanking(modelScorer(model), split, { stage: "test" });
 * ```
 *
 * @module
 */
export * from "./evaluate.ts";
export * from "./metrics.ts";
export * from "./scorer.ts";
export * from "./protocol.ts";
export * from "./sampled_negatives.ts";
export * from "./significance.ts";
