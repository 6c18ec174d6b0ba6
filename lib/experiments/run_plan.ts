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
import { checkpointExists } from "../checkpoint/checkpoint.ts";
import { writeFilesAtomically } from "../data/atomic_write.ts";
import { TrainingDivergedError } from "../train/config.ts";
import type { EpochProgress } from "../train/progress.ts";
import {
  datasetLabel,
  type DatasetSpec,
  prepareDataset,
  type PreparedDataset,
} from "./datasets.ts";
import { cellModelDir, KEPT_TRAINING_FILE } from "./cell_model.ts";
import { type ExperimentPlan, planExperiments, type PlannedCell } from "./plan.ts";
import { ResultStore } from "./result_store.ts";
import {
  cellEnvironment,
  type CellResult,
  denoisingNeverStarted,
  endedWithBackboneWeights,
  lastWarmupEpoch,
  runCell,
} from "./run_cell.ts";
import { readSelected, type SelectedConfigurations, selectTrial } from "./selection.ts";
import { checkStoredCellData } from "./stored_data_check.ts";
import { InterruptedError } from "../util/interrupt.ts";
import { pathExists } from "../util/path_exists.ts";
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

/** Where the finished cells of a reproduction directory (`results/<mode>`) are stored. */
export function cellsDirectory(resultsDir: string): string {
  return `${resultsDir}/cells`;
}

/** Where the selected configurations of a reproduction directory are stored. */
export function selectedPath(resultsDir: string): string {
  return `${resultsDir}/selected.json`;
}

/**
 * The plan of `mode` with the selected configurations stored under `resultsDir` (what
 * {@linkcode runPlan} reads and writes there).
 *
 * @example
 * ```ts
 * const plan = planOfResults("full", "results-of-record/full");
 * ```
 */
export function planOfResults(
  mode: ExperimentPlan["mode"],
  resultsDir: string,
  seeds?: number[],
): ExperimentPlan {
  return planExperiments(mode, seeds, { selected: readSelected(selectedPath(resultsDir)) });
}

/**
 * The finished cells of `plan` under `resultsDir`, by cell key: the ones whose stored settings
 * match the plan's (what {@linkcode runPlan} would reuse). Runs nothing.
 *
 * @example
 * ```ts
 * const finished = finishedCells(planOfResults("full", "results-of-record/full"), "results-of-record/full");
 * finished.get("full/Synthetic/Demure-SASRec/seed=0")?.test["NDCG@10"];
 * ```
 */
export function finishedCells(plan: ExperimentPlan, resultsDir: string): Map<string, CellResult> {
  const store = new ResultStore(cellsDirectory(resultsDir));
  // The folder's selection may have advanced since `plan` was built: cells that waited for it
  // are looked up with the settings they have now.
  const current = replanWith(plan, {
    ...plan.selected,
    ...readSelected(selectedPath(resultsDir)),
  });
  const asked = new Set(plan.cells.map((cell) => cell.key));
  const finished = new Map<string, CellResult>();
  for (const cell of current.cells) {
    if (cell.waitsFor || !asked.has(cell.key)) continue;
    const result = store.get(cell.key, settingsOf(current, cell), checkCellResult);
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
  /** The cell's model settings (the plan's, with the cell's dropout). */
  model: PlannedCell["model"];
  /** The cell's trainer settings. */
  training: PlannedCell["training"];
  /** Whether the attribution is scored against the planted truth. */
  scoreAttribution: boolean;
}

/** Everything that decides a cell's numbers; a stored cell is reused only when this matches. */
export function settingsOf(_plan: ExperimentPlan, cell: PlannedCell): StoredCellSettings {
  return {
    dataset: cell.dataset,
    system: cell.system,
    seed: cell.seed,
    model: cell.model,
    training: cell.training,
    scoreAttribution: cell.scoreAttribution,
  };
}

/**
 * When `cell` is the same run as a finished cell (`cell.sameAs`, identical settings), stores that
 * record under `cell.key` and returns it; else undefined. Relabelled as the cell a fresh run would
 * write, so that a reused cell and a rerun one are the same record. Both the plan runner and the
 * one-cell command (what a batch scheduler runs) reuse through here: a rerun would cost a whole
 * training, and under another BLAS thread count it would not even be the same numbers.
 */
export function reuseSameRun(
  store: ResultStore,
  cell: PlannedCell,
  settings: StoredCellSettings,
): CellResult | undefined {
  const same = cell.sameAs ? store.get(cell.sameAs, settings, checkCellResult) : undefined;
  if (!same) return undefined;
  return store.put(cell.key, settings, {
    ...same,
    system: cell.systemName,
    protocol: { ...same.protocol, model: cell.systemName },
  });
}

/**
 * Whether `cell` will be stored without training: it is the same run as a finished cell
 * (`cell.sameAs`, whose record has the cell's settings). Estimates count such a cell as free.
 */
export function isReusable(store: ResultStore, plan: ExperimentPlan, cell: PlannedCell): boolean {
  return cell.sameAs !== undefined &&
    store.get(cell.sameAs, settingsOf(plan, cell), checkCellResult) !== undefined;
}

/** `plan` built again with other selected configurations (same mode, seeds and options). */
export function replanWith(
  plan: ExperimentPlan,
  selected: SelectedConfigurations,
): ExperimentPlan {
  return planExperiments(plan.mode, plan.seedsAsked, { ...plan.options, selected });
}

/**
 * Derives the selected configurations from the trials stored under `resultsDir` (on top of
 * `plan.selected`) and writes them to `<resultsDir>/selected.json` when they changed. Returns them.
 *
 * A choice in `plan.selected` is dropped, so that its cells wait for the selection to run again,
 * when one of its trials is stored with other settings than the plan's (the trial was changed:
 * stale) or waits for a selection itself (its backbone's choice was dropped): a choice made from
 * trials that no longer hold is not a choice, and seeds run with it would be run again. It stays
 * while its trials are only absent (a verification folder holds the choices, not the trials).
 * Repeated until nothing changes: a choice made or dropped changes the trials built on it.
 */
export function writeSelection(
  plan: ExperimentPlan,
  resultsDir: string,
  log: (line: string) => void = console.log,
): SelectedConfigurations {
  const selected = settledSelectionOf(plan, new ResultStore(cellsDirectory(resultsDir)));
  if (JSON.stringify(selected) === JSON.stringify(plan.selected)) return plan.selected;
  writeFilesAtomically([
    { path: selectedPath(resultsDir), data: JSON.stringify(selected, null, 1) + "\n" },
  ]);
  log(
    `selection: ${
      Object.keys(selected).map((d) => `${d}: ${Object.keys(selected[d]).join(", ")}`).join("; ")
    }`,
  );
  return selected;
}

/** {@linkcode writeSelection}'s selection, without writing it: its rounds until nothing changes. */
function settledSelectionOf(plan: ExperimentPlan, store: ResultStore): SelectedConfigurations {
  let selected = plan.selected;
  for (let round = 0;; round++) {
    const next = settledSelection(replanWith(plan, selected), store);
    if (JSON.stringify(next) === JSON.stringify(selected)) return selected;
    // Each round settles at least one more selection; a plan has far fewer than 100.
    if (round === 100) throw new Error("writeSelection: the selections do not settle");
    selected = next;
  }
}

/** Options of {@linkcode planWithCurrentSelection}. */
export interface CurrentSelectionOptions {
  /** Write a changed selection to `selected.json` (default true); false reads only. */
  write?: boolean;
  /** Where the written selection is reported (default console.log). */
  log?: (line: string) => void;
}

/**
 * `plan` with the selection as it stands now under `resultsDir`: the choices of
 * `<resultsDir>/selected.json` (another task may have written them since `plan` was built),
 * settled against the trials stored there as {@linkcode writeSelection} settles them, and written
 * to the file when that changes them (unless `write: false`). A batch task (`reproduce --cell`)
 * runs its cell from this, and `reproduce --list-cells` (read only), from which a cluster
 * submission takes each cell's stage, lists from it: a choice whose trials were changed since
 * (stale records) is dropped, so its cells wait for the trials' rerun instead of running, and
 * storing, their seeds with the earlier choice.
 */
export function planWithCurrentSelection(
  plan: ExperimentPlan,
  resultsDir: string,
  options: CurrentSelectionOptions = {},
): ExperimentPlan {
  const onDisk = replanWith(plan, readSelected(selectedPath(resultsDir)));
  let settled: SelectedConfigurations;
  if (options.write ?? true) settled = writeSelection(onDisk, resultsDir, options.log);
  else {
    // Reading only: without stored cells there is nothing to settle against, and a store would
    // create the folder.
    if (!pathExists(cellsDirectory(resultsDir))) return onDisk;
    settled = settledSelectionOf(onDisk, new ResultStore(cellsDirectory(resultsDir)));
  }
  return JSON.stringify(settled) === JSON.stringify(onDisk.selected)
    ? onDisk
    : replanWith(onDisk, settled);
}

/**
 * One round of {@linkcode writeSelection}: `plan.selected` without the choices whose trials are
 * stale or wait, with the choices of the selections whose every trial is finished.
 */
function settledSelection(plan: ExperimentPlan, store: ResultStore): SelectedConfigurations {
  const finished = new Map<string, CellResult>();
  const unsettled: PlannedCell[] = [];
  for (const cell of plan.cells) {
    if (!cell.trial) continue;
    if (cell.waitsFor) {
      unsettled.push(cell);
      continue;
    }
    const result = store.get(cell.key, settingsOf(plan, cell), checkCellResult);
    if (result) finished.set(cell.key, result);
    else if (store.has(cell.key)) unsettled.push(cell);
  }
  const selected: SelectedConfigurations = Object.fromEntries(
    Object.entries(plan.selected).map(([dataset, systems]) => [dataset, { ...systems }]),
  );
  for (const cell of unsettled) delete selected[cell.datasetLabel]?.[cell.systemKey];
  for (const [dataset, systems] of Object.entries(selectedFrom(plan, finished))) {
    selected[dataset] = { ...selected[dataset], ...systems };
  }
  return selected;
}

/**
 * The configurations chosen by the finished selections of `plan` (every trial finished): the
 * trial with the best validation NDCG@10 (ties: the lower trial index) among those that did not
 * diverge. Reads no test metric. Throws when every trial of a selection diverged: there is nothing
 * to choose, and the main table's first seed would otherwise reuse a diverged trial's empty record.
 */
export function selectedFrom(
  plan: ExperimentPlan,
  finished: Map<string, CellResult>,
): SelectedConfigurations {
  const bySelection = new Map<string, PlannedCell[]>();
  for (const cell of plan.cells) {
    if (!cell.trial) continue;
    const list = bySelection.get(cell.trial.selection) ?? [];
    list.push(cell);
    bySelection.set(cell.trial.selection, list);
  }
  const selected: SelectedConfigurations = {};
  for (const trials of bySelection.values()) {
    const results = trials.map((cell) => finished.get(cell.key));
    if (results.some((r) => r === undefined)) continue;
    const outcomes = trials.flatMap((cell, i) =>
      results[i]!.diverged === undefined
        ? [{
          trial: { index: cell.trial!.index, config: cell.config },
          valid: results[i]!.valid["NDCG@10"],
        }]
        : []
    );
    if (outcomes.length === 0) {
      throw new Error(
        `selection ${trials[0].trial!.selection}: all ${trials.length} trials diverged (trial 0: ` +
          `${results[0]!.diverged}); lower the learning rates of its search space ` +
          "(lib/experiments/selection.ts) or remove its trials' results to run them again",
      );
    }
    const best = selectTrial(outcomes);
    const cell = trials.find((c) => c.trial!.index === best.trial.index)!;
    selected[cell.datasetLabel] ??= {};
    selected[cell.datasetLabel][cell.systemKey] = {
      trial: cell.trial!.index,
      config: cell.config,
      valid: best.valid,
      trials: trials.length,
    };
  }
  return selected;
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
    model: cell.model,
    training: checkpointDir ? { ...cell.training, checkpointDir } : cell.training,
    scoreAttribution: cell.scoreAttribution,
    onProgress,
  });
}

/**
 * Removes a finished cell's epoch checkpoints (see {@linkcode runPlannedCell}). A neural cell of
 * the plan's first seed first keeps its best-validation weights under `cellModelDir` (analyses such
 * as notebook 05's explanations load the trained model instead of training it again); the copy is
 * staged and renamed into place, so a kill leaves the old kept model, none, or the whole new one.
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

function keepBestModel(checkpoints: string, modelDir: string): void {
  const best = `${checkpoints}/best`;
  if (!checkpointExists(best)) return;
  const { weightsFile } = JSON.parse(Deno.readTextFileSync(`${best}.json`)) as {
    weightsFile: string;
  };
  const staging = `${modelDir}.staging`;
  removeIfPresent(staging);
  Deno.mkdirSync(staging, { recursive: true });
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
  removeIfPresent(modelDir);
  Deno.renameSync(staging, modelDir);
}

function removeIfPresent(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
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

/**
 * Throws a {@linkcode StaleCellError} when a finished cell of an imported dataset under
 * `resultsDir` was computed on other data than its files read as now (stored_data_check.ts).
 * Reads the data (through `datasetOf`) only when such a cell is stored.
 */
export async function checkStoredData(
  plan: ExperimentPlan,
  resultsDir: string,
  datasetOf: (cell: PlannedCell) => Promise<PreparedDataset>,
): Promise<void> {
  const store = new ResultStore(cellsDirectory(resultsDir));
  for (const cell of plan.cells) {
    if (cell.dataset.kind !== "file" || cell.waitsFor) continue;
    const stored = store.get(cell.key, settingsOf(plan, cell), checkCellResult);
    if (stored) {
      checkStoredCellData(stored, store.pathOf(cell.key), await datasetOf(cell), resultsDir);
    }
  }
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
  log(
    `${plan.mode} reproduction: ${current.cells.length} cells planned, ` +
      `${current.cells.length - pendingAtStart.length} already finished (resumed from ` +
      `${options.resultsDir}); the planned ones take about ${formatMinutes(expected)} of ` +
      `training on this machine kind${
        (options.processes ?? 1) > 1
          ? `, about ${formatMinutes(expected / options.processes!)} of wall time in ` +
            `${options.processes} processes`
          : ""
      } (${
        current.cells.some((cell) => cell.waitsFor)
          ? "more cells appear as selections finish; "
          : ""
      }processes started on the same results share the cells)${
        current.cells.some((cell) => cell.dataset.kind === "file")
          ? "; an imported dataset's cells are estimated as the synthetic benchmark's, and take " +
            "as long as its size makes them: the time left is corrected as cells finish"
          : ""
      }`,
  );
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
    const settings = settingsOf(current, cell);
    const holder = store.claim(cell.key);
    if (holder) {
      log(
        `skip ${cell.key}: running in process ${holder.pid} on ${holder.hostname} since ${holder.since}`,
      );
      skipped.add(cell.key);
      continue;
    }
    let result: CellResult | undefined;
    const cellStart = performance.now();
    const stopHeartbeat = store.keepAlive(cell.key);
    try {
      // Checked under the claim: another process may have finished the cell since this run began.
      if (store.get(cell.key, settings, checkCellResult)) continue;
      const reused = reuseSameRun(store, cell, settings);
      if (reused) {
        result = reused;
        log(`${cell.key}: the same run as ${cell.sameAs} (reused)`);
        continue;
      }
      const data = await datasetOf(cell);
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
    if (result === undefined) continue;
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
  const cells: CellResult[] = [];
  const byKey = new Map<string, CellResult>();
  const pendingKeys: string[] = [];
  for (const cell of current.cells) {
    const result = cell.waitsFor
      ? undefined
      : store.get(cell.key, settingsOf(current, cell), checkCellResult);
    if (result) {
      cells.push(result);
      byKey.set(cell.key, result);
    } else pendingKeys.push(cell.key);
  }
  return { plan: current, cells, byKey, datasets, pending: pendingKeys, failed };
}
