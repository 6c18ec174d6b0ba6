/**
 * A running cell's epoch checkpoints (`<resultsDir>/checkpoints/<cell>-<hash of its settings>`),
 * and what is kept of them once the cell is stored: the best-validation weights of a neural cell
 * at the plan's first seed (`cell_model.ts`), which analyses load instead of training again.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const dir = cellCheckpointDir("results/quick", plan, plan.cells[2]);
 * ```
 */
import { checkpointExists } from "../checkpoint/checkpoint.ts";
import {
  cellModelDir,
  type KeptTraining,
  replaceKeptModel,
  writeKeptTraining,
} from "./cell_model.ts";
import { replanWith } from "./plan.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import { isFinished, settingsOf, type StoredCellSettings } from "./stored_cells.ts";
import { pathExists, readTextIfExists } from "../util/path_exists.ts";
import { removeIfPresent } from "../util/remove_if_present.ts";

/**
 * Where a running cell checkpoints every epoch: `<resultsDir>/checkpoints/<cell>-<hash of its
 * settings>` (other settings, another folder: a changed plan never resumes a stale run).
 */
export function cellCheckpointDir(
  resultsDir: string,
  plan: ExperimentPlan,
  cell: PlannedCell,
): string {
  const name = cell.key.replace(/[^A-Za-z0-9=._-]+/g, "__");
  return `${resultsDir}/checkpoints/${name}-${fnv1aHex(JSON.stringify(settingsOf(plan, cell)))}`;
}

/**
 * Says in one line through `log` which folders under `<resultsDir>/checkpoints` belong to no cell
 * of `plan` (planned with all its cells, whatever subset `plan` holds), with their size and how to
 * remove them: the epoch checkpoints of cells whose settings changed since they ran (the name
 * carries the hash of the settings) or that the plan no longer has. They are reported, not
 * removed: a run with the earlier settings again (a default set back, an option given again, the
 * seeds asked before) resumes them, so removing them could throw away hours of training, and
 * nothing tells settings the user will not come back to. Says nothing when there is none.
 */
export function reportOrphanCheckpoints(
  resultsDir: string,
  plan: ExperimentPlan,
  log: (line: string) => void,
): void {
  const folder = `${resultsDir}/checkpoints`;
  if (!pathExists(folder)) return;
  const full = replanWith(plan, plan.selected);
  const planned = new Set(full.cells.map((cell) => cellCheckpointDir(resultsDir, full, cell)));
  const orphans: { name: string; bytes: number }[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    if (!entry.isDirectory || planned.has(`${folder}/${entry.name}`)) continue;
    try {
      orphans.push({ name: entry.name, bytes: bytesUnder(`${folder}/${entry.name}`) });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // Removed meanwhile.
    }
  }
  if (orphans.length === 0) return;
  orphans.sort((a, b) => (a.name < b.name ? -1 : 1));
  const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const total = orphans.reduce((sum, orphan) => sum + orphan.bytes, 0);
  log(
    `${orphans.length} checkpoint folder(s) under ${folder} belong to no cell of this plan (their ` +
      `cells' settings changed since, or the plan no longer has them), ${megabytes(total)}: ${
        orphans.map((orphan) => `${orphan.name} (${megabytes(orphan.bytes)})`).join(", ")
      }; kept, as a run with those settings again resumes them: delete them (rm -r ` +
      `${folder}/<folder>) if you will not go back to those settings`,
  );
}

/**
 * Bytes of the files under `path` (a file's own size): what `rm -r` frees. A link counts as
 * itself, not what it points to (`rm -r` removes the link only): followed, a dangling link threw
 * NotFound, read as "removed meanwhile", and the folder went unreported; a link to a folder above
 * recursed for ever.
 */
function bytesUnder(path: string): number {
  const info = Deno.lstatSync(path);
  if (!info.isDirectory) return info.size;
  let bytes = 0;
  for (const entry of Deno.readDirSync(path)) bytes += bytesUnder(`${path}/${entry.name}`);
  return bytes;
}

function fnv1aHex(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * Removes a finished cell's epoch checkpoints (see {@linkcode runPlannedCell}). A neural cell of
 * the plan's first seed first keeps its best-validation weights under `cellModelDir` (analyses such
 * as notebook 05's explanations load the trained model instead of training it again), staged and
 * renamed into place ({@linkcode replaceKeptModel}).
 */
export function removeCellCheckpoints(
  resultsDir: string,
  plan: ExperimentPlan,
  cell: PlannedCell,
): void {
  const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
  if (cell.system.kind === "neural" && cell.seed === plan.seeds[0]) {
    keepBestModel(checkpoints, cellModelDir(resultsDir, cell), settingsOf(plan, cell));
  }
  removeIfPresent(checkpoints);
}

/**
 * Removes the epoch checkpoints that cells of `cells` stored in `store` still have, as
 * {@linkcode removeCellCheckpoints} does (keeping the best model): a process killed between
 * storing a cell and removing them left them, and as a stored cell never runs again they stayed
 * for good (the weights and optimiser state of two epochs, and no kept model for the analyses).
 * Each is removed under the cell's claim (taken as `job`, when a batch task asks): a process
 * storing the cell now holds it until its checkpoints are gone, and is left to remove them. Says
 * each folder removed through `log`.
 */
export function removeCheckpointsOfStoredCells(
  resultsDir: string,
  plan: ExperimentPlan,
  cells: readonly PlannedCell[],
  context: { store: ResultStore; log: (line: string) => void; job?: string },
): void {
  const { store } = context;
  for (const cell of cells) {
    if (cell.waitsFor || cell.system.kind !== "neural") continue;
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    if (!pathExists(checkpoints) || !isFinished(store, plan, cell)) continue;
    if (store.claim(cell.key, context.job) !== undefined) continue; // Held: being stored now.
    try {
      if (!pathExists(checkpoints)) continue; // Removed by the process that stored it.
      removeCellCheckpoints(resultsDir, plan, cell);
      context.log(
        `${cell.key}: removed ${checkpoints}, the epoch checkpoints of the stored cell (its ` +
          "process was stopped before it removed them)",
      );
    } finally {
      store.release(cell.key);
    }
  }
}

function keepBestModel(
  checkpoints: string,
  modelDir: string,
  settings: StoredCellSettings,
): void {
  const best = `${checkpoints}/best`;
  if (!checkpointExists(best)) return;
  const { weightsFile } = JSON.parse(Deno.readTextFileSync(`${best}.json`)) as {
    weightsFile: string;
  };
  replaceKeptModel(modelDir, (staging) => {
    Deno.copyFileSync(`${checkpoints}/${weightsFile}`, `${staging}/${weightsFile}`);
    Deno.copyFileSync(`${best}.json`, `${staging}/best.json`);
    // How long it trained (the last epoch checkpoint's state), for the pages that show the model.
    // Without it (a kill between a first epoch's best and last saves, a file deleted by hand) the
    // model is kept all the same, its epochs unknown: before, the run stopped at its start on it.
    const text = readTextIfExists(`${checkpoints}/last.json`);
    const last = (text === undefined ? {} : JSON.parse(text)) as { trainerState?: KeptTraining };
    writeKeptTraining(staging, last.trainerState ?? {}, settings);
  });
}
