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
import type { PreparedDataset } from "./datasets.ts";
import type { CellResult } from "./run_cell.ts";

/** A stored cell computed on other data than the dataset a run reads now. */
export class StaleCellError extends Error {
  /** Always `"StaleCellError"`. */
  override name = "StaleCellError";
}

/**
 * The dataset fingerprint a cell's protocol card records (`..., fingerprint <hex>`), or undefined
 * when it records none (a diverged trial's empty card).
 */
export function recordedFingerprint(result: CellResult): string | undefined {
  return /fingerprint ([0-9a-f]+)$/.exec(result.protocol?.dataset ?? "")?.[1];
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
  const recorded = recordedFingerprint(stored);
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
