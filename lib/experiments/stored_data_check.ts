/**
 * Whether a stored cell was computed on the data a run now reads. An imported dataset is read from
 * files that can change under the same path between two runs into one results folder; a cell
 * stored from the earlier files must then be neither reused nor reported next to the new files'
 * statistics (a 300-user file's cells were reported under a 140-user file's statistics, and
 * paired tests over 300 users next to "users 140"). Embedded data cannot change under a run:
 * MovieLens is checked against its manifest's hashes, the synthetic data is its configuration,
 * which is part of each cell's settings.
 *
 * @example
 * ```ts
 * checkStoredCellData(stored, store.pathOf(cell.key), await prepareDataset(cell.dataset), dir);
 * ```
 */
import { FINGERPRINT_HEX_DIGITS, isDatasetFingerprint } from "../data/fingerprint.ts";
import type { PreparedDataset } from "./datasets.ts";
import type { CellResult } from "./run_cell.ts";

/**
 * A stored cell computed on other data than the dataset a run reads now, or whose record of that
 * data was altered: its one line says what to do (reproduce prints no stack for it).
 */
export class StaleCellError extends Error {
  /** Always `"StaleCellError"`. */
  override name = "StaleCellError";
}

/** The word before the fingerprint at the end of a protocol card's dataset line. */
const FINGERPRINT_WORD = "fingerprint";

/**
 * The dataset fingerprint a cell's protocol card records (`..., fingerprint <hex>`), or undefined
 * when it records none (a diverged trial's empty card). A fingerprint that is there but not as
 * the code writes it (16 lowercase hex digits, at the end of the line) throws, naming `path` (the
 * cell's file) and the field: read as "none", an uppercase or otherwise altered one let a cell of
 * other data through.
 */
export function recordedFingerprint(result: CellResult, path: string): string | undefined {
  const line = result.protocol?.dataset ?? "";
  // The last mention, in any case: a dataset's name may contain the word, and the fingerprint
  // ends the line.
  const at = [...line.matchAll(new RegExp(FINGERPRINT_WORD, "gi"))].at(-1)?.index;
  if (at === undefined) return undefined;
  const recorded = line.slice(at);
  const value = recorded.slice(`${FINGERPRINT_WORD} `.length);
  if (recorded.startsWith(`${FINGERPRINT_WORD} `) && isDatasetFingerprint(value)) return value;
  throw new StaleCellError(
    `${path}: protocol.dataset records "${recorded}", expected "${FINGERPRINT_WORD} " and ` +
      `${FINGERPRINT_HEX_DIGITS} lowercase hex digits at the end, as a run writes it: restore ` +
      "the file as the run wrote it, or delete it to rerun its cell",
  );
}

/**
 * Throws a {@linkcode StaleCellError} naming the cell's file, both fingerprints and what to do
 * when `stored` (the cell file at `path` under `resultsDir`) was computed on other data than
 * `data`.
 */
export function checkStoredCellData(
  stored: CellResult,
  path: string,
  data: PreparedDataset,
  resultsDir: string,
): void {
  const recorded = recordedFingerprint(stored, path);
  const dataset = data.split.dataset;
  const now = dataset.metadata.fingerprint;
  if (recorded === undefined || recorded === now) return;
  throw new StaleCellError(
    `${path} was computed on ${stored.protocol.dataset}; the data read now from ` +
      `${dataset.metadata.source} has ${dataset.numUsers} users, ${dataset.numItems} items, ` +
      `fingerprint ${now} (after the protocol's filtering): the files changed since. Run into ` +
      `another results folder ` +
      `(--results), or delete ${resultsDir} to rerun its cells on the files as they are`,
  );
}
