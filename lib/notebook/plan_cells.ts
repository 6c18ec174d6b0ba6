/**
 * Experiment cells in a notebook: the plan of the notebook's mode, and one call that loads a set
 * of its cells (`results-of-record/full`, the committed results, or `results/quick`), computing the missing
 * ones when the notebook's policy says so, with one live output while they train that a short
 * summary replaces (`cellsProgress`).
 *
 * Policy: with `DEMURE_RERUN=1` in the kernel's environment every missing cell is computed; in
 * quick mode (CI) the missing cells chosen by `quickCompute` (default: all) are computed; in full
 * mode nothing is trained and the notebook says what is missing and how to compute it.
 */
import { envFlag } from "../util/env_flag.ts";
import {
  checkBoolean,
  checkOptionalFunction,
  checkOptionalText,
  checkSettingNames,
  type SettingNames,
} from "../util/settings.ts";
import { fileURLToPath } from "node:url";
import { cellModel, type TrainedCellModel } from "../experiments/cell_model.ts";
import { ensureCells, type FinishedCell } from "../experiments/ensure_cells.ts";
import { OtherSettingsStoredError, withWayOut } from "../experiments/other_settings_guard.ts";
import { cellFilter, cellsOf } from "../experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../experiments/plan_types.ts";
import { planOfResults } from "../experiments/selection_record.ts";
import { RECORDS_DIR } from "../experiments/verify.ts";
import { isQuickMode, printQuickNoticeOnce } from "./quick_mode.ts";
import { cellsProgress } from "./cells_progress.ts";
import { trainingProgress } from "./training_progress.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/**
 * The experiment plan of the notebook's mode (`quick` in quick mode, `full` otherwise; a script
 * names the mode), with the selection recorded in its results (`resultsDir`, default
 * {@linkcode notebookResultsDirOf} the mode: pass the same folder to
 * {@linkcode ensureCellsInNotebook}). The first quick plan of a kernel also prints the quick-mode
 * notice (`QUICK_PAGE_NOTICE`, once per kernel).
 *
 * @example
 * ```ts
 * const plan = notebookPlan();
 * console.log(plan.mode, plan.cells.length);
 * ```
 */
export function notebookPlan(
  mode: ExperimentPlan["mode"] = isQuickMode() ? "quick" : "full",
  resultsDir: string = notebookResultsDirOf(mode),
): ExperimentPlan {
  if (mode === "quick") printQuickNoticeOnce();
  return planOfResults(mode, resultsDir);
}

/**
 * The plan in one line for the top of a page: its mode and each embedded dataset's seeds (quick
 * mode runs MovieLens at fewer seeds than the synthetic data).
 *
 * @example
 * ```ts
 * console.log(planLine(notebookPlan())); // "full plan, seeds: Synthetic 0, 1, 2, 3, 4; MovieLens 0, 1, 2, 3, 4"
 * ```
 */
export function planLine(plan: ExperimentPlan): string {
  const seedsOf = (kind: "synthetic" | "movielens") => plan.datasets[kind].seeds.join(", ");
  return `${plan.mode} plan, seeds: Synthetic ${seedsOf("synthetic")}; MovieLens ${
    seedsOf("movielens")
  }`;
}

/**
 * Where the cells of `plan` are stored (absolute path): the committed results of record for the
 * full plan (`results-of-record/full`), `results/quick` for the quick one.
 */
export function notebookResultsDir(plan: ExperimentPlan): string {
  return notebookResultsDirOf(plan.mode);
}

/**
 * {@linkcode notebookResultsDir} of a plan of `mode`, without planning it (no plan, no notebook
 * banner): what `deno task readme-figure --help` states as `--from`'s default.
 */
export function notebookResultsDirOf(mode: ExperimentPlan["mode"]): string {
  return `${PROJECT_ROOT}/${mode === "full" ? RECORDS_DIR.full : "results/quick"}`;
}

/**
 * Throws a `SettingError` for an unknown name of `options` or a value of another kind, before
 * anything is read, computed or trained: a null `resultsDir` read the notebook's default folder
 * (for a model: trained it there), a null `quickCompute` computed every missing cell.
 */
function checkNotebookCellsOptions(
  where: string,
  options: NotebookCellsOptions,
  names: SettingNames<NotebookCellsOptions> | SettingNames<NotebookCellModelOptions>,
): void {
  checkSettingNames(where, options, names);
  checkOptionalText(`${where}.resultsDir`, options.resultsDir, "a folder (a string)");
  checkOptionalFunction(
    `${where}.quickCompute`,
    options.quickCompute,
    "a function of a PlannedCell (true: compute it)",
  );
  const replace: unknown = (options as NotebookCellsOptions).replaceOtherSettings;
  if (replace !== undefined) checkBoolean(`${where}.replaceOtherSettings`, replace);
}

const NOTEBOOK_CELLS_OPTION_NAMES: SettingNames<NotebookCellsOptions> = Object.freeze({
  quickCompute: true,
  resultsDir: true,
  replaceOtherSettings: true,
});

const NOTEBOOK_CELL_MODEL_OPTION_NAMES: SettingNames<NotebookCellModelOptions> = Object.freeze({
  resultsDir: true,
});

/** Options of {@linkcode ensureCellsInNotebook}. */
export interface NotebookCellsOptions {
  /**
   * In quick mode, which missing cells to compute (default: all of them), e.g.
   * `cellFilter({ seed: plan.seeds[0] })`.
   */
  quickCompute?: (cell: PlannedCell) => boolean;
  /**
   * Where the cells are read from and computed cells are written (default:
   * {@linkcode notebookResultsDir}, the committed records for the full plan): e.g. a copy of the
   * records, or the folder a cluster run wrote. The plan's selection comes from the folder
   * {@linkcode notebookPlan} was given: give it the same one.
   */
  resultsDir?: string;
  /**
   * Compute again the cells to compute that `resultsDir` holds with other settings (an option of
   * the plan changed since), replacing those finished results (`EnsureCellsOptions`). Default
   * false: refused before anything is trained or written, the error naming the ways out.
   */
  replaceOtherSettings?: boolean;
}

/**
 * Which missing cells a notebook computes (the policy in this module's header): every one with
 * `DEMURE_RERUN=1`, those `quickCompute` chooses in quick mode (default: all), none in full mode.
 */
export function notebookComputePolicy(
  mode: ExperimentPlan["mode"],
  options: NotebookCellsOptions = {},
  rerun: boolean = envFlag("DEMURE_RERUN"),
): boolean | ((cell: PlannedCell) => boolean) {
  checkNotebookCellsOptions("NotebookCellsOptions", options, NOTEBOOK_CELLS_OPTION_NAMES);
  if (rerun) return true;
  return mode === "quick" ? (options.quickCompute ?? true) : false;
}

/** `dir` as the notebook's lines name it: relative to the checkout when inside it. */
function shownFolder(dir: string): string {
  return dir.startsWith(`${PROJECT_ROOT}/`) ? dir.slice(PROJECT_ROOT.length + 1) : dir;
}

/**
 * Loads `cells` of `plan`, computing the missing ones the policy above allows; when some are
 * still missing, prints how many were found and what to do about the rest (nothing when all are
 * there).
 *
 * @example
 * ```ts
 * const plan = notebookPlan();
 * const ablation = await ensureCellsInNotebook(plan, cellsOf(plan, "ablation"));
 * ```
 */
export async function ensureCellsInNotebook(
  plan: ExperimentPlan,
  cells: PlannedCell[],
  options: NotebookCellsOptions = {},
): Promise<FinishedCell[]> {
  const compute = notebookComputePolicy(plan.mode, options);
  const resultsDir = options.resultsDir ?? notebookResultsDir(plan);
  const progress = cellsProgress();
  const { found, missing } = await ensureCells(plan, cells, {
    resultsDir,
    compute,
    log: progress.log,
    onEpoch: progress.onEpoch,
    onCellDone: progress.onCellDone,
    replaceOtherSettings: options.replaceOtherSettings === true,
  }).catch((error) => {
    if (!(error instanceof OtherSettingsStoredError)) throw error;
    throw withWayOut(error, otherSettingsWayOut(plan, resultsDir));
  });
  await progress.done();
  // Silent when every cell is there: the line would sit on every rendered page, the report
  // without code too, where it says nothing a reader needs. What is missing is always said.
  if (missing.length > 0) {
    console.log(
      `${found.length} of ${cells.length} cells available (${shownFolder(resultsDir)})`,
    );
    // `deno task reproduce` fills only the mode's own folder: for another, only a rerun here does.
    const reproduce = resultsDir === notebookResultsDir(plan)
      ? `run \`deno task reproduce ${plan.mode === "quick" ? "--quick" : "--select"}\`, or `
      : "";
    console.log(missingCellsLine(missing.length, reproduce));
  }
  return found;
}

/**
 * A notebook's ways out of cells stored with other settings: the plan's own results folder (given
 * to both calls), or the option that replaces them.
 */
function otherSettingsWayOut(plan: ExperimentPlan, resultsDir: string): string {
  const mode = JSON.stringify(plan.mode);
  return "Give this plan a results folder of its own, to both calls: " +
    `\`notebookPlan(${mode}, dir)\` and \`ensureCellsInNotebook(plan, cells, { resultsDir: dir })\`; ` +
    "or pass `{ replaceOtherSettings: true }` to ensureCellsInNotebook to compute them again " +
    `and replace those results in ${shownFolder(resultsDir)}`;
}

/**
 * The line that says how many cells are missing and how to compute them. A reader of a notebook in
 * the lab has no shell around its kernel: the line says how to set `DEMURE_RERUN` from there (a
 * cell reads it when it runs, `notebookComputePolicy`), or for every kernel of the server.
 */
function missingCellsLine(missing: number, reproduce = ""): string {
  return `${missing} ${missing === 1 ? "cell" : "cells"} not computed: ${reproduce}set ` +
    "DEMURE_RERUN=1 in the kernel's environment (in the lab: run " +
    '`Deno.env.set("DEMURE_RERUN", "1")` in a cell, then this cell again; or start the lab as ' +
    "`DEMURE_RERUN=1 ./run.sh lab`)";
}

/**
 * The cell whose model notebook 05 explains and the README's figure shows: the main table's
 * MovieLens Demure-SASRec at the plan's first seed (in the full plan it reuses its selected
 * trial's run).
 *
 * @example
 * ```ts
 * const cell = explainedCell(notebookPlan());
 * ```
 */
export function explainedCell(plan: ExperimentPlan): PlannedCell {
  const cell = cellsOf(plan, "main").find(
    cellFilter({ dataset: "movielens", systems: ["Demure-SASRec"], seed: plan.seeds[0] }),
  );
  if (!cell) {
    throw new Error(
      `explainedCell: the ${plan.mode} plan has no main-table MovieLens Demure-SASRec`,
    );
  }
  return cell;
}

/** Options of {@linkcode notebookCellModel}. */
export interface NotebookCellModelOptions {
  /** Where the kept models are looked up (`<resultsDir>/models/`); default {@linkcode notebookResultsDir}. */
  resultsDir?: string;
}

/**
 * The trained model of `cell` (see `cellModel`), kept by the reproduction under
 * `<results>/models/` of the notebook's mode: `results-of-record/full/models/` (the committed models
 * of the cells the notebooks explain, see `.gitignore`) or `results/quick/models/`. A missing model
 * is trained now with the cell's own settings (a live progress line) and kept there in quick mode
 * or with `DEMURE_RERUN=1` (under the cell's claim: while another process runs the cell, the error
 * names its claim); in full mode otherwise the error names the missing file, so the page
 * never shows a model the reproduction did not train. Prints where the model came from and how
 * long it trained; in quick mode it also says, on the page, that the model is barely trained, so
 * nothing drawn from it is a finding.
 *
 * @example
 * ```ts
 * const plan = notebookPlan();
 * const trained = await notebookCellModel(plan, explainedCell(plan));
 * ```
 */
export async function notebookCellModel(
  plan: ExperimentPlan,
  cell: PlannedCell,
  options: NotebookCellModelOptions = {},
): Promise<TrainedCellModel> {
  checkNotebookCellsOptions("NotebookCellModelOptions", options, NOTEBOOK_CELL_MODEL_OPTION_NAMES);
  const progress = trainingProgress(cell.key);
  const trained = await cellModel(plan, cell, {
    resultsDir: options.resultsDir ?? notebookResultsDir(plan),
    train: plan.mode === "quick" || envFlag("DEMURE_RERUN"),
    onProgress: progress.onProgress,
  });
  await progress.done();
  const epochs = Number.isFinite(trained.epochs) ? `${trained.epochs} epochs` : "epochs unknown";
  console.log(
    `${cell.key}: ${trained.source === "checkpoint" ? "loaded from" : "trained now and kept in"} ${
      trained.checkpoint.replace(`${PROJECT_ROOT}/`, "")
    } (${epochs}, cap ${trained.maxEpochs})`,
  );
  if (plan.mode === "quick") {
    const batches = cell.training.maxBatchesPerEpoch;
    console.log(
      `QUICK MODE: this model is barely trained (at most ${trained.maxEpochs} epochs` +
        `${
          batches ? ` of ${batches} batches` : ""
        }): what it shows is the mechanics, not a finding. ` +
        "Run the notebook without DEMURE_QUICK for the fully trained model.",
    );
  }
  return trained;
}
