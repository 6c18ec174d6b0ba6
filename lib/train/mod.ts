/**
 * Training: the trainer's configuration and hooks, the loop (early stopping on validation,
 * checkpoints, progress) and the Adam optimiser.
 *
 * @example
 * ```ts
 * import { trainModel } from "./lib/train/mod.ts";
 * const result = await trainModel(model, split, { seed: 0 });
 * ```
 *
 * @module
 */
export * from "./config.ts";
export * from "./trainer.ts";
export * from "./step.ts";
export * from "./adam.ts";
export * from "./progress.ts";
