/**
 * Ensure a set of a plan's cells is computed, then load them: the one way a notebook (or a
 * script) gets results, whether they were stored by `deno task reproduce`, by another notebook or
 * are computed now. Missing cells run through {@linkcode runPlan} (claims, resume, progress), so a
 * notebook and a reproduction started on the same results never run a cell twice.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const { found, missing } = await ensureCells(plan, cellsOf(plan, "ablation"), {
 *   resultsDir: "results/quick",
 * });
 * for (const { cell, result } of found) console.log(cell.systemName, result.test["NDCG@10"]);
 * ```
 */
import type { EpochProgress } from "../train/progress.ts";
import {
  checkBoolean,
  checkOptionalFunction,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import type { ExperimentPlan, PlannedCell, PlanPlace } from "./plan_types.ts";
import type { CellResult } from "./run_cell.ts";
import { finishedCells } from "./stored_cells.ts";
import { type CellOutcome, runPlan } from "./run_plan.ts";
import { OtherSettingsStoredError, withWayOut } from "./other_settings_guard.ts";

/** A planned cell with its stored result. */
export interface FinishedCell {
  /** The cell as the plan describes it (dataset, system, seed, experiments, sweep, noise). */
  cell: PlannedCell;
  /** Its stored result. */
  result: CellResult;
}

/** Options of {@linkcode ensureCells}. */
export interface EnsureCellsOptions {
  /** The reproduction's directory (`results/<mode>`), as for {@linkcode runPlan}. */
  resultsDir: string;
  /**
   * Which missing cells to compute: `true` (default) every one, `false` none (only load what is
   * stored), or a predicate choosing some of them.
   */
  compute?: boolean | ((cell: PlannedCell) => boolean);
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
  /**
   * Per-epoch progress of the cells computed now (default: a printed line per epoch), with the
   * place each takes among them (runPlan's `onEpoch`).
   */
  onEpoch?: (cell: PlannedCell, progress: EpochProgress, place: PlanPlace) => void;
  /** Each cell runPlan is done with now, and how (runPlan's `onCellDone`). */
  onCellDone?: (cell: PlannedCell, outcome: CellOutcome) => void;
  /**
   * Compute again the chosen cells stored in `resultsDir` with other settings (a ranking, a
   * trainer or model setting changed since), replacing those finished results. Default false:
   * such a call is refused before anything is trained or written (`OtherSettingsStoredError`,
   * naming the folder, how many cells, a few keys and what differs), as `runPlan` refuses it: a
   * notebook that changed an option and computed its cells with `DEMURE_RERUN=1` overwrote every
   * finished cell of the earlier settings. Give such a plan a `resultsDir` of its own instead.
   */
  replaceOtherSettings?: boolean;
}

/** Every option of {@linkcode EnsureCellsOptions}: any other name is refused. */
const ENSURE_CELLS_OPTION_NAMES: SettingNames<EnsureCellsOptions> = Object.freeze({
  resultsDir: true,
  compute: true,
  log: true,
  onEpoch: true,
  onCellDone: true,
  replaceOtherSettings: true,
});

/**
 * Throws a `SettingError` for an option {@linkcode ensureCells} does not have or one of the wrong
 * kind, before anything is read: `compute` was read as "truthy or not", so `compute: "false"` and a
 * misspelt `compte: false` computed every missing cell (hours of training) instead of none.
 */
function checkEnsureCellsOptions(options: EnsureCellsOptions): void {
  checkSettingNames("EnsureCellsOptions", options, ENSURE_CELLS_OPTION_NAMES);
  if (typeof options.resultsDir !== "string" || options.resultsDir === "") {
    throw new SettingError("EnsureCellsOptions.resultsDir", options.resultsDir, "a folder path");
  }
  const compute: unknown = options.compute;
  if (compute !== undefined && typeof compute !== "boolean" && typeof compute !== "function") {
    throw new SettingError(
      "EnsureCellsOptions.compute",
      compute,
      "true, false or a function of a cell",
    );
  }
  for (const name of ["log", "onEpoch", "onCellDone"] as const) {
    const value: unknown = options[name];
    checkOptionalFunction(`EnsureCellsOptions.${name}`, value);
  }
  if (options.replaceOtherSettings !== undefined) {
    checkBoolean("EnsureCellsOptions.replaceOtherSettings", options.replaceOtherSettings);
  }
}

/** What {@linkcode ensureCells} found: cells in the order asked, and those still missing. */
export interface EnsuredCells {
  /** The cells that are stored, in the order asked. */
  found: FinishedCell[];
  /** Cells asked for that are neither stored nor computed now (not chosen, or held by another
   * process that has not finished them). */
  missing: PlannedCell[];
}

/** Computes the missing cells of `cells` that `compute` chooses, then loads every stored one. */
export async function ensureCells(
  plan: ExperimentPlan,
  cells: PlannedCell[],
  options: EnsureCellsOptions,
): Promise<EnsuredCells> {
  checkEnsureCellsOptions(options);
  const log = options.log ?? console.log;
  const compute = options.compute ?? true;
  const stored = finishedCells(plan, options.resultsDir);
  const toCompute = cells.filter((cell) =>
    !stored.has(cell.key) && (typeof compute === "function" ? compute(cell) : compute)
  );
  if (toCompute.length > 0) {
    try {
      await runPlan({ ...plan, cells: toCompute }, {
        resultsDir: options.resultsDir,
        log,
        ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
        ...(options.onCellDone ? { onCellDone: options.onCellDone } : {}),
        // runPlan's guard: a chosen cell stored with other settings is refused before anything
        // is trained or written, unless asked for (until 2026-12-08 always replaced).
        replaceOtherSettings: options.replaceOtherSettings === true,
      });
    } catch (error) {
      if (!(error instanceof OtherSettingsStoredError)) throw error;
      throw withWayOut(
        error,
        "Give this plan a resultsDir of its own, or pass replaceOtherSettings: true to " +
          "ensureCells to compute them again and replace those results",
      );
    }
  }
  const finished = toCompute.length > 0 ? finishedCells(plan, options.resultsDir) : stored;
  const found: FinishedCell[] = [];
  const missing: PlannedCell[] = [];
  for (const cell of cells) {
    const result = finished.get(cell.key);
    if (result) found.push({ cell, result });
    else missing.push(cell);
  }
  return { found, missing };
}
