/**
 * The warm-up by steps of the plan's Demure cells in each mode: the full plan's is Demure's
 * default, the quick plan's its own (a few batches an epoch). A run whose training steps
 * (`--max-epochs` x the batches an epoch) do not exceed it never leaves the warm-up, and its cells
 * are refused before any trains (`checkCellsFitData`, from `warmupRefusal` in
 * lib/demure/config.ts). A module without the library's imports, so that
 * `deno task reproduce --help` states these numbers from this one home (as `FILE_STOPPING`).
 *
 * @example
 * ```ts
 * import { PLAN_WARMUP_STEPS } from "./plan_warmup.ts";
 * PLAN_WARMUP_STEPS.quick; // 2
 * ```
 */
import { DEFAULT_WARMUP_STEPS } from "../demure/warmup_steps.ts";

/** Per mode: `DemureConfig.warmupSteps` of the plan's Demure cells. */
export const PLAN_WARMUP_STEPS = Object.freeze({ full: DEFAULT_WARMUP_STEPS, quick: 2 });
