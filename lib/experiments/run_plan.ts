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
import {
  cellCheckpointDir,
  removeCheckpointsOfStoredCells,
  reportOrphanCheckpoints,
} from "./cell_checkpoints.ts";
import { type ClaimedCellContext, runClaimedCell } from "./_claimed_cell.ts";
import { ClaimLostError } from "./held_claim.ts";
import { removeAbandonedModelCopies } from "./cell_model.ts";
import { importedEpochSizes } from "./_imported_epoch_sizes.ts";
import { StartEstimate } from "./_start_estimate.ts";
import { formatMinutes, openingLine, progressLine } from "./_run_plan_lines.ts";
import type { EpochProgress } from "../train/progress.ts";
import {
  datasetLabel,
  type DatasetSpec,
  prepareDataset,
  type PreparedDataset,
} from "./datasets.ts";
import { DATASET_KINDS } from "./dataset_spec.ts";
import { replanWith } from "./plan.ts";
import type { ExperimentPlan, PlannedCell, PlanPlace } from "./plan_types.ts";
import { ClaimLockError, ClaimLockTimeoutError } from "./_claim_lock.ts";
import { describeClaimHolder } from "./cell_claim.ts";
import type { ResultStore } from "./result_store.ts";
import {
  type CellEpochCallbacks,
  type CellResult,
  denoisingNeverStarted,
  endedWithBackboneWeights,
  lastWarmupEpoch,
  runCell,
} from "./run_cell.ts";
import type { SelectedConfigurations } from "./selection.ts";
import { settledSelectionOf, writeSelection } from "./selection_record.ts";
import { checkNoOtherSettingsReplaced } from "./other_settings_guard.ts";
import { PlanPlaceCount } from "./_plan_place_count.ts";
import { FinishedCellTexts } from "./_finished_cell_texts.ts";
import {
  cellStoreOf,
  checkStoredData,
  isFinished,
  readFinishedCell,
  settingsOf,
} from "./stored_cells.ts";
import { InterruptedError } from "../util/interrupt.ts";
import { checkCellsFitData } from "./cells_fit_check.ts";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkOptionalFunction,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

/** Seconds between polls while every runnable cell is held by another process (`waitForOthers`). */
export const DEFAULT_PLAN_WAIT_SECONDS = 20;

/** Options of {@linkcode runPlan}. */
export interface RunPlanOptions {
  /** The reproduction's directory (`results/<mode>`); cells are stored under `<resultsDir>/cells`. */
  resultsDir: string;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
  /** false: only collect the finished cells, run nothing (a report of a partial run). */
  runPending?: boolean;
  /**
   * Per-epoch progress of neural cells (default: an indented line per epoch). `place`: the place
   * the cell takes in the whole plan once finished, as its progress line will say it (`[5/16]`:
   * the plan's cells finished when it started, plus one, and the plan's size).
   */
  onEpoch?: (cell: PlannedCell, progress: EpochProgress, place: PlanPlace) => void;
  /**
   * Each cell this run is done with, and how: finished (a notebook's summary of the cells it
   * computed, `cellsProgress`), failed, held by another process, or handed over to one (the lines
   * a notebook keeps on its page: they say why a cell is missing). Typed, so that a notebook
   * never has to recognise these cells by the wording of their logged lines.
   */
  onCellDone?: (cell: PlannedCell, outcome: CellOutcome) => void;
  /**
   * When every runnable cell is held by another process, wait for them (polling every
   * `waitSeconds`) instead of returning, so the cells that wait for their selection still run
   * here. Default false.
   */
  waitForOthers?: boolean;
  /**
   * Seconds between polls when waiting for other processes. Default
   * {@linkcode DEFAULT_PLAN_WAIT_SECONDS} (20).
   */
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
  workers?: number;
  /** Prepared datasets to reuse across calls (by label). */
  datasets?: Map<string, PreparedDataset>;
  /**
   * Train the cells stored in `resultsDir` with other settings (a ranking, a trainer or model
   * setting changed since) again, replacing those finished results. Default false: `runPlan`
   * refuses such a plan before anything is trained or written (`OtherSettingsStoredError`,
   * naming the folder, how many cells, a few keys and what differs): a notebook that changed an
   * option retrained and overwrote every finished cell of the earlier settings. Give such a plan a
   * `resultsDir` of its own instead. The command line passes true: its folder's `plan.json`
   * guards it, and its reruns of changed cells replace them on purpose.
   */
  replaceOtherSettings?: boolean;
}

/**
 * How `runPlan` is done with a cell (its `onCellDone`). `line` is the first line of what runPlan
 * logged for it (a failure's stack follows in the log), so a notebook shows what the terminal does.
 */
export type CellOutcome =
  | {
    /** Trained (or diverged) and stored by this process. */
    kind: "finished";
    /**
     * Its result in words (validation NDCG@10, best epoch, and whether the run is its
     * backbone's), as its logged line says it without the counter and times.
     */
    result: string;
  }
  | {
    /** Failed here (with `continueOnFailure`); `line` names the error. */
    kind: "failed";
    line: string;
  }
  | {
    /** Skipped: another live process holds it; `line` names the holder. */
    kind: "held";
    line: string;
  }
  | {
    /** Its claim was taken over while it ran here: that process runs it (`ClaimLostError`). */
    kind: "handedOver";
    line: string;
  };

/** The names of {@linkcode RunPlanOptions}: any other is refused (a typo ran the default). */
const RUN_PLAN_OPTION_NAMES: SettingNames<RunPlanOptions> = {
  resultsDir: true,
  log: true,
  runPending: true,
  onEpoch: true,
  onCellDone: true,
  waitForOthers: true,
  waitSeconds: true,
  continueOnFailure: true,
  firstDataset: true,
  order: true,
  workers: true,
  datasets: true,
  replaceOtherSettings: true,
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
  /**
   * Keys of cells this process handed over: another process took their claims over while this one
   * ran them (its heartbeat had gone stale), so this one stopped them, storing nothing; that
   * process runs them (neither finished here nor failed).
   */
  handedOver: string[];
  /** The prepared datasets by label. */
  datasets: Map<string, PreparedDataset>;
  /** The finished cells by key. */
  byKey: Map<string, CellResult>;
}

/**
 * The indented per-epoch progress line of a neural cell. With `key` (runPlan's lines) it names
 * the cell and the most time the cell has left (to its epoch cap): a run of many cells printed
 * its epochs without either, its processes' lines interleaved, and the cell's name came only
 * with its last line.
 */
export function epochLine(progress: EpochProgress, key?: string): string {
  const cell = key === undefined ? "" : ` of ${key}:`;
  const left = key === undefined
    ? ""
    : `; at most ${formatMinutes(progress.secondsLeftAtMost)} of it left`;
  return `    epoch ${progress.epoch}/${progress.maxEpochs}${cell} loss ${
    progress.loss.toFixed(4)
  }` +
    ` valid NDCG@10 ${progress.validation?.["NDCG@10"]?.toFixed(4) ?? "-"}` +
    ` (${progress.epochSeconds.toFixed(1)} s${left})`;
}

/**
 * Trains and evaluates one cell of `plan` on its prepared dataset with the plan's settings: the one
 * call that both {@linkcode runPlan} and a single-cell command (`reproduce --cell`) make. With
 * `resultsDir`, a neural cell checkpoints every epoch under {@linkcode cellCheckpointDir} and
 * resumes from there after a kill (bit-identical to an uninterrupted run; at most one epoch is
 * lost); the checkpoints are removed once the result is stored (by the caller,
 * {@linkcode removeCellCheckpoints}). `epochs` are the cell's per-epoch callbacks: its progress,
 * and the check at each epoch end, before the epoch's checkpoint, that its claim is still held.
 */
export function runPlannedCell(
  plan: ExperimentPlan,
  cell: PlannedCell,
  data: PreparedDataset,
  epochs: CellEpochCallbacks,
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
    ...epochs,
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

/**
 * Throws a `SettingError` for an option of the wrong kind or out of range, before anything is read
 * or written (null is a value, refused: it ran the default log, datasets or order): a string
 * "false" is truthy (`runPending: "false"` would train every pending cell),
 * and a poll interval of NaN, 0 or less polls the store without a pause while other processes
 * hold cells.
 */
function checkRunPlanOptions(options: RunPlanOptions): void {
  if (typeof options.resultsDir !== "string") {
    throw new SettingError("RunPlanOptions.resultsDir", options.resultsDir, "a folder (a string)");
  }
  // null was read as "not given": the default console lines instead of the caller's.
  for (const callback of ["log", "onEpoch", "onCellDone"] as const) {
    checkOptionalFunction(`RunPlanOptions.${callback}`, options[callback]);
  }
  const order: unknown = options.order;
  // A text is iterable: its letters were read as cell keys.
  if (
    order !== undefined &&
    (!Array.isArray(order) || !order.every((key) => typeof key === "string"))
  ) {
    throw new SettingError("RunPlanOptions.order", order, "a list of cell keys");
  }
  if (options.datasets !== undefined && !(options.datasets instanceof Map)) {
    throw new SettingError(
      "RunPlanOptions.datasets",
      options.datasets,
      "a Map of prepared datasets by label",
    );
  }
  for (
    const flag of [
      "runPending",
      "waitForOthers",
      "continueOnFailure",
      "replaceOtherSettings",
    ] as const
  ) {
    if (options[flag] !== undefined) checkBoolean(`RunPlanOptions.${flag}`, options[flag]);
  }
  if (options.waitSeconds !== undefined) {
    checkNumber("RunPlanOptions.waitSeconds", options.waitSeconds, { above: 0 });
  }
  if (options.workers !== undefined) {
    checkInteger("RunPlanOptions.workers", options.workers, { min: 1 });
  }
  if (options.firstDataset !== undefined) {
    checkOneOf("RunPlanOptions.firstDataset", options.firstDataset, DATASET_KINDS);
  }
}

/** Runs every runnable cell not yet stored, in plan order; returns all cells of the plan. */
export async function runPlan(plan: ExperimentPlan, options: RunPlanOptions): Promise<PlanOutcome> {
  // `runPending: false` mistyped as `runPendng` used to start hours of training.
  checkSettingNames("RunPlanOptions", options, RUN_PLAN_OPTION_NAMES, {
    processes:
      "none: renamed workers (as reproduce --workers N: the processes that share the cells)",
  });
  checkRunPlanOptions(options);
  const log = options.log ?? console.log;
  const datasets = options.datasets ?? new Map<string, PreparedDataset>();
  const datasetOf = datasetPreparer(datasets, log);
  // Before anything is written or trained: a cell of an imported dataset that its trainer would
  // refuse when it starts (a warm-up that outlasts the run on this file's few batches an epoch, a
  // batch of 1 row for a contrastive loss, a history of more windows than Demure keys).
  await checkCellsFitData(plan.cells, datasetOf);
  // Before anything is reused or written: the imported files may have changed since.
  await checkStoredData(plan, options.resultsDir, datasetOf);
  const store = cellStoreOf(options.resultsDir);
  const selection = new SelectionRefresh(plan, options.resultsDir, log);
  const runPending = options.runPending !== false;
  // Before anything is written (selected.json, a sweep of checkpoints) or trained: the cells this
  // run would train now, with the selection as its first refresh would settle it.
  if (runPending && options.replaceOtherSettings !== true) {
    const settled = selection.replan(settledSelectionOf(selection.replan(plan.selected), store));
    checkNoOtherSettingsReplaced(settled, settled.cells, store, options.resultsDir);
  }
  const start = runPending ? selection.refresh(selection.replan(plan.selected)) : plan;
  // What killed processes left behind: a kept model's unfinished copy, the checkpoints of a cell
  // stored right before the kill.
  if (runPending) {
    removeAbandonedModelCopies(options.resultsDir, log);
    removeCheckpointsOfStoredCells(options.resultsDir, start, start.cells, { store, log });
    reportOrphanCheckpoints(options.resultsDir, start, log);
  }
  // An imported dataset's cells are estimated by the size of its prepared data: prepared here,
  // before the opening line, in place of when its first cell trains (it is prepared once).
  const estimate = new StartEstimate(
    start,
    store,
    await importedEpochSizes(start.cells, datasetOf),
  );
  // Stored, yet pending: stored with other settings (re-checked, as another process may have
  // stored a cell since the estimate looked).
  const replaced =
    estimate.pending.filter((cell) => store.has(cell.key) && !isFinished(store, start, cell))
      .length;
  log(openingLine(start, estimate.pending.length, estimate.expectedSeconds, options, replaced));
  const run = new CellLoop(
    start,
    selection,
    estimate,
    options,
    { store, datasetOf, train: runPlannedCell, log, resultsDir: options.resultsDir },
    options.onEpoch ?? ((cell, progress) => log(epochLine(progress, cell.key))),
  );
  if (runPending) {
    await run.runCells();
    log(run.closingLine());
  }
  let current = run.current;
  for (const cell of current.cells) if (!cell.waitsFor) await datasetOf(cell);
  // Read back from the store, so cells that other processes finished meanwhile are included.
  if (runPending) current = selection.refresh(current);
  return {
    ...storedOutcome(current, store),
    datasets,
    failed: run.failed,
    handedOver: run.handedOver,
  };
}

/** The prepared dataset of a cell: prepared (and its statistics logged) once, then kept. */
function datasetPreparer(
  datasets: Map<string, PreparedDataset>,
  log: (line: string) => void,
): (cell: PlannedCell) => Promise<PreparedDataset> {
  return async (cell) => {
    const known = datasets.get(datasetLabel(cell.dataset));
    if (known) return known;
    const prepared = await prepareDataset(cell.dataset);
    datasets.set(prepared.label, prepared);
    log(`dataset ${prepared.label}\n${prepared.statistics}\n${prepared.split.protocol.join("\n")}`);
    return prepared;
  };
}

/**
 * The plan of a run as its selections finish: planned again from the original plan's mode and
 * options with the selection derived from the stored trials. A plan of some cells only (a notebook
 * may ask for a subset) keeps those cells, plus the trials they wait for.
 */
class SelectionRefresh {
  readonly #plan: ExperimentPlan;
  readonly #resultsDir: string;
  readonly #log: (line: string) => void;
  /** The keys of the cells asked for. */
  readonly #wanted: Set<string>;
  /** Whether every cell of the full plan was asked for (then nothing is filtered). */
  readonly #everything: boolean;

  constructor(plan: ExperimentPlan, resultsDir: string, log: (line: string) => void) {
    this.#plan = plan;
    this.#resultsDir = resultsDir;
    this.#log = log;
    this.#wanted = new Set(plan.cells.map((cell) => cell.key));
    this.#everything = replanWith(plan, plan.selected).cells.every((cell) =>
      this.#wanted.has(cell.key)
    );
  }

  /** The plan with `selected`: the cells asked for and the trials they wait for. */
  replan(selected: SelectedConfigurations): ExperimentPlan {
    const full = replanWith(this.#plan, selected);
    if (this.#everything) return full;
    const wanted = this.#wanted;
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
  }

  /**
   * `current` with the selection derived from the stored trials (written to `selected.json`).
   * `writeSelection` settles a chain of selections whole (a choice releases the trials built on
   * it, whose stored records make the next choice), so one replan holds them all.
   */
  refresh(current: ExperimentPlan): ExperimentPlan {
    const selected = writeSelection(current, this.#resultsDir, this.#log);
    if (JSON.stringify(selected) === JSON.stringify(current.selected)) return current;
    return this.replan(selected);
  }
}

/**
 * The main loop of a run: the next runnable cell of the plan as it stands, claimed, run and
 * stored, until no cell is left to this process.
 */
class CellLoop {
  /** The plan as it stands (selections found since the start included). */
  current: ExperimentPlan;
  /** The cells that failed in this run (with `continueOnFailure`). */
  readonly failed: { key: string; error: string }[] = [];
  /** The cells whose claims other processes took over while this one ran them. */
  readonly handedOver: string[] = [];
  /** The cells another process held when this one tried them (or took over while it ran them). */
  readonly #skipped = new Set<string>();
  readonly #selection: SelectionRefresh;
  readonly #estimate: StartEstimate;
  readonly #options: RunPlanOptions;
  /** What runs a claimed cell, less its `onEpoch` (each cell's gives its place). */
  readonly #context: Omit<ClaimedCellContext, "onEpoch">;
  /** Each epoch's progress, with the place the cell will take in the plan. */
  readonly #onEpoch: NonNullable<RunPlanOptions["onEpoch"]>;
  readonly #started = performance.now();
  /** The cells run (trained, or diverged) by this process so far. */
  #done = 0;
  /** Counts the plan's finished cells for {@linkcode #place}, each cell file read once. */
  readonly #placeCount: PlanPlaceCount;
  /** Whether a cell is finished, for {@linkcode #runnable}: each changed cell file parsed once. */
  readonly #finishedCells: FinishedCellTexts;

  constructor(
    start: ExperimentPlan,
    selection: SelectionRefresh,
    estimate: StartEstimate,
    options: RunPlanOptions,
    context: Omit<ClaimedCellContext, "onEpoch">,
    onEpoch: NonNullable<RunPlanOptions["onEpoch"]>,
  ) {
    this.current = start;
    this.#onEpoch = onEpoch;
    this.#selection = selection;
    this.#estimate = estimate;
    this.#options = options;
    this.#context = context;
    this.#placeCount = new PlanPlaceCount(context.store);
    this.#finishedCells = new FinishedCellTexts(context.store);
  }

  /** Runs cells until none is runnable here (and, with `waitForOthers`, none is held elsewhere). */
  async runCells(): Promise<void> {
    while (true) {
      // Another process sharing the store may have finished trials since: the ones a waiting cell
      // needs, or the rerun trials of a selection whose earlier choice this process's plan still
      // holds (stale trial records leave selected.json's choice in place until every trial is
      // rerun). Refreshed before every cell, not only while cells wait: a process that kept the
      // earlier choice would run, and store, the seeds with it while the other ran them with the
      // new one, each overwriting the other's records (seen 2026-12-03 when the CL4SRec-MM trials
      // were rerun). Reading the trials' records costs milliseconds; a cell, seconds to minutes.
      this.current = this.#selection.refresh(this.current);
      const cell = nextCell(this.#runnable(), this.#options);
      // A cell that became runnable as a selection finished (its settings known only now) is
      // guarded as the first ones were, before it is claimed; the refusal says what this run
      // trained before (it said "Nothing was trained or written" after the selection's trials).
      if (cell !== undefined && this.#options.replaceOtherSettings !== true) {
        const { store, resultsDir } = this.#context;
        const done = this.#done === 0
          ? undefined
          : `Nothing more was trained or written: the ${
            this.#done === 1 ? "cell" : `${this.#done} cells`
          } this run finished before ${this.#done === 1 ? "stays" : "stay"} stored`;
        checkNoOtherSettingsReplaced(this.current, [cell], store, resultsDir, done);
      }
      if (cell !== undefined) await this.#claimAndRun(cell);
      else if (!await this.#waitedForOthers()) return;
    }
  }

  /** The line that ends the run: the cells run, failed and handed over by this process. */
  closingLine(): string {
    return `this process ran ${this.#done} cells, ${this.failed.length} failed, ` +
      `${this.handedOver.length} handed over (taken over by another process while they ran here)`;
  }

  /**
   * The cells that can run now: not waiting, skipped, failed or finished (by any process: each
   * file read again, parsed again only when changed, {@linkcode FinishedCellTexts}).
   */
  #runnable(): PlannedCell[] {
    const current = this.current;
    return current.cells.filter((cell) =>
      !cell.waitsFor && !this.#skipped.has(cell.key) &&
      !this.failed.some((f) => f.key === cell.key) &&
      !this.#finishedCells.isFinished(current, cell)
    );
  }

  /**
   * With `waitForOthers`, while a skipped cell is still held by another process: waits a poll
   * interval and tries the skipped cells again. False when there is nothing to wait for.
   */
  async #waitedForOthers(): Promise<boolean> {
    const heldElsewhere = [...this.#skipped].filter((key) => {
      const held = this.current.cells.find((c) => c.key === key);
      return held !== undefined && !isFinished(this.#context.store, this.current, held);
    });
    if (!this.#options.waitForOthers || heldElsewhere.length === 0) return false;
    await new Promise((resolve) =>
      setTimeout(resolve, (this.#options.waitSeconds ?? DEFAULT_PLAN_WAIT_SECONDS) * 1000)
    );
    this.#skipped.clear();
    this.current = this.#selection.refresh(this.current);
    return true;
  }

  /** Claims `cell` and runs it, or skips it while another process holds it. */
  async #claimAndRun(cell: PlannedCell): Promise<void> {
    const { store, log } = this.#context;
    let result: CellResult | undefined;
    let claimed = false;
    const cellStart = performance.now();
    // The claim inside the try: a claim another process left unreadable fails this cell, not the
    // whole run. A results folder that cannot be written stops the run (below): every cell's claim
    // would fail the same way, a failure line per cell where one line says it.
    try {
      const holder = store.claim(cell.key);
      if (holder) {
        this.#logOutcome(cell, "held", `skip ${cell.key}: ${describeClaimHolder(holder)}`);
        this.#skipped.add(cell.key);
        return;
      }
      claimed = true;
      // The place its line will say once it is stored, unless other processes store cells meanwhile.
      const now = this.#place();
      const place = { finished: now.finished + 1, planned: now.planned };
      result = await runClaimedCell(this.current, cell, {
        ...this.#context,
        onEpoch: (cell, progress) => this.#onEpoch(cell, progress, place),
      });
    } catch (error) {
      // Its line is logged (by the claim's heartbeat, when it found the loss). The process that
      // took the claim over runs the cell: skipped as held elsewhere (waited for with
      // `waitForOthers`, run here again only if that process dies).
      if (error instanceof ClaimLostError) {
        if (!this.handedOver.includes(cell.key)) this.handedOver.push(cell.key);
        this.#skipped.add(cell.key);
        this.#options.onCellDone?.(cell, { kind: "handedOver", line: error.message });
        return;
      }
      // An interrupt stops the whole plan, never only its cell.
      if (!this.#options.continueOnFailure || error instanceof InterruptedError) throw error;
      if (!claimed && folderUnwritable(error)) throw error;
      // A claim lock held by a paused or hung process (its heartbeat at an epoch end waited for
      // it): the run stops with the error's line, which says how to find and free that process,
      // rather than counting a failed cell and waiting minutes again at each later cell's lock.
      if (error instanceof ClaimLockTimeoutError) throw error;
      this.failed.push({ key: cell.key, error: (error as Error).message });
      this.#logOutcome(cell, "failed", `FAILED ${cell.key}: ${(error as Error).stack ?? error}`);
      return;
    } finally {
      if (claimed) {
        store.release(cell.key);
        if (cell.trial) this.current = this.#selection.refresh(this.current);
      }
    }
    if (result === undefined) return;
    this.#done++;
    const elapsed = (performance.now() - this.#started) / 1000;
    const left = this.#estimate.secondsLeft(this.current, store, elapsed);
    const cellSeconds = (performance.now() - cellStart) / 1000;
    const text = resultText(result);
    log(progressLine(this.#place(), cell.key, text, backboneNote(result), cellSeconds, left));
    this.#options.onCellDone?.(cell, {
      kind: "finished",
      result: `${text}${backboneNote(result)}`,
    });
  }

  /**
   * Where the plan stands now: its cells finished by every process sharing the store, not by this
   * one only (its own count read `[1]` in a worker next to `[3]` in the first process).
   */
  #place(): PlanPlace {
    const current = this.current;
    return { finished: this.#placeCount.finished(current), planned: current.cells.length };
  }

  /** Logs `line` (of a cell failed or held) and reports it, first line only, as the outcome. */
  #logOutcome(cell: PlannedCell, kind: "failed" | "held", line: string): void {
    this.#context.log(line);
    this.#options.onCellDone?.(cell, { kind, line: line.split("\n")[0] });
  }
}

/**
 * Whether `error` says the results folder cannot be written at all (no permission, a read-only or
 * full file system) or its claims cannot be locked (no flock), as opposed to one cell's claim or
 * run failing.
 */
function folderUnwritable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return error instanceof Deno.errors.PermissionDenied || error instanceof ClaimLockError ||
    error instanceof Deno.errors.NotCapable || code === "EROFS" || code === "ENOSPC";
}

/** A finished cell's validation NDCG@10 and best epoch, and whether the cap bound it. */
function resultText(result: CellResult): string {
  return `valid NDCG@10 ${result.valid["NDCG@10"].toFixed(4)}, best epoch ` +
    `${result.bestEpoch}/${result.maxEpochs}${result.capBound ? " (cap bound)" : ""}`;
}

/**
 * The cells of `current` stored now (by any process), in plan order, and the keys still to run;
 * each read as the views show it ({@linkcode readFinishedCell}: the card names the whole objective).
 */
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
      : readFinishedCell(store, cell.key, settingsOf(current, cell));
    if (result) {
      cells.push(result);
      byKey.set(cell.key, result);
    } else pending.push(cell.key);
  }
  return { plan: current, cells, byKey, pending };
}
