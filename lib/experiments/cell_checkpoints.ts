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
import { cellModelDir, KEPT_TRAINING_FILE, replaceKeptModel } from "./cell_model.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import { isFinished, settingsOf } from "./stored_cells.ts";
import { pathExists } from "../util/path_exists.ts";

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
    keepBestModel(checkpoints, cellModelDir(resultsDir, cell));
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

function keepBestModel(checkpoints: string, modelDir: string): void {
  const best = `${checkpoints}/best`;
  if (!checkpointExists(best)) return;
  const { weightsFile } = JSON.parse(Deno.readTextFileSync(`${best}.json`)) as {
    weightsFile: string;
  };
  replaceKeptModel(modelDir, (staging) => {
    Deno.copyFileSync(`${checkpoints}/${weightsFile}`, `${staging}/${weightsFile}`);
    Deno.copyFileSync(`${best}.json`, `${staging}/best.json`);
    // How long it trained (the last epoch checkpoint's state), for the pages that show the model.
    const last = JSON.parse(Deno.readTextFileSync(`${checkpoints}/last.json`)) as {
      trainerState?: { epochsDone?: number; bestEpoch?: number };
    };
    const { epochsDone, bestEpoch } = last.trainerState ?? {};
    Deno.writeTextFileSync(
      `${staging}/${KEPT_TRAINING_FILE}`,
      JSON.stringify({ epochsDone, bestEpoch }),
    );
  });
}

function removeIfPresent(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
