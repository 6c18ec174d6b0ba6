/**
 * Experiment cells in a notebook: the plan of the notebook's mode, and one call that loads a set
 * of its cells (`results-of-record/full`, the committed results, or `results/quick`), computing the missing
 * ones when the notebook's policy says so, with one live progress line per computed cell.
 *
 * Policy: with `DEMURE_RERUN=1` in the kernel's environment every missing cell is computed; in
 * quick mode (CI) the missing cells chosen by `quickCompute` (default: all) are computed; in full
 * mode nothing is trained and the notebook says what is missing and how to compute it.
 */
import { fileURLToPath } from "node:url";
import { cellModel, type TrainedCellModel } from "../experiments/cell_model.ts";
import { ensureCells, type FinishedCell } from "../experiments/ensure_cells.ts";
import type { ExperimentPlan, PlannedCell } from "../experiments/plan.ts";
import { planOfResults } from "../experiments/run_plan.ts";
import { RECORDS_DIR } from "../experiments/verify.ts";
import { isQuickMode } from "./quick_mode.ts";
import { createProgress, type Progress } from "./progress.ts";
import { epochProgressEvent, trainingProgress } from "./training_progress.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/**
 * The experiment plan of the notebook's mode: `quick` in quick mode, `full` otherwise.
 *
 * @example
 * ```ts
 * const plan = notebookPlan();
 * console.log(plan.mode, plan.cells.length);
 * ```
 */
export function notebookPlan(): ExperimentPlan {
  const mode = isQuickMode() ? "quick" : "full";
  return planOfResults(mode, resultsDirOf(mode));
}

/**
 * Where the cells of `plan` are stored (absolute path): the committed results of record for the
 * full plan (`results-of-record/full`), `results/quick` for the quick one.
 */
export function notebookResultsDir(plan: ExperimentPlan): string {
  return resultsDirOf(plan.mode);
}

function resultsDirOf(mode: ExperimentPlan["mode"]): string {
  return `${PROJECT_ROOT}/${mode === "full" ? RECORDS_DIR.full : "results/quick"}`;
}

/** Options of {@linkcode ensureCellsInNotebook}. */
export interface NotebookCellsOptions {
  /** In quick mode, which missing cells to compute (default: all of them). */
  quickCompute?: (cell: PlannedCell) => boolean;
}

/**
 * Loads `cells` of `plan`, computing the missing ones the policy above allows; prints how many
 * were found and what to do about the rest.
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
  const rerun = Deno.env.get("DEMURE_RERUN") === "1";
  const compute = rerun ? true : plan.mode === "quick" ? (options.quickCompute ?? true) : false;
  const lines = new Map<string, Progress>();
  const { found, missing } = await ensureCells(plan, cells, {
    resultsDir: notebookResultsDir(plan),
    compute,
    // runPlan's dataset lines carry the statistics and the protocol: the first line is enough.
    log: (line) => console.log(line.split("\n")[0]),
    onEpoch: (cell, progress) => {
      if (!lines.has(cell.key)) lines.set(cell.key, createProgress({ label: cell.key }));
      lines.get(cell.key)!.report(epochProgressEvent(progress));
    },
  });
  for (const line of lines.values()) await line.done();
  console.log(
    `${found.length} of ${cells.length} cells available (${
      plan.mode === "full" ? RECORDS_DIR.full : "results/quick"
    })`,
  );
  if (missing.length > 0) {
    console.log(
      `${missing.length} cells not computed: run \`deno task reproduce ${
        plan.mode === "quick" ? "--quick" : "--select"
      }\`, or set DEMURE_RERUN=1 in the kernel's environment`,
    );
  }
  return found;
}

/**
 * The trained model of `cell` (see `cellModel`): loaded from `results/<mode>/models/` when it was
 * kept there, otherwise trained now with the cell's own settings (a live progress line) and kept.
 * Prints where the model came from; in quick mode it also says, on the page, that the model is
 * barely trained, so nothing drawn from it is a finding.
 *
 * @example
 * ```ts
 * const plan = notebookPlan();
 * const cell = cellsOf(plan, "main").find((c) => c.systemName === "Demure-SASRec")!;
 * const trained = await notebookCellModel(plan, cell);
 * ```
 */
export async function notebookCellModel(
  plan: ExperimentPlan,
  cell: PlannedCell,
): Promise<TrainedCellModel> {
  const progress = trainingProgress(cell.key);
  const trained = await cellModel(plan, cell, {
    // Models are kept beside the results, never inside the committed records (no weights there).
    resultsDir: plan.mode === "full" ? `${PROJECT_ROOT}/results/full` : notebookResultsDir(plan),
    train: true,
    onProgress: progress.onProgress,
  });
  await progress.done();
  const epochs = Number.isFinite(trained.epochs) ? `${trained.epochs} epochs` : "epochs unknown";
  console.log(
    `${cell.key}: ${
      trained.source === "checkpoint" ? "loaded from" : "trained now and kept in"
    } ${trained.checkpoint} (${epochs}, cap ${trained.maxEpochs})`,
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
