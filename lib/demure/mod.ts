/**
 * Demure: its settings (`config.ts`), the training objective as trainer hooks (noise identified by
 * attribution, contrastive views, InfoNCE), the per-user noise-mask schedule, the contrastive
 * views, and the share of each modality a run masked.
 *
 * @example
 * ```ts
 * import { demureHooks } from "./lib/demure/mod.ts";
 * const demure = demureHooks(model, { variant: "full" });
 * ```
 *
 * @module
 */
export * from "./config.ts";
export * from "./objective.ts";
export * from "./views.ts";
export * from "./noise_mask.ts";
export * from "./noise_rates.ts";
