/**
 * Whether each cell of a plan is stored with the plan's settings, by any process sharing the
 * results folder, exactly as {@linkcode isFinished} says it now: runPlan's choice of the next cell,
 * asked before each cell. A wrong answer there skips a cell, or (a finished one taken for
 * unfinished: its claim finds it stored and runs nothing) chooses it again without end, so each
 * cell's file is read every time (as isFinished read it); only its parsing and check are skipped
 * when its text is the text last parsed, with the same settings. The full plan's 208 files (15.7
 * MB) took 430-520 ms a choice to read, parse and check; 130-160 ms to read and compare.
 *
 * Not the place count's stat of each file (`PlanPlaceCount`: inode, size and modification time):
 * a file rewritten in place to its earlier size and modification time (`cp -p` over it) passes
 * there for the file read, as Deno gives the status change time (ctime) in whole seconds only.
 */
import { canonicalJson } from "../util/json_differences.ts";
import { readTextIfExists } from "../util/path_exists.ts";
import { checkCellResult } from "./cell_result_check.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import { isFinished, settingsOf } from "./stored_cells.ts";

/** A cell file's text as last parsed, and what it said with the settings compared. */
interface ParsedText {
  text: string;
  /** The settings it was compared with (canonical JSON). */
  settings: string;
  /** Whether it held the cell with those settings. */
  finished: boolean;
}

/** The finished cells of plans in one store, each file parsed again only when its text changed. */
export class FinishedCellTexts {
  readonly #store: ResultStore;
  /** By file path: the text as last parsed. */
  readonly #parsed = new Map<string, ParsedText>();

  /** Looks in `store`. */
  constructor(store: ResultStore) {
    this.#store = store;
  }

  /**
   * Whether `cell` of `plan` is stored now with `plan`'s settings: what `isFinished` says, its
   * errors (a file that cannot be read, parsed or checked) included.
   */
  isFinished(plan: ExperimentPlan, cell: PlannedCell): boolean {
    const path = this.#store.pathOf(cell.key);
    const text = readTextIfExists(path);
    if (text === undefined) return false;
    const settings = canonicalJson(settingsOf(plan, cell));
    const parsed = this.#parsed.get(path);
    if (parsed && parsed.settings === settings && parsed.text === text) return parsed.finished;
    const finished = finishedIn(text, cell.key, settings);
    // Anything ResultStore.get would refuse: asked of it, so that its error is the one thrown.
    if (finished === undefined) return isFinished(this.#store, plan, cell);
    this.#parsed.set(path, { text, settings, finished });
    return finished;
  }
}

/**
 * What `ResultStore.get(key, settings, checkCellResult)` finds in a cell file of `text`: whether
 * it holds the cell's result with those settings; undefined where it would throw (text that is
 * not JSON, JSON that is no object or of another key, a result of the wrong shape).
 */
function finishedIn(text: string, key: string, settings: string): boolean | undefined {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return undefined;
  const cell = stored as { key?: unknown; settings?: unknown; result?: unknown };
  if (cell.key !== key) return undefined;
  if (canonicalJson(cell.settings) !== settings) return false;
  try {
    return checkCellResult(cell.result) !== undefined;
  } catch {
    return undefined;
  }
}
