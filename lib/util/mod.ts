/**
 * Small shared utilities: the seeded random number generator and the checks of settings.
 *
 * @example
 * ```ts
 * import { createRng } from "./lib/util/mod.ts";
 * const rng = createRng(0);
 * ```
 *
 * @module
 */
export * from "./random.ts";
export * from "./settings.ts";
