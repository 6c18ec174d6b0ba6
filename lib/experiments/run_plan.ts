/**
 * Runs an experiment plan cell by cell with progress and an estimate of the time left. Finished
 * cells are stored (one file each) and skipped on the next run, so a run that stops part-way
 * resumes where it stopped.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const { cells, datasets } = await runPlan(plan, { resultsDir: "results/quick" });
 * ```
 */
import { datasetLabel, prepareDataset, type PreparedDataset } from "./datasets.ts";
import type { ExperimentPlan, PlannedCell } from "./plan.ts";
import { ResultStore } from "./result_store.ts";
import { type CellResult, runCell } from "./run_cell.ts";
import type { EpochProgress } from "../train/progress.ts";

/** Options of {@linkcode runPlan}. */
export interface RunPlanOptions {
  /** The reproduction's directory (`results/<mode>`); cells are stored under `<resultsDir>/cells`. */
  resultsDir: string;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
  /** false: only collect the finished cells, run nothing (a report of a partial run). */
  runPending?: boolean;
  /** Per-epoch progress of neural cells (default: an indented line per epoch). */
  onEpoch?: (cell: PlannedCell, progress: EpochProgress) => void;
}

/** Finished cells and the datasets they ran on (by label). */
export interface PlanOutcome {
  /** The finished cells of the plan, in plan order. */
  cells: CellResult[];
  /** Keys of the plan's cells that have not finished: not run (`runPending: false`), or still
   * running in another process. */
  pending: string[];
  /** The prepared datasets by label. */
  datasets: Map<string, PreparedDataset>;
}

/** Rough wall time of a cell measured on this machine kind (2 cores, wasm + OpenBLAS, two processes). */
export function estimatedCellSeconds(plan: ExperimentPlan, cell: PlannedCell): number {
  if (cell.system.kind !== "neural") return plan.mode === "quick" ? 2 : 5;
  if (plan.mode === "quick") return cell.dataset.kind === "movielens" ? 25 : 8;
  // 30 epochs; MovieLens: about 8 s per epoch of a plain model, 50 s per epoch of Demure (an
  // attribution pass every 10 steps plus two more backbone passes per step).
  const base = cell.dataset.kind === "movielens" ? 240 : 120;
  const objective = {
    full: cell.dataset.kind === "movielens" ? 6 : 2,
    attribution_only: 2.5,
    contrastive_only: 1.5,
  };
  const factor = cell.system.demure
    ? objective[cell.system.demure.variant ?? "full"]
    : cell.system.cl4srec
    ? 1.6
    : 1;
  return base * factor + (cell.scoreAttribution ? 90 : 0);
}

/** Where the finished cells of a reproduction directory (`results/<mode>`) are stored. */
export function cellsDirectory(resultsDir: string): string {
  return `${resultsDir}/cells`;
}

/**
 * The finished cells of `plan` under `resultsDir`, by cell key: the ones whose stored settings
 * match the plan's (what {@linkcode runPlan} would reuse). Runs nothing.
 *
 * @example
 * ```ts
 * const finished = finishedCells(planExperiments("full"), "results/full");
 * finished.get("full/Synthetic/Demure-SASRec/seed=0")?.test["NDCG@10"];
 * ```
 */
export function finishedCells(plan: ExperimentPlan, resultsDir: string): Map<string, CellResult> {
  const store = new ResultStore(cellsDirectory(resultsDir));
  const finished = new Map<string, CellResult>();
  for (const cell of plan.cells) {
    const result = store.get<CellResult>(cell.key, settingsOf(plan, cell));
    if (result) finished.set(cell.key, result);
  }
  return finished;
}

/** Everything that decides a cell's numbers (stored with its result). */
export interface StoredCellSettings {
  /** The cell's dataset. */
  dataset: PlannedCell["dataset"];
  /** The cell's system. */
  system: PlannedCell["system"];
  /** The cell's seed. */
  seed: number;
  /** The plan's model settings. */
  model: ExperimentPlan["model"];
  /** The cell's trainer settings. */
  training: PlannedCell["training"];
  /** Whether the attribution is scored against the planted truth. */
  scoreAttribution: boolean;
}

/** Everything that decides a cell's numbers; a stored cell is reused only when this matches. */
export function settingsOf(plan: ExperimentPlan, cell: PlannedCell): StoredCellSettings {
  return {
    dataset: cell.dataset,
    system: cell.system,
    seed: cell.seed,
    model: plan.model,
    training: cell.training,
    scoreAttribution: cell.scoreAttribution,
  };
}

/** The indented per-epoch progress line of a neural cell. */
export function epochLine(progress: EpochProgress): string {
  return `    epoch ${progress.epoch}/${progress.maxEpochs} loss ${progress.loss.toFixed(4)}` +
    ` valid NDCG@10 ${progress.validation?.["NDCG@10"]?.toFixed(4) ?? "-"}` +
    ` (${progress.epochSeconds.toFixed(1)} s)`;
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
 * Trains and evaluates one cell of `plan` on its prepared dataset with the plan's settings: the one
 * call that both {@linkcode runPlan} and a single-cell command (`reproduce --cell`) make. With
 * `resultsDir`, a neural cell checkpoints every epoch under {@linkcode cellCheckpointDir} and
 * resumes from there after a kill (bit-identical to an uninterrupted run; at most one epoch is
 * lost); the checkpoints are removed once the result is stored (by the caller,
 * {@linkcode removeCellCheckpoints}).
 */
export function runPlannedCell(
  plan: ExperimentPlan,
  cell: PlannedCell,
  data: PreparedDataset,
  onProgress: (progress: EpochProgress) => void,
  resultsDir?: string,
): Promise<CellResult> {
  const checkpointDir = resultsDir !== undefined && cell.system.kind === "neural"
    ? cellCheckpointDir(resultsDir, plan, cell)
    : undefined;
  return runCell(data, cell.system, cell.systemName, {
    seed: cell.seed,
    model: plan.model,
    training: checkpointDir ? { ...cell.training, checkpointDir } : cell.training,
    scoreAttribution: cell.scoreAttribution,
    onProgress,
  });
}

/** Removes a finished cell's epoch checkpoints (see {@linkcode runPlannedCell}). */
export function removeCellCheckpoints(
  resultsDir: string,
  plan: ExperimentPlan,
  cell: PlannedCell,
): void {
  try {
    Deno.removeSync(cellCheckpointDir(resultsDir, plan, cell), { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function formatMinutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

/** Runs every cell not yet stored; returns all cells of the plan. */
export async function runPlan(plan: ExperimentPlan, options: RunPlanOptions): Promise<PlanOutcome> {
  const log = options.log ?? console.log;
  const store = new ResultStore(cellsDirectory(options.resultsDir));
  const datasets = new Map<string, PreparedDataset>();
  const datasetOf = async (cell: PlannedCell) => {
    const known = datasets.get(datasetLabel(cell.dataset));
    if (known) return known;
    const prepared = await prepareDataset(cell.dataset);
    datasets.set(prepared.label, prepared);
    log(`dataset ${prepared.label}\n${prepared.statistics}\n${prepared.split.protocol.join("\n")}`);
    return prepared;
  };
  const pending = plan.cells.filter((cell) =>
    store.get<CellResult>(cell.key, settingsOf(plan, cell)) === undefined
  );
  const expected = pending.reduce((s, cell) => s + estimatedCellSeconds(plan, cell), 0);
  log(
    `${plan.mode} reproduction: ${plan.cells.length} cells, ` +
      `${
        plan.cells.length - pending.length
      } already finished (resumed from ${options.resultsDir}); ` +
      `expected wall time about ${formatMinutes(expected)} on a 2-core machine ` +
      "(processes started on the same results share the cells)",
  );
  const started = performance.now();
  let done = 0;
  let expectedDone = 0;
  for (const cell of options.runPending === false ? [] : pending) {
    const settings = settingsOf(plan, cell);
    const holder = store.claim(cell.key);
    if (holder) {
      log(
        `skip ${cell.key}: running in process ${holder.pid} on ${holder.hostname} since ${holder.since}`,
      );
      continue;
    }
    let result: CellResult;
    const cellStart = performance.now();
    const stopHeartbeat = store.keepAlive(cell.key);
    try {
      // Checked under the claim: another process may have finished the cell since this run began.
      if (store.get<CellResult>(cell.key, settings)) continue;
      const data = await datasetOf(cell);
      result = await runPlannedCell(
        plan,
        cell,
        data,
        (progress) => {
          store.heartbeat(cell.key);
          options.onEpoch ? options.onEpoch(cell, progress) : log(epochLine(progress));
        },
        options.resultsDir,
      );
      store.put(cell.key, settings, result);
      removeCellCheckpoints(options.resultsDir, plan, cell);
    } finally {
      stopHeartbeat();
      store.release(cell.key);
    }
    done++;
    expectedDone += estimatedCellSeconds(plan, cell);
    const elapsed = (performance.now() - started) / 1000;
    const left = elapsed / expectedDone * (expected - expectedDone);
    log(
      `[${done}/${pending.length}] ${cell.key}: test NDCG@10 ${
        result.test["NDCG@10"].toFixed(4)
      } ` +
        `HR@10 ${result.test["HR@10"].toFixed(4)} (${
          formatMinutes((performance.now() - cellStart) / 1000)
        }; about ${formatMinutes(left)} left)`,
    );
  }
  for (const cell of plan.cells) await datasetOf(cell);
  // Read back from the store, so cells that other processes finished meanwhile are included.
  const cells: CellResult[] = [];
  const pendingKeys: string[] = [];
  for (const cell of plan.cells) {
    const result = store.get<CellResult>(cell.key, settingsOf(plan, cell));
    if (result) cells.push(result);
    else pendingKeys.push(cell.key);
  }
  return { cells, datasets, pending: pendingKeys };
}
