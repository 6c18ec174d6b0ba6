/**
 * Runs an experiment plan cell by cell with progress and an estimate of the time left. Finished
 * cells are stored (one file each) and skipped on the next run, so a run that stops part-way
 * resumes where it stopped.
 *
 * The selection is staged: after each finished selection trial the runner derives the selected
 * configurations from the stored trials (`<resultsDir>/selected.json`), rebuilds the plan, and the
 * cells that waited for a selection become runnable. The next cell is always the first runnable
 * one of the current plan, so the plan's order is the priority order.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const { cells, datasets } = await runPlan(plan, { resultsDir: "results/quick" });
 * ```
 */
import { checkCellResult } from "./cell_result_check.ts";
import { cellCheckpointDir, removeCellCheckpoints } from "./cell_checkpoints.ts";
import { TrainingDivergedError } from "../train/config.ts";
import type { EpochProgress } from "../train/progress.ts";
import {
  datasetLabel,
  type DatasetSpec,
  prepareDataset,
  type PreparedDataset,
} from "./datasets.ts";
import { replanWith } from "./plan.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import { ResultStore } from "./result_store.ts";
import {
  cellEnvironment,
  type CellResult,
  denoisingNeverStarted,
  endedWithBackboneWeights,
  lastWarmupEpoch,
  runCell,
} from "./run_cell.ts";
import type { SelectedConfigurations } from "./selection.ts";
import { writeSelection } from "./selection_record.ts";
import {
  cellsDirectory,
  checkStoredData,
  isReusable,
  reuseSameRun,
  settingsOf,
} from "./stored_cells.ts";
import { InterruptedError } from "../util/interrupt.ts";
import { checkSettingNames, type SettingNames } from "../util/settings.ts";

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
  /**
   * When every runnable cell is held by another process, wait for them (polling every
   * `waitSeconds`) instead of returning, so the cells that wait for their selection still run
   * here. Default false.
   */
  waitForOthers?: boolean;
  /** Seconds between polls when waiting for other processes. Default 20. */
  waitSeconds?: number;
  /**
   * A cell that fails is logged and listed in `failed`, and the run goes on with the next cell
   * (long unattended runs). Default false: the error propagates.
   */
  continueOnFailure?: boolean;
  /**
   * Run this dataset kind's cells before the others (a second process on another part of the
   * plan); otherwise the plan's order. Default undefined.
   */
  firstDataset?: DatasetSpec["kind"];
  /**
   * Keys in the order to run their cells (e.g. the longest first, so that processes sharing the
   * cells finish together); cells not listed follow in the plan's order. Default: the plan's order.
   */
  order?: readonly string[];
  /**
   * How many processes share the cells (this one included), for the expected wall time printed at
   * the start. Default 1.
   */
  processes?: number;
  /** Prepared datasets to reuse across calls (by label). */
  datasets?: Map<string, PreparedDataset>;
}

/** The names of {@linkcode RunPlanOptions}: any other is refused (a typo ran the default). */
const RUN_PLAN_OPTION_NAMES: SettingNames<RunPlanOptions> = {
  resultsDir: true,
  log: true,
  runPending: true,
  onEpoch: true,
  waitForOthers: true,
  waitSeconds: true,
  continueOnFailure: true,
  firstDataset: true,
  order: true,
  processes: true,
  datasets: true,
};

/** The cell to run next of `runnable` (plan order): by `order`, then `firstDataset`. */
function nextCell(
  runnable: readonly PlannedCell[],
  options: Pick<RunPlanOptions, "order" | "firstDataset">,
): PlannedCell | undefined {
  for (const key of options.order ?? []) {
    const listed = runnable.find((cell) => cell.key === key);
    if (listed) return listed;
  }
  return runnable.find((c) => c.dataset.kind === options.firstDataset) ?? runnable[0];
}

/** Finished cells and the datasets they ran on (by label). */
export interface PlanOutcome {
  /** The plan as it stood at the end (with the selected configurations found). */
  plan: ExperimentPlan;
  /** The finished cells of the plan, in plan order. */
  cells: CellResult[];
  /** Keys of the plan's cells that have not finished: not run (`runPending: false`), still
   * running in another process, waiting for a selection, or failed. */
  pending: string[];
  /** Keys of cells that failed in this run, with the error. */
  failed: { key: string; error: string }[];
  /** The prepared datasets by label. */
  datasets: Map<string, PreparedDataset>;
  /** The finished cells by key. */
  byKey: Map<string, CellResult>;
}

/**
 * Rough wall time of a cell on this machine kind (2 cores, wasm + OpenBLAS, two processes),
 * measured with the converged training (cap 200, patience 10): a synthetic SASRec-MM run stopped
 * after about 70 epochs of 1.3 s (1.9 min), a MovieLens epoch of a plain model takes about 13 s.
 */
export function estimatedCellSeconds(plan: ExperimentPlan, cell: PlannedCell): number {
  if (cell.system.kind !== "neural") return plan.mode === "quick" ? 2 : 5;
  if (plan.mode === "quick") return cell.dataset.kind === "movielens" ? 25 : 8;
  const base = cell.dataset.kind === "movielens" ? 650 : 120;
  const objective = { full: 2, attribution_only: 1.5, contrastive_only: 1.5, random_input: 1.2 };
  const factor = cell.system.demure
    ? objective[cell.system.demure.variant ?? "full"]
    : cell.system.cl4srec
    ? 1.5
    : 1;
  return base * factor + (cell.scoreAttribution ? 90 : 0);
}

/** The indented per-epoch progress line of a neural cell. */
export function epochLine(progress: EpochProgress): string {
  return `    epoch ${progress.epoch}/${progress.maxEpochs} loss ${progress.loss.toFixed(4)}` +
    ` valid NDCG@10 ${progress.validation?.["NDCG@10"]?.toFixed(4) ?? "-"}` +
    ` (${progress.epochSeconds.toFixed(1)} s)`;
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
    model: cell.model,
    training: checkpointDir ? { ...cell.training, checkpointDir } : cell.training,
    scoreAttribution: cell.scoreAttribution,
    onProgress,
  });
}

/** The end of a Demure-family cell's progress line when its model is its backbone's. */
function backboneNote(result: CellResult): string {
  if (denoisingNeverStarted(result)) {
    return "; denoising never started (training stopped before the warm-up ended: no batch " +
      "masked), so this run is its backbone's";
  }
  return endedWithBackboneWeights(result)
    ? `; early stopping restored epoch ${result.bestEpoch}, in the warm-up (which ended after ` +
      `epoch ${lastWarmupEpoch(result)}): no denoising epoch beat it, so this ` +
      "run's model is its backbone's"
    : "";
}

function formatMinutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
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

/** Runs every runnable cell not yet stored, in plan order; returns all cells of the plan. */
export async function runPlan(plan: ExperimentPlan, options: RunPlanOptions): Promise<PlanOutcome> {
  // `runPending: false` mistyped as `runPendng` used to start hours of training.
  checkSettingNames("RunPlanOptions", options, RUN_PLAN_OPTION_NAMES);
  const log = options.log ?? console.log;
  const store = new ResultStore(cellsDirectory(options.resultsDir));
  const datasets = options.datasets ?? new Map<string, PreparedDataset>();
  const datasetOf = async (cell: PlannedCell) => {
    const known = datasets.get(datasetLabel(cell.dataset));
    if (known) return known;
    const prepared = await prepareDataset(cell.dataset);
    datasets.set(prepared.label, prepared);
    log(`dataset ${prepared.label}\n${prepared.statistics}\n${prepared.split.protocol.join("\n")}`);
    return prepared;
  };
  // Before anything is reused or written: the imported files may have changed since.
  await checkStoredData(plan, options.resultsDir, datasetOf);
  // The cells asked for (a notebook may ask for a subset), plus the trials they wait for.
  const wanted = new Set(plan.cells.map((cell) => cell.key));
  const planAgain = (selected: SelectedConfigurations) => replanWith(plan, selected);
  const everything = planAgain(plan.selected).cells.every((cell) => wanted.has(cell.key));
  const isFinished = (current: ExperimentPlan, cell: PlannedCell) =>
    store.get(cell.key, settingsOf(current, cell), checkCellResult) !== undefined;
  const replan = (selected: SelectedConfigurations): ExperimentPlan => {
    const full = planAgain(selected);
    if (everything) return full;
    const needed = new Set(
      full.cells.filter((c) => wanted.has(c.key)).flatMap((c) => c.waitsFor ?? []),
    );
    // A selection this subset waits for needs its trials (and the trials of its backbone).
    for (const cell of full.cells) {
      if (cell.trial && needed.has(cell.trial.selection)) {
        for (const id of cell.waitsFor ?? []) needed.add(id);
      }
    }
    const cells = full.cells.filter((c) =>
      wanted.has(c.key) || (c.trial !== undefined && needed.has(c.trial.selection))
    );
    return { ...full, cells };
  };
  const updateSelection = (current: ExperimentPlan): ExperimentPlan => {
    const selected = writeSelection(current, options.resultsDir, log);
    if (JSON.stringify(selected) === JSON.stringify(current.selected)) return current;
    return updateSelection(replan(selected));
  };
  let current = options.runPending === false ? plan : updateSelection(replan(plan.selected));
  const failed: { key: string; error: string }[] = [];
  const pendingAtStart = current.cells.filter((cell) => !isFinished(current, cell));
  const costAtStart = new Map(pendingAtStart.map((cell) => [
    cell.key,
    isReusable(store, current, cell) ? 0 : estimatedCellSeconds(current, cell),
  ]));
  const expected = [...costAtStart.values()].reduce((s, seconds) => s + seconds, 0);
  log(openingLine(current, pendingAtStart.length, expected, options));
  const started = performance.now();
  let done = 0;
  const skipped = new Set<string>();
  while (options.runPending !== false) {
    // Another process sharing the store may have finished trials since: the ones a waiting cell
    // needs, or the rerun trials of a selection whose earlier choice this process's plan still
    // holds (stale trial records leave selected.json's choice in place until every trial is
    // rerun). Refreshed before every cell, not only while cells wait: a process that kept the
    // earlier choice would run, and store, the seeds with it while the other ran them with the
    // new one, each overwriting the other's records (seen 2026-12-03 when the CL4SRec-MM trials
    // were rerun). Reading the trials' records costs milliseconds; a cell, seconds to minutes.
    current = updateSelection(current);
    const runnable = current.cells.filter((cell) =>
      !cell.waitsFor && !skipped.has(cell.key) && !failed.some((f) => f.key === cell.key) &&
      !isFinished(current, cell)
    );
    const cell = nextCell(runnable, options);
    if (cell === undefined) {
      const heldElsewhere = [...skipped].filter((key) => {
        const held = current.cells.find((c) => c.key === key);
        return held !== undefined && !isFinished(current, held);
      });
      if (!options.waitForOthers || heldElsewhere.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, (options.waitSeconds ?? 20) * 1000));
      skipped.clear();
      current = updateSelection(current);
      continue;
    }
    const holder = store.claim(cell.key);
    if (holder) {
      log(
        `skip ${cell.key}: running in process ${holder.pid} on ${holder.hostname} since ${holder.since}`,
      );
      skipped.add(cell.key);
      continue;
    }
    let result: CellResult;
    const cellStart = performance.now();
    const stopHeartbeat = store.keepAlive(cell.key);
    try {
      const ran = await runClaimedCell(current, cell, store, datasetOf, { ...options, log });
      if (ran === undefined) continue;
      result = ran;
    } catch (error) {
      // An interrupt stops the whole plan, never only its cell.
      if (!options.continueOnFailure || error instanceof InterruptedError) throw error;
      failed.push({ key: cell.key, error: (error as Error).message });
      log(`FAILED ${cell.key}: ${(error as Error).stack ?? error}`);
      continue;
    } finally {
      stopHeartbeat();
      store.release(cell.key);
      if (cell.trial) current = updateSelection(current);
    }
    done++;
    // The planned cells finished by any process sharing the store, not only this one's: with
    // several processes this one's own share would overstate the time left by their number.
    const finishedByAll = pendingAtStart.filter((planned) => {
      const now = current.cells.find((c) => c.key === planned.key);
      return now !== undefined && !now.waitsFor && isFinished(current, now);
    });
    const expectedDone = finishedByAll.reduce((s, c) => s + costAtStart.get(c.key)!, 0);
    const elapsed = (performance.now() - started) / 1000;
    const left = Math.max(0, elapsed / expectedDone * (expected - expectedDone));
    log(
      `[${done}] ${cell.key}: valid NDCG@10 ${result.valid["NDCG@10"].toFixed(4)}, best epoch ` +
        `${result.bestEpoch}/${result.maxEpochs}${result.capBound ? " (cap bound)" : ""} (${
          formatMinutes((performance.now() - cellStart) / 1000)
        }; about ${formatMinutes(left)} of the planned cells left)${backboneNote(result)}`,
    );
  }
  for (const cell of current.cells) if (!cell.waitsFor) await datasetOf(cell);
  // Read back from the store, so cells that other processes finished meanwhile are included.
  if (options.runPending !== false) current = updateSelection(current);
  return { ...storedOutcome(current, store), datasets, failed };
}

/**
 * Runs `cell`, which this process has claimed, and stores its result; undefined when it needs no
 * training: another process finished it meanwhile (checked under the claim), or it is the same run
 * as a finished cell (reused). A selection trial that diverges is stored as such (metrics 0, left
 * out of the selection); any other failure propagates.
 */
async function runClaimedCell(
  current: ExperimentPlan,
  cell: PlannedCell,
  store: ResultStore,
  datasetOf: (cell: PlannedCell) => Promise<PreparedDataset>,
  options: Pick<RunPlanOptions, "onEpoch" | "resultsDir"> & { log: (line: string) => void },
): Promise<CellResult | undefined> {
  const { log } = options;
  const settings = settingsOf(current, cell);
  if (store.get(cell.key, settings, checkCellResult)) return undefined;
  if (reuseSameRun(store, cell, settings)) {
    log(`${cell.key}: the same run as ${cell.sameAs} (reused)`);
    return undefined;
  }
  const data = await datasetOf(cell);
  let result: CellResult;
  try {
    result = await runPlannedCell(
      current,
      cell,
      data,
      (progress) => {
        store.heartbeat(cell.key);
        options.onEpoch ? options.onEpoch(cell, progress) : log(epochLine(progress));
      },
      options.resultsDir,
    );
  } catch (error) {
    if (!(error instanceof TrainingDivergedError) || !cell.trial) throw error;
    log(`${cell.key}: diverged (${error.message}); the selection leaves this trial out`);
    result = divergedResult(cell, error);
  }
  store.put(cell.key, settings, result);
  removeCellCheckpoints(options.resultsDir, current, cell);
  return result;
}

/** The line that opens a run: the cells planned and finished, and the training they take. */
function openingLine(
  current: ExperimentPlan,
  pending: number,
  expectedSeconds: number,
  options: RunPlanOptions,
): string {
  const processes = options.processes ?? 1;
  const wall = processes > 1
    ? `, about ${formatMinutes(expectedSeconds / processes)} of wall time in ${processes} processes`
    : "";
  const waiting = current.cells.some((cell) => cell.waitsFor)
    ? "more cells appear as selections finish; "
    : "";
  const imported = current.cells.some((cell) => cell.dataset.kind === "file")
    ? "; an imported dataset's cells are estimated as the synthetic benchmark's, and take " +
      "as long as its size makes them: the time left is corrected as cells finish"
    : "";
  return `${current.mode} reproduction: ${current.cells.length} cells planned, ` +
    `${current.cells.length - pending} already finished (resumed from ` +
    `${options.resultsDir}); the planned ones take about ${formatMinutes(expectedSeconds)} of ` +
    `training on this machine kind${wall} (${waiting}processes started on the same results ` +
    `share the cells)${imported}`;
}

/** The cells of `current` stored now (by any process), in plan order, and the keys still to run. */
function storedOutcome(
  current: ExperimentPlan,
  store: ResultStore,
): Pick<PlanOutcome, "plan" | "cells" | "byKey" | "pending"> {
  const cells: CellResult[] = [];
  const byKey = new Map<string, CellResult>();
  const pending: string[] = [];
  for (const cell of current.cells) {
    const result = cell.waitsFor
      ? undefined
      : store.get(cell.key, settingsOf(current, cell), checkCellResult);
    if (result) {
      cells.push(result);
      byKey.set(cell.key, result);
    } else pending.push(cell.key);
  }
  return { plan: current, cells, byKey, pending };
}
