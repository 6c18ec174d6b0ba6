/**
 * Quick mode: `scripts/run_notebooks.ts --quick` sets `DEMURE_QUICK=1` in the kernel so notebooks
 * use small data / cached results and CI stays within its time budget; a quick page says so once,
 * at its top, with {@linkcode QUICK_PAGE_NOTICE}.
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

/**
 * What a quick page says once, where its numbers come from: most pages' prose describes the
 * results of record, and without this line a reader of the page (the one without code too) would
 * take the quick plan's small, capped runs for them. The runs are kept under `results/`
 * (`results/quick` for the plan's cells, a folder of its own for notebook 08's imported data).
 * Notebooks 00 and 08 describe no records (08's full page trains its own grid on the test
 * fixture), so the notice names the records only where the text describes them.
 */
export const QUICK_PAGE_NOTICE: string =
  "Quick mode (DEMURE_QUICK=1, the notebooks' check in CI): the " +
  "numbers on this page come from the quick plan's small runs of a few epochs (kept under " +
  "results/), not from full-mode runs: the results of record where the text describes them; " +
  "`deno task notebooks` without --quick renders the full page.";

let quickNoticeShown = false;

/** Prints {@linkcode QUICK_PAGE_NOTICE} unless this kernel printed it already. */
export function printQuickNoticeOnce(): void {
  if (quickNoticeShown) return;
  quickNoticeShown = true;
  console.log(QUICK_PAGE_NOTICE);
}

/**
 * In quick mode, prints {@linkcode QUICK_PAGE_NOTICE} (once per kernel: `notebookPlan` prints the
 * same notice, for the notebooks that take the plan); nothing in full mode. For a notebook that
 * does not take the plan through `notebookPlan`.
 *
 * @example
 * ```ts
 * showQuickModeNotice(); // the notice on a quick page, nothing on a full one
 * ```
 */
export function showQuickModeNotice(): void {
  if (isQuickMode()) printQuickNoticeOnce();
}
