/**
 * Notebook helpers for the Deno kernel: figure and table display, the tables and bars of systems
 * over seeds, live progress lines, quick mode, kernel detection.
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
export { isQuickMode, QUICK_PAGE_NOTICE, showQuickModeNotice } from "./quick_mode.ts";
export {
  type CellsProgress,
  cellsProgress,
  type DisplayApi,
  MAX_LISTED_CELLS,
} from "./cells_progress.ts";
export {
  display,
  type DisplayOptions,
  displayTable,
  figureMimeBundle,
  type TableInput,
} from "./display.ts";
export {
  attributedBatchCaption,
  attributedBatchPartCaption,
  type AttributedBatchProtocol,
  attributionBarsCaption,
  attributionTableCaption,
  contrastiveViewCaption,
  type ContrastiveViewName,
  evaluationProtocolText,
  explainedModelCaption,
  seedsText,
  sensitivityCaption,
  systemsBarsCaption,
  systemsTableCaption,
  trainingRunCaption,
} from "./figure_captions.ts";
export { jupyterOrNull } from "../util/jupyter.ts";
export {
  ensureCellsInNotebook,
  explainedCell,
  notebookCellModel,
  type NotebookCellModelOptions,
  type NotebookCellsOptions,
  notebookPlan,
  notebookResultsDir,
  notebookResultsDirOf,
  planLine,
} from "./plan_cells.ts";
export {
  epochProgressEvent,
  type StoppingSettings,
  stoppingSettingsOf,
  trainingProgress,
} from "./training_progress.ts";
export { workProgress, workProgressEvent, type WorkProgressOptions } from "./work_progress.ts";
export {
  type LabelledStatistics,
  modalityCoverageTable,
  statisticsTable,
} from "./statistics_tables.ts";
export {
  bothRankingsTable,
  type BothRankingsTableOptions,
  rankingColumn,
} from "./both_rankings_table.ts";
export {
  systemsBars,
  type SystemsBarsOptions,
  type SystemsColumn,
  systemsTable,
  type SystemsTableOptions,
} from "./systems_views.ts";
