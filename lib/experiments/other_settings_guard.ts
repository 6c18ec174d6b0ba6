/**
 * The guard of a results folder's finished cells against a plan of other settings: a cell that
 * `runPlan` would train is stored there with other settings (a ranking, a trainer or model setting
 * changed since), and training it replaces that result. The command line guards its folders with
 * `plan.json` (cell_command.ts); a notebook's `runPlan` had no guard, and a changed option
 * retrained and overwrote every finished cell of the earlier settings. Private to the plan runner.
 *
 * @example
 * ```ts
 * const store = cellStoreOf("results/byo");
 * checkNoOtherSettingsReplaced(plan, plan.cells, store, "results/byo"); // throws when one would be
 * ```
 */
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import { isFinished, settingsOf } from "./stored_cells.ts";

/** How many of the replaced cells the error names. */
const KEYS_NAMED = 3;
/** How many differing settings the error names. */
const DIFFERENCES_NAMED = 3;

/** The end of a refusal raised before anything was trained or written. */
const NOTHING_DONE = "Nothing was trained or written";

/**
 * Thrown by `runPlan` (before anything is trained or written) when cells it would train are stored
 * in its results folder with other settings and `replaceOtherSettings` is not set; by `ensureCells`
 * and `ensureCellsInNotebook` too, its `message` naming their own ways out
 * ({@linkcode withWayOut}).
 */
export class OtherSettingsStoredError extends Error {
  /** Always `"OtherSettingsStoredError"`. */
  override name = "OtherSettingsStoredError";
  /** The refusal of `keys` in `resultsDir`: `found`, `wayOut`, then `done` in the message. */
  constructor(
    /** The results folder. */
    readonly resultsDir: string,
    /** The keys of the cells that training would replace. */
    readonly keys: readonly string[],
    /** What is stored: the folder, how many cells, a few keys and what differs. */
    readonly found: string,
    /** The ways out, as the caller that refused names them (a sentence). */
    wayOut: string,
    /** What the refusing run did before (a sentence). */
    readonly done: string = NOTHING_DONE,
  ) {
    super(
      `${found}. Training them would replace those finished results. ${wayOut}. ${done}`,
    );
  }
}

/**
 * `error` with its ways out said for another caller (`ensureCells`, a notebook), whose option or
 * folder argument is the one to name: its folder, keys and what was found kept.
 */
export function withWayOut(
  error: OtherSettingsStoredError,
  wayOut: string,
): OtherSettingsStoredError {
  return new OtherSettingsStoredError(
    error.resultsDir,
    error.keys,
    error.found,
    wayOut,
    error.done,
  );
}

/**
 * The cells of `cells` (those `runPlan` would train: not waiting for a selection) stored in
 * `store` with other settings than `plan`'s: training them replaces those results.
 */
export function cellsStoredWithOtherSettings(
  plan: ExperimentPlan,
  cells: readonly PlannedCell[],
  store: ResultStore,
): PlannedCell[] {
  return cells.filter((cell) =>
    !cell.waitsFor && store.has(cell.key) && !isFinished(store, plan, cell)
  );
}

/**
 * Throws an {@linkcode OtherSettingsStoredError} when a cell of `cells` that `runPlan` would
 * train is stored in `resultsDir` with other settings: it names the folder, how many, a few keys,
 * what differs in the first one, the two ways out, and `done`: what the run did before (default:
 * nothing was trained or written). Reads only.
 */
export function checkNoOtherSettingsReplaced(
  plan: ExperimentPlan,
  cells: readonly PlannedCell[],
  store: ResultStore,
  resultsDir: string,
  done: string = NOTHING_DONE,
): void {
  const replaced = cellsStoredWithOtherSettings(plan, cells, store);
  if (replaced.length === 0) return;
  const keys = replaced.map((cell) => cell.key);
  const named = keys.slice(0, KEYS_NAMED).join(", ") +
    (keys.length > KEYS_NAMED ? `, and ${keys.length - KEYS_NAMED} more` : "");
  const first = replaced[0];
  const differences = differingSettings(
    store.storedSettings(first.key),
    settingsOf(plan, first),
  );
  const differ = differences.length === 0
    ? ""
    : ` (${first.key}: ${differences.slice(0, DIFFERENCES_NAMED).join("; ")}${
      differences.length > DIFFERENCES_NAMED
        ? `; ${differences.length - DIFFERENCES_NAMED} more`
        : ""
    })`;
  throw new OtherSettingsStoredError(
    resultsDir,
    keys,
    `${resultsDir}: ${
      replaced.length === 1 ? "1 cell" : `${replaced.length} of the cells`
    } this plan would train ${replaced.length === 1 ? "is" : "are"} stored there with ` +
      `other settings: ${named}${differ}`,
    "Give this plan a resultsDir of its own, or pass replaceOtherSettings: true to runPlan to " +
      "train them again and replace those results",
    done,
  );
}

/**
 * The settings that differ between a stored cell's and the plan's, each as
 * `path: <stored> stored, <planned> planned` (a setting one side lacks reads "not set").
 */
export function differingSettings(stored: unknown, planned: unknown, path = ""): string[] {
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value);
  if (isRecord(stored) && isRecord(planned)) {
    const names = [...new Set([...Object.keys(stored), ...Object.keys(planned)])];
    return names.flatMap((name) =>
      differingSettings(stored[name], planned[name], path === "" ? name : `${path}.${name}`)
    );
  }
  if (JSON.stringify(stored) === JSON.stringify(planned)) return [];
  return [`${path || "settings"}: ${shown(stored)} stored, ${shown(planned)} planned`];
}

/** A setting's value in the error, cut to a readable length. */
function shown(value: unknown): string {
  if (value === undefined) return "not set";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
