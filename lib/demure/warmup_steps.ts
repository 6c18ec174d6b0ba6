/**
 * The default length of Demure's warm-up by steps (`DemureConfig.warmupSteps`): plain training
 * steps before the first noise mask. A module of its own, with no imports, so that
 * `deno task reproduce --help` states the shortest run a Demure cell can denoise in from this one
 * home without loading the library (scripts/reproduce_options.ts, through
 * lib/experiments/plan_warmup.ts).
 *
 * @example
 * ```ts
 * import { DEFAULT_WARMUP_STEPS } from "./warmup_steps.ts";
 * DEFAULT_WARMUP_STEPS; // 30
 * ```
 */

/** Default of `DemureConfig.warmupSteps` (`DEFAULT_DEMURE_CONFIG.warmupSteps`). */
export const DEFAULT_WARMUP_STEPS = 30;
