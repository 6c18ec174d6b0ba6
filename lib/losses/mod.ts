/**
 * Losses: the recommendation loss (cross-entropy or BCE over positions), negative sampling,
 * InfoNCE and NT-Xent.
 *
 * @example
 * ```ts
 * import { DEFAULT_RECOMMENDATION_LOSS, describeLoss } from "./lib/losses/mod.ts";
 * console.log(describeLoss(DEFAULT_RECOMMENDATION_LOSS));
 * ```
 *
 * @module
 */
export * from "./recommendation.ts";
export * from "./negative_sampling.ts";
export * from "./info_nce.ts";
export * from "./nt_xent.ts";
