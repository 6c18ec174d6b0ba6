/**
 * Small shared utilities: the seeded random number generator, the checks of settings, and turns
 * of the event loop in long loops.
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
export * from "./event_loop.ts";
