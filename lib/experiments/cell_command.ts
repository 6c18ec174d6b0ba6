/**
 * The grid's cells as commands, for batch schedulers: list the plan's cells with a stable index,
 * run exactly one of them, and tie a results folder to the plan that fills it.
 *
 * Each cell is already an independent, resumable unit (one result file, written atomically), so a
 * job-array task is `reproduce --cell <key> --results <shared folder>` (scripts/slurm/submit.ts).
 * The folder's `plan.json` records the plan that writes into it (its mode), and a command of another
 * plan stops with an error before writing anything, so two grids never mix in one folder. Seeds may
 * differ: a cell's key and stored settings carry its seed, so adding seeds to a folder is a resume.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * for (const cell of listCells(plan, "results/quick")) console.log(cell.index, cell.status, cell.key);
 * checkResultsPlan(plan, "results/quick");
 * await runOneCell(plan, resolveCell(plan, "3"), { resultsDir: "results/quick" });
 * ```
 */
import { loggedCellWork } from "./_cell_work_lines.ts";
import { checkCellResult } from "./cell_result_check.ts";
import { writeFilesAtomically } from "../data/atomic_write.ts";
import { datasetLabel, prepareDataset, type PreparedDataset } from "./datasets.ts";
import { canonicalDatasetSpec, type DatasetSpec } from "./dataset_spec.ts";
import { DEFAULT_RANKING_PROTOCOL, type RankingProtocol } from "../eval/protocol.ts";
import type { TrainerConfig } from "../train/config.ts";
import type { ExperimentMode, ExperimentPlan, PlannedCell } from "./plan_types.ts";
import { type CellClaim, describeClaimHolder } from "./cell_claim.ts";
import { HeldClaim } from "./held_claim.ts";
import type { CellResult } from "./run_cell.ts";
import { pathExists } from "../util/path_exists.ts";
import { canonicalJson } from "../util/json_differences.ts";
import {
  checkOptionalFunction,
  checkOptionalText,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import {
  cellsDirectory,
  cellStoreOf,
  checkStoredData,
  existingCellStoreOf,
  isReusable,
  readFinishedCell,
  reuseSameRun,
  settingsOf,
} from "./stored_cells.ts";
import { estimatedCellSeconds } from "./cell_seconds.ts";
import { epochLine, runPlannedCell } from "./run_plan.ts";
import { removeCellCheckpoints, removeCheckpointsOfStoredCells } from "./cell_checkpoints.ts";
import { removeAbandonedModelCopies } from "./cell_model.ts";
import { writeSelection } from "./selection_record.ts";

/** One cell of a plan as a command sees it. */
export interface CellListing {
  /** Position in the plan (stable for a given plan: the plan's order is fixed). */
  index: number;
  /** The cell's key (its result file name). */
  key: string;
  /** Dataset label. */
  dataset: string;
  /** System name (table row). */
  system: string;
  /** The cell's seed. */
  seed: number;
  /** Expected wall time on the reference machine (2 cores), see `estimatedCellSeconds`. */
  estimatedSeconds: number;
  /** finished: stored with the plan's settings; claimed: a process holds it; pending: neither. */
  status: "finished" | "claimed" | "pending";
  /** Who holds the cell, when claimed. */
  claim?: CellClaim;
  /** When pending: the finished cell whose record it will store without training (`sameAs`). */
  reuses?: string;
  /**
   * When the cell waits for a selection (`waitsFor`): expected seconds until that selection is
   * made, before the cell's own `estimatedSeconds` can start: the longest chain of its unfinished
   * trials (a Demure trial waits for its backbone's selection in turn), each trial on its own task.
   * A task that starts the cell before its selection is made spends this time waiting.
   */
  waitSeconds?: number;
  /**
   * When the cell waits for a selection: its stage, 1 + the latest stage among the unfinished
   * trials of its selections (a cell that does not wait is stage 0). The full plan from scratch
   * has three: the backbones' trials (0), the Demure trials and the backbones' seeds (1), the
   * Demure seeds (2). A scheduler that starts stage k when stage k-1 has ended runs no task that
   * waits (scripts/slurm/submit.ts: one job array per stage).
   */
  stage?: number;
}

/** The cells of `plan` in order, with their state under `resultsDir` when given. Writes nothing. */
export function listCells(plan: ExperimentPlan, resultsDir?: string): CellListing[] {
  const store = resultsDir !== undefined ? existingCellStoreOf(resultsDir) : undefined;
  const listed = plan.cells.map((cell, index): CellListing => {
    const finished = store?.get(cell.key, settingsOf(plan, cell), checkCellResult) !== undefined;
    const claim = finished ? undefined : store?.claimOf(cell.key);
    const reuses = !finished && store && isReusable(store, plan, cell) ? cell.sameAs : undefined;
    return {
      index,
      key: cell.key,
      dataset: datasetLabel(cell.dataset),
      system: cell.systemName,
      seed: cell.seed,
      estimatedSeconds: reuses ? 0 : estimatedCellSeconds(plan, cell),
      status: finished ? "finished" : claim ? "claimed" : "pending",
      ...(claim ? { claim } : {}),
      ...(reuses ? { reuses } : {}),
    };
  });
  const finished = (i: number) => listed[i].status === "finished";
  const waits = selectionWaits(plan, finished, (i) => finished(i) ? 0 : listed[i].estimatedSeconds);
  return listed.map((cell, i) =>
    plan.cells[i].waitsFor
      ? { ...cell, waitSeconds: waits.untilCellStarts(i), stage: waits.stageOf(i) }
      : cell
  );
}

/** What the unfinished cells of a listing cost, from their estimates. */
export interface PendingCost {
  /** Cells not finished (claimed ones included). */
  cells: number;
  /** Their summed estimated training: the work for any number of processes to share. */
  trainingSeconds: number;
  /**
   * The longest task on a cluster with one task per cell: a cell's wait for its selection plus
   * its own estimate (`seconds`, of which `waitSeconds` waiting). No number of processes finishes
   * the cells sooner.
   */
  longestTask: { key: string; seconds: number; waitSeconds: number } | undefined;
}

/**
 * Sums the unfinished cells of {@linkcode listCells}'s listing and finds its longest task.
 *
 * @example
 * ```ts
 * const cost = pendingCost(listCells(planExperiments("full"), "results/full"));
 * console.log(cost.trainingSeconds / 3600, cost.longestTask?.seconds);
 * ```
 */
export function pendingCost(cells: readonly CellListing[]): PendingCost {
  const pending = cells.filter((cell) => cell.status !== "finished");
  let longestTask: PendingCost["longestTask"];
  for (const cell of pending) {
    const seconds = (cell.waitSeconds ?? 0) + cell.estimatedSeconds;
    if (longestTask === undefined || seconds > longestTask.seconds) {
      longestTask = { key: cell.key, seconds, waitSeconds: cell.waitSeconds ?? 0 };
    }
  }
  return {
    cells: pending.length,
    trainingSeconds: pending.reduce((sum, cell) => sum + cell.estimatedSeconds, 0),
    longestTask,
  };
}

/**
 * For each waiting cell, given which cells are finished and each cell's remaining seconds:
 * the expected seconds until it can start (a selection is made when its last trial finishes, and a
 * trial that waits for another selection starts after it; every cell is assumed to have its own
 * task, the cluster case: on fewer processes the wait is longer), and its stage (see
 * {@linkcode CellListing.stage}).
 */
function selectionWaits(
  plan: ExperimentPlan,
  finished: (index: number) => boolean,
  remaining: (index: number) => number,
) {
  const trialsOf = new Map<string, number[]>();
  plan.cells.forEach((cell, i) => {
    if (cell.trial) {
      trialsOf.set(cell.trial.selection, [...trialsOf.get(cell.trial.selection) ?? [], i]);
    }
  });
  const made = new Map<string, { seconds: number; stage: number }>();
  const selectionsOf = (i: number) => (plan.cells[i].waitsFor ?? []).map(selectionMade);
  const untilCellStarts = (i: number): number =>
    Math.max(0, ...selectionsOf(i).map((s) => s.seconds));
  const stageOf = (i: number): number => Math.max(0, ...selectionsOf(i).map((s) => s.stage));
  const selectionMade = (id: string): { seconds: number; stage: number } => {
    const known = made.get(id);
    if (known !== undefined) return known;
    // A cycle cannot happen in a plan; this only guards the recursion.
    made.set(id, { seconds: 0, stage: 1 });
    const unfinished = (trialsOf.get(id) ?? []).filter((t) => !finished(t));
    const result = {
      seconds: Math.max(0, ...unfinished.map((t) => untilCellStarts(t) + remaining(t))),
      stage: 1 + Math.max(0, ...unfinished.map(stageOf)),
    };
    made.set(id, result);
    return result;
  };
  return { untilCellStarts, stageOf };
}

/** The cell named by its index in the plan or by its key; a clear error for anything else. */
export function resolveCell(plan: ExperimentPlan, idOrIndex: string): PlannedCell {
  if (/^\d+$/.test(idOrIndex)) {
    const index = Number(idOrIndex);
    const cell = plan.cells[index];
    if (cell) return cell;
    throw new Error(
      `--cell ${idOrIndex}: no such index; the ${plan.mode} plan has cells 0..${
        plan.cells.length - 1
      } (see --list-cells)`,
    );
  }
  const cell = plan.cells.find((c) => c.key === idOrIndex);
  if (cell) return cell;
  throw new Error(
    `--cell "${idOrIndex}": not a cell of the ${plan.mode} plan (seeds ${
      plan.seeds.join(",")
    }); give an index 0..${plan.cells.length - 1} or a key printed by --list-cells`,
  );
}

/**
 * What a results folder records of its plan. Everything here but the seeds must match: a cell's
 * file is named by its key, which none of these changes, so a command of another plan would
 * recompute and overwrite the folder's cells (or, with `--list-cells`, call them pending).
 */
export interface PlanIdentity {
  /** The plan's mode: full or quick. */
  mode: ExperimentMode;
  /** The seeds of the command that first wrote the folder (informative: seeds may be added). */
  seeds: number[];
  /**
   * The imported dataset of a bring-your-own-data plan (absent for the embedded datasets). Two
   * files with one name (`mine.txt` and `mine.inter`) get one label and so one default folder: the
   * second command used to recompute and overwrite the first one's cells.
   */
  dataset?: DatasetSpec;
  /** The ranking protocol of validation and test (`--ranking`; absent in folders of before 2026-12-03). */
  ranking?: RankingProtocol;
  /** The imported dataset's trainer settings (`--max-epochs`, `--patience`; absent: none). */
  datasetTraining?: Partial<TrainerConfig>;
}

/** The identity of `plan`. */
export function planIdentity(plan: ExperimentPlan): PlanIdentity {
  const { dataset, ranking, datasetTraining } = plan.options;
  return {
    mode: plan.mode,
    seeds: plan.seeds,
    ...(dataset ? { dataset } : {}),
    ranking: ranking ?? DEFAULT_RANKING_PROTOCOL,
    ...(datasetTraining && Object.keys(datasetTraining).length > 0 ? { datasetTraining } : {}),
  };
}

/** The command-line options that name `training` (what an error message shows). */
function trainingOptions(training: Partial<TrainerConfig> | undefined): string {
  const words = [
    ...(training?.maxEpochs !== undefined ? [`--max-epochs ${training.maxEpochs}`] : []),
    ...(training?.patience !== undefined ? [`--patience ${training.patience}`] : []),
  ];
  return words.length > 0 ? words.join(" ") : "no --max-epochs or --patience";
}

/** The command-line options that name `dataset` (what an error message shows). */
function datasetOptions(dataset: DatasetSpec | undefined): string {
  if (dataset?.kind !== "file") return "the embedded datasets (no --dataset)";
  const features = (dataset.features ?? []).map((feature) => `${feature.name}=${feature.path}`);
  return `--dataset ${dataset.path} --format ${dataset.format}${
    features.length > 0 ? ` --features ${features.join(",")}` : ""
  }`;
}

/** Where a results folder records its plan. */
export function planFilePath(resultsDir: string): string {
  return `${resultsDir}/plan.json`;
}

/**
 * Throws when `resultsDir` belongs to another plan: its `plan.json` names another mode, dataset,
 * ranking protocol or dataset trainer settings, or (a folder from before `plan.json`) it holds
 * cells of another mode. Writes nothing.
 */
export function checkResultsPlan(plan: ExperimentPlan, resultsDir: string): void {
  const path = planFilePath(resultsDir);
  const wanted = planIdentity(plan);
  if (pathExists(path)) {
    let recorded: PlanIdentity;
    const text = Deno.readTextFileSync(path);
    try {
      recorded = JSON.parse(text) as PlanIdentity;
    } catch (error) {
      throw new Error(`${path}: unreadable (${(error as Error).message})`);
    }
    // `null` failed below as a TypeError that named no file.
    if (typeof recorded !== "object" || recorded === null || Array.isArray(recorded)) {
      throw new Error(`${path}: unreadable (not a JSON object: ${text.trim().slice(0, 80)})`);
    }
    for (const field of ["mode"] as const) {
      if (JSON.stringify(recorded[field]) !== JSON.stringify(wanted[field])) {
        throw new Error(
          `${path}: field "${field}" is ${JSON.stringify(recorded[field])}, this command's plan ` +
            `has ${JSON.stringify(wanted[field])}: the folder holds another plan's cells. Use ` +
            `another --results folder, or the folder's own plan (${
              recorded.mode === "quick" ? "with" : "without"
            } --quick)`,
        );
      }
    }
    // Folders written before 2026-12-03 record no ranking, and may lack the other fields: only
    // what they record is compared (they are not rewritten: their cells, not this command, know).
    const legacy = recorded.ranking === undefined;
    // A folder of the embedded datasets records no dataset: an imported dataset is another plan.
    if (
      (!legacy || recorded.dataset !== undefined) &&
      // A folder written before 2026-12-04 may record a RecBole path with its ".inter".
      canonicalJson(recorded.dataset && canonicalDatasetSpec(recorded.dataset)) !==
        canonicalJson(wanted.dataset)
    ) {
      throw new Error(
        `${path}: the folder holds the cells of ${datasetOptions(recorded.dataset)}; this ` +
          `command runs ${datasetOptions(wanted.dataset)}. Use another --results folder`,
      );
    }
    // A legacy folder's ranking is its cells' (each records one unless it is the default): with
    // none compared, `--select --ranking history_kept` into the records retrained every cell and
    // overwrote its record (a stored cell of other settings counts as unfinished).
    const held = legacy
      ? [...storedCellRankings(resultsDir)].find((ranking) => ranking !== wanted.ranking)
      : recorded.ranking;
    if (held !== undefined && held !== wanted.ranking) {
      throw new Error(
        `${legacy ? cellsDirectory(resultsDir) : path}: the folder holds cells ranked with ` +
          `--ranking ${held}; this command ranks with --ranking ${wanted.ranking}. Use another ` +
          "--results folder",
      );
    }
    if (
      !legacy &&
      canonicalJson(recorded.datasetTraining ?? {}) !== canonicalJson(wanted.datasetTraining ?? {})
    ) {
      throw new Error(
        `${path}: the folder holds cells trained with ${
          trainingOptions(recorded.datasetTraining)
        }; this command trains with ${trainingOptions(wanted.datasetTraining)}. Use another ` +
          "--results folder",
      );
    }
    return;
  }
  const cells = cellsDirectory(resultsDir);
  if (!pathExists(cells)) return;
  const foreign = [...Deno.readDirSync(cells)]
    .filter((e) => e.name.endsWith(".json") && !e.name.startsWith(`${plan.mode}__`))
    .map((e) => e.name);
  if (foreign.length > 0) {
    throw new Error(
      `${cells}: holds cells of another plan (e.g. ${foreign[0]}), not of the ${plan.mode} ` +
        "plan; use another --results folder",
    );
  }
}

/**
 * The ranking protocols of the cells stored in `resultsDir` (a cell's settings name one in
 * `training.ranking` only when it is not the default): what a folder whose `plan.json` predates
 * the ranking field was ranked with. Reads every cell file (the records' 208: 16 MB, once per
 * command), only for such a folder.
 */
function storedCellRankings(resultsDir: string): Set<RankingProtocol> {
  const rankings = new Set<RankingProtocol>();
  const cells = cellsDirectory(resultsDir);
  if (!pathExists(cells)) return rankings;
  for (const entry of Deno.readDirSync(cells)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const path = `${cells}/${entry.name}`;
    let stored: { settings?: { training?: { ranking?: RankingProtocol } } };
    try {
      stored = JSON.parse(Deno.readTextFileSync(path));
    } catch (error) {
      throw new Error(`${path}: unreadable cell result (${(error as Error).message}); delete it`);
    }
    rankings.add(stored.settings?.training?.ranking ?? DEFAULT_RANKING_PROTOCOL);
  }
  return rankings;
}

/** Records `plan` as the plan of `resultsDir` (after {@linkcode checkResultsPlan}), once. */
export function recordResultsPlan(plan: ExperimentPlan, resultsDir: string): void {
  checkResultsPlan(plan, resultsDir);
  if (pathExists(planFilePath(resultsDir))) return;
  Deno.mkdirSync(resultsDir, { recursive: true });
  // Array tasks may start together: each writes the same content atomically.
  writeFilesAtomically([
    { path: planFilePath(resultsDir), data: JSON.stringify(planIdentity(plan), null, 1) + "\n" },
  ]);
}

/** Options of {@linkcode runOneCell}. */
export interface RunOneCellOptions {
  /** The reproduction's directory (`results/<mode>`). */
  resultsDir: string;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
  /** The batch job running this process (recorded in the cell's claim), e.g. `1234_7`. */
  job?: string;
  /** Prepared datasets by label (read once by the caller), reused instead of read again. */
  datasets?: Map<string, PreparedDataset>;
}

const RUN_ONE_CELL_OPTION_NAMES: SettingNames<RunOneCellOptions> = Object.freeze({
  resultsDir: true,
  log: true,
  job: true,
  datasets: true,
});

/**
 * Throws a `SettingError` for an unknown name or a value of another kind, before any claim is
 * taken: a null `log` printed to the console, a null `job` recorded no job, null `datasets` read
 * the files again.
 */
function checkRunOneCellOptions(options: RunOneCellOptions): void {
  checkSettingNames("RunOneCellOptions", options, RUN_ONE_CELL_OPTION_NAMES);
  if (typeof options.resultsDir !== "string") {
    throw new SettingError(
      "RunOneCellOptions.resultsDir",
      options.resultsDir,
      "a folder (a string)",
    );
  }
  checkOptionalFunction("RunOneCellOptions.log", options.log, "a function of a line");
  checkOptionalText("RunOneCellOptions.job", options.job, "a text (the batch job's id)");
  if (options.datasets !== undefined && !(options.datasets instanceof Map)) {
    throw new SettingError(
      "RunOneCellOptions.datasets",
      options.datasets,
      "a Map of prepared datasets by label",
    );
  }
}

/**
 * Runs exactly one cell of `plan` into `resultsDir` under a claim, unless it is already stored
 * (then returns the stored result, as `readFinishedCell` reads it) or is the same run as a stored
 * cell (`sameAs`: that record is stored under this cell's key as it is, nothing trains). Throws when another live process holds the cell,
 * when the cell fails (its claim is released either way, and nothing is stored), a
 * `ClaimLostError` when another process took the claim over while the cell ran (the cell stopped
 * at an epoch end, nothing more of it written: that process runs it), and, before anything
 * else, a `StaleCellError` when `resultsDir` holds a finished cell of imported files that have
 * changed since (`checkStoredData`, as `runPlan`).
 */
export async function runOneCell(
  plan: ExperimentPlan,
  cell: PlannedCell,
  options: RunOneCellOptions,
): Promise<{ result: CellResult; ranNow: boolean }> {
  checkRunOneCellOptions(options);
  const log = options.log ?? console.log;
  if (cell.waitsFor) {
    throw new Error(
      `${cell.key}: its configuration waits for the selection of ${cell.waitsFor.join(", ")}; ` +
        "run the selection's trials (cells key .../trial=N/...) first",
    );
  }
  recordResultsPlan(plan, options.resultsDir);
  // As runPlan does: a batch task must neither return nor reuse a cell of imported files that
  // changed since, nor add a trial to a selection among trials of the old files. The check reads
  // the data only when a cell of imported files is stored, and once: the run below trains on it.
  const prepared = new Map<string, PreparedDataset>(options.datasets);
  const datasetOf = async (of: PlannedCell) => {
    const label = datasetLabel(of.dataset);
    const data = prepared.get(label) ?? await prepareDataset(of.dataset);
    prepared.set(label, data);
    return data;
  };
  await checkStoredData(plan, options.resultsDir, datasetOf);
  const store = cellStoreOf(options.resultsDir);
  removeAbandonedModelCopies(options.resultsDir, log);
  const settings = settingsOf(plan, cell);
  const stored = readFinishedCell(store, cell.key, settings);
  if (stored) {
    log(`${cell.key}: already finished (${store.pathOf(cell.key)})`);
    removeCheckpointsOfStoredCells(options.resultsDir, plan, [cell], {
      store,
      log,
      job: options.job,
    });
    return { result: stored, ranNow: false };
  }
  const holder = store.claim(cell.key, options.job);
  if (holder) {
    throw new Error(
      `${cell.key}: ${describeClaimHolder(holder)}; a claim whose process died is taken over ` +
        `once its heartbeat is ${store.staleSeconds} s old (or delete ` +
        `${store.claimPathOf(cell.key)} if that process is dead)`,
    );
  }
  const held = new HeldClaim(store, cell.key, log);
  try {
    const again = readFinishedCell(store, cell.key, settings);
    if (again) return { result: again, ranNow: false };
    // Written as stored (reuseSameRun), returned as read, as a stored cell is above.
    if (reuseSameRun(store, cell, settings)) {
      log(`${cell.key}: the same run as ${cell.sameAs} (reused)`);
      return { result: readFinishedCell(store, cell.key, settings)!, ranNow: false };
    }
    const data = await datasetOf(cell);
    log(`dataset ${data.label}\n${data.statistics}\n${data.split.protocol.join("\n")}`);
    log(`cell ${cell.key}`);
    const started = performance.now();
    const result = await runPlannedCell(plan, cell, data, {
      afterEpoch: () => held.check(),
      onProgress: (progress) => log(epochLine(progress)),
      ...loggedCellWork(log),
    }, options.resultsDir);
    held.check();
    store.put(cell.key, settings, result);
    removeCellCheckpoints(options.resultsDir, plan, cell);
    // A finished trial may complete a selection: the cells that wait for it become runnable.
    if (cell.trial) writeSelection(plan, options.resultsDir, log);
    // Where the result is: a batch task's log ended at its metrics without naming the file.
    log(
      `${cell.key}: test NDCG@10 ${result.test["NDCG@10"].toFixed(4)} HR@10 ${
        result.test["HR@10"].toFixed(4)
      } (${((performance.now() - started) / 1000).toFixed(1)} s); stored in ` +
        store.pathOf(cell.key),
    );
    return { result, ranNow: true };
  } finally {
    held.stop();
    store.release(cell.key);
  }
}
