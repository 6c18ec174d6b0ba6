/**
 * A reproduction folder's stored cells (`<resultsDir>/cells`, one file each, `result_store.ts`):
 * where they and the selection live, the settings a stored cell must match to count as finished,
 * the one read of a finished cell that every view goes through ({@linkcode readFinishedCell}), and
 * the reuse of an identical finished run.
 *
 * @example
 * ```ts
 * const dir = "results-of-record/full";
 * const finished = finishedCells(planOfResults("full", dir), dir);
 * ```
 */
import { checkCellResult } from "./cell_result_check.ts";
import { removeStaleTemporaries } from "../data/atomic_write.ts";
import type { PreparedDataset } from "./datasets.ts";
import { replanWith } from "./plan.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import { ResultStore } from "./result_store.ts";
import type { CellResult } from "./run_cell.ts";
import { readSelected } from "./selection.ts";
import { checkStoredCellData } from "./stored_data_check.ts";
import { protocolWithObjective } from "./training_objective.ts";
import { pathExists } from "../util/path_exists.ts";

/** Where the finished cells of a reproduction directory (`results/<mode>`) are stored. */
export function cellsDirectory(resultsDir: string): string {
  return `${resultsDir}/cells`;
}

/**
 * The store of a reproduction directory's cells ({@linkcode cellsDirectory}). Opening it sweeps
 * what writers killed mid-write left in the directory itself (temporaries of `selected.json`,
 * `plan.json` and the report's files), as the store sweeps its cells folder: the same rule, other
 * processes' temporaries older than `STALE_TEMPORARY_SECONDS` (lib/data/atomic_write.ts). Before,
 * only the cells folder was swept.
 */
export function cellStoreOf(resultsDir: string): ResultStore {
  const store = new ResultStore(cellsDirectory(resultsDir));
  removeStaleTemporaries(resultsDir);
  return store;
}

/**
 * The store of a reproduction directory's cells for code that only reads them, or undefined when
 * the directory has no cells folder (nothing was ever stored there): opening a store creates its
 * folder ({@linkcode cellStoreOf}), so a notebook's view, a listing or a check that only looked
 * would leave an empty `cells` folder behind. Writers open {@linkcode cellStoreOf}.
 */
export function existingCellStoreOf(resultsDir: string): ResultStore | undefined {
  return pathExists(cellsDirectory(resultsDir)) ? cellStoreOf(resultsDir) : undefined;
}

/** Where the selected configurations of a reproduction directory are stored. */
export function selectedPath(resultsDir: string): string {
  return `${resultsDir}/selected.json`;
}

/** Everything that decides a cell's numbers (stored with its result). */
export interface StoredCellSettings {
  /** The cell's dataset. */
  dataset: PlannedCell["dataset"];
  /** The cell's system. */
  system: PlannedCell["system"];
  /** The cell's seed. */
  seed: number;
  /** The cell's model settings (the plan's, with the cell's dropout). */
  model: PlannedCell["model"];
  /** The cell's trainer settings. */
  training: PlannedCell["training"];
  /** Whether the attribution is scored against the planted truth. */
  scoreAttribution: boolean;
}

/** Everything that decides a cell's numbers; a stored cell is reused only when this matches. */
export function settingsOf(_plan: ExperimentPlan, cell: PlannedCell): StoredCellSettings {
  return {
    dataset: cell.dataset,
    system: cell.system,
    seed: cell.seed,
    model: cell.model,
    training: cell.training,
    scoreAttribution: cell.scoreAttribution,
  };
}

/**
 * The finished result of `key` run with `settings` as every view shows it, or undefined when none
 * is stored with these settings: the stored result (its shape checked, `checkCellResult`) with its
 * protocol card's loss line naming the whole training objective of `settings.system`
 * (`protocolWithObjective`). Records written before 2026-12-07 (the results of record among them)
 * name L_rec alone on their card; they are completed here, where they are read, so that a notebook,
 * the report or a listing shows a contrastive system's whole objective, and the file is neither
 * edited nor rewritten. A card that names it already is returned as stored.
 *
 * Code that writes a stored result back (`reuseSameRun`) or compares its metrics (the verification)
 * reads it as stored (`store.get`), so that what it writes is byte for byte what it wrote before.
 *
 * @example
 * ```ts
 * const dir = "results-of-record/full";
 * const plan = planOfResults("full", dir);
 * const cell = plan.cells.find((c) => c.key === "full/MovieLens/Demure-SASRec/seed=0")!;
 * const result = readFinishedCell(existingCellStoreOf(dir)!, cell.key, settingsOf(plan, cell));
 * result?.protocol.loss; // "cross-entropy over all items, all positions + lambda 0.02 × L_cl, ..."
 * ```
 */
export function readFinishedCell(
  store: ResultStore,
  key: string,
  settings: StoredCellSettings,
): CellResult | undefined {
  const stored = store.get(key, settings, checkCellResult);
  if (stored === undefined) return undefined;
  return { ...stored, protocol: protocolWithObjective(stored.protocol, settings.system) };
}

/**
 * The finished cells of `plan` under `resultsDir`, by cell key: the ones whose stored settings
 * match the plan's (what {@linkcode runPlan} would reuse). Runs nothing, and creates no folder
 * where nothing is stored ({@linkcode existingCellStoreOf}).
 *
 * @example
 * ```ts
 * const finished = finishedCells(planOfResults("full", "results-of-record/full"), "results-of-record/full");
 * finished.get("full/Synthetic/Demure-SASRec/seed=0")?.test["NDCG@10"];
 * ```
 */
export function finishedCells(plan: ExperimentPlan, resultsDir: string): Map<string, CellResult> {
  const finished = new Map<string, CellResult>();
  const store = existingCellStoreOf(resultsDir);
  if (!store) return finished;
  // The folder's selection may have advanced since `plan` was built: cells that waited for it
  // are looked up with the settings they have now.
  const current = replanWith(plan, {
    ...plan.selected,
    ...readSelected(selectedPath(resultsDir)),
  });
  const asked = new Set(plan.cells.map((cell) => cell.key));
  for (const cell of current.cells) {
    if (cell.waitsFor || !asked.has(cell.key)) continue;
    const result = readFinishedCell(store, cell.key, settingsOf(current, cell));
    if (result) finished.set(cell.key, result);
  }
  return finished;
}

/**
 * When `cell` is the same run as a finished cell (`cell.sameAs`, identical settings), stores that
 * record under `cell.key` and returns it; else undefined. Relabelled as the cell a fresh run would
 * write, so that a reused cell and a rerun one are the same record. Both the plan runner and the
 * one-cell command (what a batch scheduler runs) reuse through here: a rerun would cost a whole
 * training, and under another BLAS thread count it would not even be the same numbers.
 */
export function reuseSameRun(
  store: ResultStore,
  cell: PlannedCell,
  settings: StoredCellSettings,
): CellResult | undefined {
  const same = cell.sameAs ? store.get(cell.sameAs, settings, checkCellResult) : undefined;
  if (!same) return undefined;
  return store.put(cell.key, settings, {
    ...same,
    system: cell.systemName,
    protocol: { ...same.protocol, model: cell.systemName },
  });
}

/** Whether `cell` of `plan` is stored, with `plan`'s settings, by any process. */
export function isFinished(store: ResultStore, plan: ExperimentPlan, cell: PlannedCell): boolean {
  return store.get(cell.key, settingsOf(plan, cell), checkCellResult) !== undefined;
}

/**
 * Whether `cell` will be stored without training: it is the same run as a finished cell
 * (`cell.sameAs`, whose record has the cell's settings). Estimates count such a cell as free.
 */
export function isReusable(store: ResultStore, plan: ExperimentPlan, cell: PlannedCell): boolean {
  return cell.sameAs !== undefined &&
    store.get(cell.sameAs, settingsOf(plan, cell), checkCellResult) !== undefined;
}

/**
 * Throws a {@linkcode StaleCellError} when a finished cell of an imported dataset under
 * `resultsDir` was computed on other data than its files read as now (stored_data_check.ts).
 * Reads the data (through `datasetOf`) only when such a cell is stored; creates no folder.
 */
export async function checkStoredData(
  plan: ExperimentPlan,
  resultsDir: string,
  datasetOf: (cell: PlannedCell) => Promise<PreparedDataset>,
): Promise<void> {
  const store = existingCellStoreOf(resultsDir);
  if (!store) return;
  for (const cell of plan.cells) {
    if (cell.dataset.kind !== "file" || cell.waitsFor) continue;
    const stored = store.get(cell.key, settingsOf(plan, cell), checkCellResult);
    if (stored) {
      checkStoredCellData(stored, store.pathOf(cell.key), await datasetOf(cell), resultsDir);
    }
  }
}
