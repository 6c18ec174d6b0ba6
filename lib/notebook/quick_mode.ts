/**
 * Quick mode: `scripts/run_notebooks.ts --quick` sets `DEMURE_QUICK=1` in the kernel so notebooks
 * use small data / cached results and CI stays within its time budget.
 */
import { envFlag } from "../util/env_flag.ts";

/**
 * True when notebooks should take their quick path (`DEMURE_QUICK` is `1` or `true`).
 *
 * @example
 * ```ts
 * const epochs = isQuickMode() ? 2 : 50;
 * ```
 */
export function isQuickMode(): boolean {
  return envFlag("DEMURE_QUICK");
}
