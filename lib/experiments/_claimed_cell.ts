/**
 * One cell's run inside `runPlan` (run_plan.ts), once the cell is claimed: stored meanwhile,
 * reused, trained or diverged, then stored. The training is a parameter (`runPlannedCell` in a
 * run), so that a test can make a selection trial diverge where the plan's settings would not.
 */
import { loggedCellWork } from "./_cell_work_lines.ts";
import { checkCellResult } from "./cell_result_check.ts";
import { removeCellCheckpoints } from "./cell_checkpoints.ts";
import { TrainingDivergedError } from "../train/config.ts";
import type { EpochProgress } from "../train/progress.ts";
import type { PreparedDataset } from "./datasets.ts";
import { HeldClaim } from "./held_claim.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import { cellEnvironment, type CellEpochCallbacks, type CellResult } from "./run_cell.ts";
import { reuseSameRun, settingsOf } from "./stored_cells.ts";

/** Trains and evaluates one cell of a plan: the signature of `runPlannedCell` (run_plan.ts). */
export type CellTraining = (
  plan: ExperimentPlan,
  cell: PlannedCell,
  data: PreparedDataset,
  epochs: CellEpochCallbacks,
  resultsDir?: string,
) => Promise<CellResult>;

/** What {@linkcode runClaimedCell} runs a cell with: the same for every cell of a run. */
export interface ClaimedCellContext {
  /** The store of the plan's cells, where the cell is claimed. */
  store: ResultStore;
  /** The prepared dataset of a cell (prepared once per run). */
  datasetOf: (cell: PlannedCell) => Promise<PreparedDataset>;
  /** Trains and evaluates the cell. */
  train: CellTraining;
  /** Per-epoch progress of a neural cell (the claim's heartbeat is checked besides). */
  onEpoch: (cell: PlannedCell, progress: EpochProgress) => void;
  /** Progress lines. */
  log: (line: string) => void;
  /** The reproduction's directory: the cell's epoch checkpoints are under it. */
  resultsDir: string;
}

/**
 * Runs `cell`, which this process has claimed, and stores its result; undefined when it needs no
 * training: another process finished it meanwhile (checked under the claim), or it is the same run
 * as a finished cell (reused). The claim's heartbeat runs meanwhile ({@linkcode HeldClaim}): once
 * another process has taken the claim over, the cell stops at its next epoch end (or before it is
 * stored) with `ClaimLostError`, having written nothing more. A selection trial that diverges is
 * stored as such (metrics 0, left out of the selection); any other failure propagates.
 */
export async function runClaimedCell(
  current: ExperimentPlan,
  cell: PlannedCell,
  context: ClaimedCellContext,
): Promise<CellResult | undefined> {
  const { store, log } = context;
  const held = new HeldClaim(store, cell.key, log);
  try {
    const settings = settingsOf(current, cell);
    if (store.get(cell.key, settings, checkCellResult)) return undefined;
    if (reuseSameRun(store, cell, settings)) {
      log(`${cell.key}: the same run as ${cell.sameAs} (reused)`);
      return undefined;
    }
    const data = await context.datasetOf(cell);
    let result: CellResult;
    try {
      result = await context.train(current, cell, data, {
        afterEpoch: () => held.check(),
        onProgress: (progress) => context.onEpoch(cell, progress),
        ...loggedCellWork(log),
      }, context.resultsDir);
    } catch (error) {
      if (!(error instanceof TrainingDivergedError) || !cell.trial) throw error;
      log(`${cell.key}: diverged (${error.message}); the selection leaves this trial out`);
      result = divergedResult(cell, error);
    }
    // The evaluation after the training takes minutes on large cells: the claim may be lost then.
    held.check();
    store.put(cell.key, settings, result);
    removeCellCheckpoints(context.resultsDir, current, cell);
    return result;
  } finally {
    held.stop();
  }
}

/** The stored result of a trial that diverged (metrics 0): the selection leaves it out. */
function divergedResult(cell: PlannedCell, error: Error): CellResult {
  const zero = { "NDCG@10": 0, "HR@10": 0 };
  return {
    system: cell.systemName,
    dataset: cell.datasetLabel,
    seed: cell.seed,
    valid: zero,
    test: zero,
    users: [],
    perUserTest: { "NDCG@10": [], "HR@10": [] },
    protocol: {} as CellResult["protocol"],
    bestEpoch: 0,
    epochsRun: 0,
    maxEpochs: cell.training.maxEpochs ?? 0,
    capBound: false,
    trainSeconds: 0,
    meanStepSeconds: 0,
    history: [],
    diverged: error.message,
    environment: cellEnvironment(),
  };
}
