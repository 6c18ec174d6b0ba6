/**
 * Small shared utilities: the seeded random number generator, the checks of settings, turns of
 * the event loop in long loops (where Jupyter's Interrupt stops them), the Jupyter kernel API and the
 * signals that stop a launcher (`listenForStopSignals`).
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
export * from "./interrupt.ts";
export * from "./jupyter.ts";
export * from "./env_flag.ts";
export * from "./env_text.ts";
export * from "./path_exists.ts";
export * from "./remove_if_present.ts";
export * from "./stop_signals.ts";
export * from "./json_differences.ts";
export * from "./within.ts";
export * from "./percent.ts";
export * from "./work_progress.ts";
