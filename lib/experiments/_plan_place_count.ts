/**
 * How many cells of a plan are stored with the plan's settings, by any process sharing the
 * results folder: the place runPlan's lines give a cell (`[5/16]`), counted again when each cell
 * starts and when it finishes. Counting only this process's cells would miss those of other
 * processes (docs/scale.md: the numbers climb through the plan whichever process prints them), so
 * the store is looked at each time; but a stored cell's file is read (and its settings compared)
 * once, and again only when the file is replaced: each count is one listing of the folder and a
 * stat of each stored planned cell, where it read every planned cell's file (the full plan's 209
 * files are 15.7 MB, read twice per cell).
 */
import { canonicalJson } from "../util/json_differences.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import { isFinished, settingsOf } from "./stored_cells.ts";

/** A cell file as it was when read, and whether it held the cell with the settings compared. */
interface SeenFile {
  /** Inode, size and modification time: an atomic write (a rename) always gives a new inode. */
  identity: string;
  /** The settings it was compared with (canonical JSON). */
  settings: string;
  /** Whether it held the cell with those settings ({@linkcode isFinished}). */
  finished: boolean;
}

/** Counts the finished cells of a plan in one store, reading each cell file once until it changes. */
export class PlanPlaceCount {
  readonly #store: ResultStore;
  /** By file path: the file as last read. */
  readonly #seen = new Map<string, SeenFile>();

  /** Counts in `store`. */
  constructor(store: ResultStore) {
    this.#store = store;
  }

  /**
   * The cells of `plan` (those not waiting for a selection) stored now with `plan`'s settings, by
   * any process: what `isFinished` says of each, as the count read them all before.
   */
  finished(plan: ExperimentPlan): number {
    const present = this.#fileNames();
    let count = 0;
    for (const cell of plan.cells) {
      if (!cell.waitsFor && this.#isFinished(plan, cell, present)) count++;
    }
    return count;
  }

  /**
   * The names of the store folder's files now (none when the folder is gone); undefined when the
   * folder cannot be listed though its files may be readable (no read permission on it, only
   * search): each cell's file is then looked at, as before.
   */
  #fileNames(): Set<string> | undefined {
    try {
      return new Set([...Deno.readDirSync(this.#store.directory)].map((entry) => entry.name));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return new Set();
      return undefined;
    }
  }

  /** {@linkcode isFinished}, the file read only when it is new or changed since last read. */
  #isFinished(plan: ExperimentPlan, cell: PlannedCell, present: Set<string> | undefined): boolean {
    const path = this.#store.pathOf(cell.key);
    // A cell file not listed is not stored: isFinished would find nothing to read.
    if (present && !present.has(path.slice(path.lastIndexOf("/") + 1))) return false;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch (error) {
      // Removed since the listing: as isFinished reading no file.
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
    // Without an inode number or a modification time (not on Linux or macOS), read each time.
    if (info.ino === null || info.mtime === null) return isFinished(this.#store, plan, cell);
    const identity = `${info.ino}:${info.size}:${info.mtime.getTime()}`;
    const settings = canonicalJson(settingsOf(plan, cell));
    const seen = this.#seen.get(path);
    if (seen && seen.identity === identity && seen.settings === settings) return seen.finished;
    const finished = isFinished(this.#store, plan, cell);
    this.#seen.set(path, { identity, settings, finished });
    return finished;
  }
}
