/**
 * Notebook helpers for the Deno kernel: live progress lines, quick mode, kernel detection.
 *
 * @example
 * ```ts
 * import { createProgress, isQuickMode } from "./lib/notebook/mod.ts";
 * const progress = createProgress({ label: "demo", total: isQuickMode() ? 2 : 20 });
 * ```
 */
export {
  createProgress,
  formatProgressLine,
  type Progress,
  type ProgressConfig,
  type ProgressEvent,
} from "./progress.ts";
export { isQuickMode } from "./quick_mode.ts";
export { jupyterOrNull } from "./jupyter.ts";
export {
  ensureCellsInNotebook,
  type NotebookCellsOptions,
  notebookPlan,
  notebookResultsDir,
} from "./plan_cells.ts";
export { epochProgressEvent, trainingProgress } from "./training_progress.ts";
