/**
 * Demure: the training objective as trainer hooks (noise identified by attribution, contrastive
 * views, InfoNCE), the per-user noise-mask schedule and the contrastive views.
 *
 * @example
 * ```ts
 * import { demureHooks } from "./lib/demure/mod.ts";
 * const demure = demureHooks(model, { variant: "full" });
 * ```
 *
 * @module
 */
export * from "./objective.ts";
export * from "./views.ts";
export * from "./noise_mask.ts";
