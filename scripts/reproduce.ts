/**
 * The main job: reproduces, verifies and reports the grid of cells. Its usage and options are in
 * `reproduce_options.ts` (`deno task reproduce --help` prints them).
 */
import type { CellResult, PreparedDataset, RerunCheck } from "../lib/experiments/mod.ts";
import {
  checkedOption,
  listsForPrograms,
  reproduceOptions,
  RESTART_FLAG,
  RUN_FOLDERS,
  runPermissions,
  TASK_NAME,
  taskError,
  usageError,
  workerDatasetReads,
} from "./reproduce_options.ts";
import {
  joinWorkers,
  startWorkers,
  stopWhenMainProcessGone,
  workerArgs,
  workerLog,
  type Workers,
} from "./reproduce_workers.ts";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runAgain } from "./reproduce_restart.ts";
import { SELECTION_POLL_SECONDS, selectionWaitLine } from "./cli/selection_wait.ts";
import { durationText } from "./cli/duration_text.ts";

// `--help` and a bad option stop here, before the library (tfjs, the backends, the experiments)
// loads: it is imported dynamically below (timings: reproduce_options.ts).
const {
  values,
  firstDataset,
  mode,
  seeds,
  dataset,
  datasetTraining,
  ranking,
  isWorker,
  workers,
  selectionWaitSeconds,
  restart,
} = reproduceOptions(Deno.args);
/** This script's path, which the restarted run and the workers run. */
const script = fileURLToPath(import.meta.url);
// Folders named on the command line outside the project: the same command again, with them added
// to the task's permissions (reproduce_restart.ts), before the library loads in this process.
if (restart) {
  // The note is for people: `--list-cells --json` is read by programs (the cluster routes, which
  // learn the dataset's folders from the listing's `datasetReads`), whose stderr then holds only
  // an error, the one line they pass on (they had copied the note's wording to drop it).
  if (!listsForPrograms(values)) console.error(`${TASK_NAME}: ${restart.note}`);
  Deno.exit(await runAgain(restart.flags, script, [...Deno.args, RESTART_FLAG]));
}
// One BLAS thread per process: the environment of the records (see reproduce_workers.ts).
if (workers > 1 && Deno.env.get("DEMURE_BLAS_THREADS") === undefined) {
  Deno.env.set("DEMURE_BLAS_THREADS", "1");
}

// The experiments' and the backend's folders, not the root `mod.ts`: the root also loads the
// notebooks' danfo.js tables (danfojs-node), which no cell uses and which cost every process of
// the main job, its workers and each cluster task about 90 MiB of resident memory and 1.2 s of
// start-up (measured 2026-12-05: 175 against 86 MiB, 1.55 against 0.30 s to import them).
const {
  datasetLabel,
  planExperiments,
  prepareDataset,
  runPlan,
  summarise,
  cellsDirectory,
  cellStoreOf,
  checkResultsPlan,
  ClaimLockError,
  ClaimLockTimeoutError,
  ClaimLostError,
  checkStoredData,
  checkCellsFitData,
  compareWithRecord,
  listCells,
  pendingCost,
  planWithCurrentSelection,
  readmeTables,
  readSelected,
  recordResultsPlan,
  RECORDS_DIR,
  releaseClaimsOnSignal,
  updateReadmeTables,
  replanWith,
  resolveCell,
  runOneCell,
  selectedPath,
  settingsOf,
  verificationSubset,
  writeReport,
  writeSelectedFile,
} = await import("../lib/experiments/mod.ts");
const { blasKernelsInUse, describeBlasKernels, initBackend, tf } = await import(
  "../lib/backend/mod.ts"
);

// The full grid's cells are the committed records; quick and imported-data runs are throw-away.
// An imported dataset's folder carries its format too: `mine.txt` and `mine.inter` share the label
// `mine` (and so their cells' keys), and a folder per label made the second one's run stop at the
// first one's plan.json.
const resultsDir = values.results ??
  (dataset?.kind === "file"
    ? `results/${datasetLabel(dataset)}-${dataset.format}/${mode}`
    : mode === "quick"
    ? RUN_FOLDERS.quick
    : RECORDS_DIR.full);
// By path, not by spelling: `./results-of-record/full/` is the records too.
const isRecords = resolve(resultsDir) === resolve(RECORDS_DIR.full);
if (values.all && !isRecords) {
  checkedOption(() => {
    throw new Error(
      `--all reruns and compares the records (${RECORDS_DIR.full}); ${resultsDir} is another ` +
        "folder, whose plan runs (and resumes) without --all",
    );
  });
}
// Reports of the records go to results/full, so that the records folder holds cells only.
const reportDir = isRecords ? RUN_FOLDERS.recordsReports : resultsDir;
// A run of the records without --select verifies them: it reruns their cells into results/verify.
const verify = isRecords && !values.select;
const verifyDir = RUN_FOLDERS.verify;
// The verification reruns the longest recorded cells first (below): --first was dropped unsaid.
if (verify && firstDataset !== undefined) {
  usageError(
    "--first: not for the verification of the records, which reruns the longest cells first " +
      "(it orders a run of the plan: --quick, --select or another --results)",
  );
}
// The plan range-checks the seeds and the trainer settings given as options, then the selected
// configurations (a bad one names the file it came from).
const planOptions = {
  ...(dataset ? { dataset } : {}),
  ...(ranking ? { ranking } : {}),
  ...(Object.keys(datasetTraining).length > 0 ? { datasetTraining } : {}),
};
checkedOption(() => {
  try {
    planExperiments(mode, seeds, planOptions);
  } catch (error) {
    // The range is the trainer's (one home); the message names the option the user typed.
    const message = (error as Error).message;
    const flag = ([["maxEpochs", "max-epochs"], ["patience", "patience"]] as const)
      .find(([field]) => message.startsWith(`TrainerConfig.${field} `));
    if (flag === undefined) throw error;
    throw new Error(`--${flag[1]} ${datasetTraining[flag[0]]}: ${message}`);
  }
});
const plan = (() => {
  const path = selectedPath(resultsDir);
  try {
    return planExperiments(mode, seeds, { ...planOptions, selected: readSelected(path) });
  } catch (error) {
    const message = (error as Error).message;
    fail(new Error(message.startsWith(path) ? message : `${path}: ${message}`));
  }
})();

/** Why the records hold no cell of this plan although they store cells. */
const OTHER_OPTIONS_THAN_RECORDS = " with these options (its cells were run with other --seeds)";

/** Whether `resultsDir` stores any cell, of this plan's settings or not. */
function storesAnyCell(resultsDir: string): boolean {
  try {
    return [...Deno.readDirSync(cellsDirectory(resultsDir))].some((e) => e.name.endsWith(".json"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The worker processes this run started, stopped with it (see the signal listener below). */
let runWorkers: Workers | undefined;
/** How long a stopped run waits for its workers to give up their claims and exit. */
const WORKER_STOP_SECONDS = 30;

/** This process's lines about stopping: stderr, or a worker's `workers.log` once its main is gone. */
const stopLog = workerLog(verify ? verifyDir : resultsDir);
// Ctrl-C or SIGTERM: this process stops its workers (they give up their claims) and waits for
// them, then gives up its own claims (last: its cell trains on meanwhile, and may be followed by a
// new claim) and exits, so that a rerun started at once finds none of the cells held.
const stopAs = releaseClaimsOnSignal({
  onStop: async () => {
    if (runWorkers && !(await runWorkers.stopAndWait(WORKER_STOP_SECONDS))) {
      taskError(`workers still running after ${WORKER_STOP_SECONDS} s; exiting`);
    }
  },
  log: stopLog.line,
});
// A worker whose main process is gone (killed: no SIGTERM reached the worker) stops as on SIGTERM
// rather than training on as an orphan: its cells' claims are given up for a rerun. It says so in
// the results folder's workers.log: its stderr went to the main process.
if (isWorker) stopWhenMainProcessGone(stopLog, () => stopAs("SIGTERM"));

/** Stops with a clear message (no stack) and a non-zero status. */
function fail(error: unknown): never {
  taskError((error as Error).message);
  Deno.exit(1);
}

/**
 * Whether an error's one line says what to do: the results folder holds cells of the imported
 * files as they were before they changed (lib/experiments/stored_data_check.ts), or it cannot be
 * written (the system's message names the path: a folder writable at the top but not within), or
 * its file system gives no file locks for the claims (the error names the lock file), or a claim's
 * lock is held by a paused or hung process (the error names the lock file and how to find it), or
 * the disk is full while a checkpoint is saved (the error names the file).
 */
function saysWhatToDo(error: unknown): boolean {
  return (error as Error).name === "StaleCellError" ||
    error instanceof Deno.errors.PermissionDenied || error instanceof ClaimLockError ||
    error instanceof ClaimLockTimeoutError || isDiskFull(error);
}

/** A full disk: the checkpoint writes name their file (lib/checkpoint/checkpoint.ts). */
function isDiskFull(error: unknown): boolean {
  const code = (of: unknown) => (of as { code?: unknown } | undefined)?.code;
  return code(error) === "ENOSPC" || code((error as Error).cause) === "ENOSPC";
}

/** Stops with the error's one line when it says what to do; any other error is a bug. */
function failIfExpected(error: unknown): never {
  if (saysWhatToDo(error)) fail(error);
  throw error;
}

/** The imported dataset (`--dataset`), read once and shared by the run and its report. */
const importedDatasets = new Map<string, PreparedDataset>();

/** A cell's dataset: the imported one as read, or an embedded one prepared. */
function datasetOf(cell: { dataset: Parameters<typeof prepareDataset>[0] }) {
  const prepared = importedDatasets.get(datasetLabel(cell.dataset));
  return prepared ? Promise.resolve(prepared) : prepareDataset(cell.dataset);
}

/**
 * Reads and checks `--dataset` before any cell or results folder is written: a bad file stops
 * the run with its one line (file, line, field), where each cell used to fail on its own with the
 * same error and a stack, and the report then stopped on it uncaught.
 */
async function importDataset({ print }: { print: boolean }): Promise<void> {
  if (!dataset) return;
  try {
    // Reading a file of two million interactions took 21 s on two busy cores, with nothing printed
    // before the statistics: prepareDataset's line says what runs meanwhile.
    const prepared = await prepareDataset(dataset, print && !isWorker ? { log: console.log } : {});
    importedDatasets.set(prepared.label, prepared);
    if (isWorker || !print) return; // the first process has printed it
    console.log(
      `dataset ${prepared.label}\n${prepared.statistics}\n${prepared.split.protocol.join("\n")}`,
    );
  } catch (error) {
    // The data's errors name file, line and field, or the setting: no stack needed. Others are bugs.
    const name = (error as Error).name;
    if (name === "DataError" || name === "SettingError") fail(error);
    throw error;
  }
}

/**
 * Starts this run's other processes (none in a worker or with one process): the same command with
 * the reproduce task's permissions (deno.json), plus `--results` and the imported dataset's files
 * outside the project (`runPermissions`: the flags a run restarted with them has too,
 * docs/permissions.md); they stop with this process
 * (Ctrl-C or SIGTERM: the signal listener above).
 */
function startRunWorkers(): Workers | undefined {
  if (workers <= 1) return undefined;
  const started = startWorkers({
    count: workers - 1,
    runArgs: ["run", ...runPermissions(values.results, dataset), script],
    scriptArgs: workerArgs(Deno.args),
  });
  runWorkers = started;
  console.log(
    `${workers} processes share the cells (this one and workers 2..${workers}), ` +
      `${Deno.env.get("DEMURE_BLAS_THREADS")} BLAS thread(s) each`,
  );
  return started;
}

/** Writes the report from the cells under `resultsDir`; the README tables too for the records. */
async function report(): Promise<void> {
  // The selection on disk, not the one at start-up: cells that waited for it have their settings.
  const current = replanWith(plan, readSelected(selectedPath(resultsDir)));
  const outcome = await runPlan(current, {
    resultsDir,
    runPending: false,
    datasets: importedDatasets,
  }).catch(failIfExpected);
  const summary = summarise(outcome);
  const paths = await writeReport(summary, reportDir);
  console.log(`\nwrote ${paths.markdown}\n      ${paths.json}\n      ${paths.html}`);
  if (isRecords && seeds === undefined && !dataset && !ranking) {
    // The temporary in the results folder: the task may write README.md, not a sibling of it.
    const change = updateReadmeTables("README.md", readmeTables(summary), resultsDir);
    console.log(`      README.md tables (${change})`);
  }
  // The paths above are relative to the project; the page is what a reader opens, from anywhere.
  console.log(`\nopen the report in a browser: ${pathToFileURL(resolve(paths.html)).href}`);
  if (outcome.pending.length > 0) {
    const indexOf = new Map(outcome.plan.cells.map((cell, index) => [cell.key, index]));
    console.log(
      `\n${outcome.pending.length} of ${outcome.plan.cells.length} cells are missing (not ` +
        `finished${
          outcome.plan.cells.some((c) => c.waitsFor) ? ", or waiting for a selection" : ""
        }):`,
    );
    for (const key of outcome.pending) console.log(`missing\t${indexOf.get(key)}\t${key}`);
    const hint = seedsHint(outcome.plan.cells, new Set(outcome.pending));
    if (hint) console.log(`\n${hint}`);
  }
}

/**
 * Seeds are not part of a folder's plan.json (a folder holds any seeds' cells), so a folder run
 * with `--seeds 0` and reported without it listed the other seeds' cells as missing with no word
 * why. When no `--seeds` was given and some seed has no finished cell while others do, say so and
 * name the option; a folder stopped part-way gets the same line, which is also true of it.
 */
function seedsHint(cells: { key: string; seed: number }[], pending: Set<string>): string {
  if (seeds !== undefined) return "";
  const finished = new Set(cells.filter((c) => !pending.has(c.key)).map((c) => c.seed));
  const unfinished = [...new Set(cells.map((c) => c.seed))].filter((s) => !finished.has(s));
  if (finished.size === 0 || unfinished.length === 0) return "";
  const list = (values: number[]) => values.sort((a, b) => a - b).join(",");
  return `No cell of seed ${unfinished.sort((a, b) => a - b).join(" or ")} is finished in ` +
    `${resultsDir}: if it was run with --seeds ${list([...finished])}, report it with the same ` +
    `--seeds (a folder's plan.json does not hold its seeds).`;
}

// Every command reads and checks `--dataset` first: `--list-cells` (what a cluster submission
// reads) listed the cells of a missing or malformed file, and each submitted task then failed on
// it; `--cell` wrote the results folder's plan.json before failing with a stack. Only a run of
// many cells prints the statistics (`--list-cells --json` is read by programs, `--cell` prints
// them itself).
const singleCommand = ["list-cells", "cell", "report-only"] as const;
await importDataset({
  print: !singleCommand.some((name) => values[name] !== undefined && values[name] !== false),
});
// A file of few batches an epoch and a short --max-epochs (its Demure cells could never denoise),
// or users that leave a batch of 1 row (no negative for CL4SRec's loss): each such cell would fail
// on its own after the cells before it had trained (or, listed, as a task).
if (!values["report-only"]) {
  await checkCellsFitData(plan.cells, datasetOf).catch((error: Error & { setting?: string }) => {
    if (error.name !== "SettingError") throw error;
    const way = error.setting?.startsWith("DemureConfig.warmup")
      ? "on the command line: a larger --max-epochs"
      : `no option of this command sets ${error.setting}: a notebook's planExperiments sets it ` +
        "for this dataset (PlanOptions.datasetTraining; docs/data.md)";
    usageError(`${error.message} (${way})`);
  });
}

if (values["list-cells"]) {
  let cells: ReturnType<typeof listCells> = [];
  try {
    checkResultsPlan(plan, resultsDir);
    // A stored cell that cannot be read (truncated, hand-edited) names its file. The selection
    // as the stored trials hold it (read only): a choice whose trials are stale is listed as
    // waiting, and a cluster submission puts its cells in the stage after those trials.
    cells = listCells(planWithCurrentSelection(plan, resultsDir, { write: false }), resultsDir);
  } catch (error) {
    fail(error);
  }
  if (values.json) {
    // `imported`: the cells' time and memory estimates are the embedded data's, not this data's
    // (a cluster submission then asks for measured ones: scripts/cluster/stages.ts).
    const imported = dataset?.kind === "file";
    // `datasetReads`: the dataset's files outside the project, which a batch task's permissions
    // must name (else each task restarts itself to add them, a second Deno per task).
    const datasetReads = workerDatasetReads(dataset);
    console.log(
      JSON.stringify(
        { mode, seeds: plan.seeds, resultsDir, imported, datasetReads, cells },
        null,
        1,
      ),
    );
  } else {
    console.log(`# ${plan.mode} plan, ${cells.length} cells, state under ${resultsDir}`);
    for (const cell of cells) {
      const reuse = cell.reuses
        ? `\t(the same run as ${cell.reuses}: stored without training)`
        : "";
      const wait = cell.waitSeconds !== undefined
        ? `\t(stage ${cell.stage}: starts after its selection, ~${cell.waitSeconds} s)`
        : "";
      console.log(
        `${cell.index}\t${cell.status}\t~${cell.estimatedSeconds} s\t${cell.key}${reuse}${wait}`,
      );
    }
    const cost = pendingCost(cells);
    if (cost.longestTask) {
      console.log(
        `# ${cost.cells} cells to run: about ${
          durationText(cost.trainingSeconds)
        } of training by the ` +
          `estimates (calibrated on a shared machine: upper bounds; docs/scale.md has measured ` +
          `times); with one task per cell, about ${durationText(cost.longestTask.seconds)}: the ` +
          `longest task is ${cost.longestTask.key}` +
          (cost.longestTask.waitSeconds > 0 ? ", with its wait for its selection" : ""),
      );
    } else {
      // The listing's last line sums what is left (docs/scale.md), also when that is nothing:
      // without it, the full plan over the records ended at a cell's line.
      console.log(`# 0 cells to run: every cell of the plan is finished under ${resultsDir}`);
    }
  }
  Deno.exit(0);
}

if (values.cell !== undefined) {
  let cell;
  try {
    cell = resolveCell(plan, values.cell);
    checkResultsPlan(plan, resultsDir);
  } catch (error) {
    fail(error);
  }
  await initBackend().catch(fail);
  // The batch task running this cell, recorded in its claim: DEMURE_JOB_ID (set by the
  // Kubernetes pods of `deno task kubernetes`), else Slurm's array task, else Slurm's job.
  const slurmArray = Deno.env.get("SLURM_ARRAY_JOB_ID");
  const job = Deno.env.get("DEMURE_JOB_ID") ??
    (slurmArray
      ? `${slurmArray}_${Deno.env.get("SLURM_ARRAY_TASK_ID")}`
      : Deno.env.get("SLURM_JOB_ID"));
  try {
    // A cell whose configuration waits for a selection (its trials run in other tasks: on Slurm,
    // in the array of the stage before, so that the wait is short) waits for it, then runs with
    // the selected settings. The selection is the one the stored trials hold now, not only
    // selected.json's: a choice whose trials were changed since is dropped, and the cell waits
    // for their rerun instead of running its seed with the earlier choice.
    const started = performance.now();
    let current = planWithCurrentSelection(plan, resultsDir);
    cell = resolveCell(current, cell.key);
    for (let check = 0; cell.waitsFor; check++) {
      if ((performance.now() - started) / 1000 > selectionWaitSeconds) {
        fail(
          new Error(
            `cell ${cell.key}: waited ${selectionWaitSeconds} s (DEMURE_SELECTION_WAIT_S) for the ` +
              `selection of ${cell.waitsFor.join(", ")}: some of its trials have not finished ` +
              "(one failed, or runs elsewhere); --list-cells shows them, their logs say why",
          ),
        );
      }
      const line = selectionWaitLine(
        cell.key,
        cell.waitsFor,
        check,
        (performance.now() - started) / 1000,
        selectionWaitSeconds,
      );
      if (line !== null) console.log(line);
      await new Promise((resolve) => setTimeout(resolve, SELECTION_POLL_SECONDS * 1000));
      current = planWithCurrentSelection(plan, resultsDir);
      cell = resolveCell(current, cell.key);
    }
    await runOneCell(current, cell, { resultsDir, job, datasets: importedDatasets });
  } catch (error) {
    // Handed over (its line is printed): the process that took the claim over stores the cell, so
    // this task neither finished nor failed it, and a failed status would make a scheduler retry
    // a cell that is running.
    if (error instanceof ClaimLostError) Deno.exit(0);
    if (saysWhatToDo(error)) fail(error);
    taskError(`cell ${cell.key} failed:`, error);
    Deno.exit(1);
  }
  Deno.exit(0);
}

if (values["report-only"]) {
  try {
    checkResultsPlan(plan, resultsDir);
    // The records may be empty (a fresh plan); any other folder must hold something to report.
    // Records whose cells are all of other settings (--seeds 7, which the records' plan.json
    // does not compare; another --ranking is refused by the check above) used to get a report of
    // 208 missing cells written over results/full's, and exit 0.
    if (
      listCells(plan, resultsDir).every((cell) => cell.status !== "finished") &&
      (!isRecords || storesAnyCell(resultsDir))
    ) {
      throw new Error(
        `${resultsDir} holds no finished cell of the ${mode} plan` +
          (isRecords ? OTHER_OPTIONS_THAN_RECORDS : ""),
      );
    }
  } catch (error) {
    fail(error);
  }
  await initBackend().catch(fail);
  await report();
  Deno.exit(0);
}

try {
  if (isWorker) checkResultsPlan(plan, resultsDir);
  else if (!verify) recordResultsPlan(plan, resultsDir);
  else checkResultsPlan(plan, resultsDir);
} catch (error) {
  fail(error);
}
await initBackend().catch(fail);
if (!isWorker) {
  // Reruns are bit-identical to the records only on their kernel set (lib/backend/blas_kernels.ts).
  console.log(`OpenBLAS kernels: ${describeBlasKernels(blasKernelsInUse(tf.getBackend()))}`);
}
if (!verify) {
  // Before the workers start: each would stop on cells of the files as they were, as runPlan does.
  await checkStoredData(plan, resultsDir, datasetOf).catch(failIfExpected);
  // The whole plan, selection first (quick runs, imported data, or --select into the records).
  const others = startRunWorkers();
  const outcome = await runPlan(plan, {
    resultsDir,
    datasets: importedDatasets,
    waitForOthers: true,
    continueOnFailure: true,
    workers,
    ...(firstDataset ? { firstDataset } : {}),
    // The folder's plan.json guards it (checked above); a changed cell's rerun replaces it.
    replaceOtherSettings: true,
  }).catch(failIfExpected);
  for (const failure of outcome.failed) console.log(`FAILED ${failure.key}: ${failure.error}`);
  const workersOk = await joinWorkers(others);
  if (isWorker) Deno.exit(outcome.failed.length > 0 ? 1 : 0);
  await report();
  if (outcome.failed.length > 0 || !workersOk) Deno.exit(1);
  Deno.exit(0);
}

// Verification: rerun recorded cells into results/verify and compare each with its record.
// Opening the records' store takes the claim locks killed processes left (it may wait for one).
const records = (() => {
  try {
    return cellStoreOf(resultsDir);
  } catch (error) {
    failIfExpected(error);
  }
})();
const recorded = (key: string): CellResult | undefined => {
  const cell = plan.cells.find((c) => c.key === key)!;
  return records.get<CellResult>(key, settingsOf(plan, cell));
};
// Only recorded cells can be checked: a subset cell without a record is listed, not rerun.
const candidates = values.all
  ? plan.cells.filter((cell) => !cell.waitsFor)
  : verificationSubset(plan);
const wanted = candidates.filter((cell) => recorded(cell.key) !== undefined);
// No cell of the plan recorded although the records store cells: they were run with other options
// (as for --report-only above); this used to say "0 of 0 reruns match", write a report of every
// cell missing over results/full's, and exit 0.
if (plan.cells.every((cell) => recorded(cell.key) === undefined) && storesAnyCell(resultsDir)) {
  fail(
    new Error(
      `${resultsDir} holds no recorded cell of the ${mode} plan${OTHER_OPTIONS_THAN_RECORDS}`,
    ),
  );
}
if (!isWorker) {
  for (const cell of candidates.filter((c) => !wanted.includes(c))) {
    console.log(`not verified (no record yet): ${cell.key}`);
  }
  Deno.mkdirSync(verifyDir, { recursive: true });
  writeSelectedFile(verifyDir, plan.selected);
  console.log(
    `verifying ${wanted.length} cells against ${resultsDir} (reruns in ${verifyDir}; ` +
      `${values.all ? "every recorded cell" : "every main-table system at the first seed"})`,
  );
}
const others = startRunWorkers();
// The longest recorded training first, so that the processes finish together.
const longestFirst = wanted.map((cell) => cell.key)
  .sort((a, b) => (recorded(b)?.trainSeconds ?? 0) - (recorded(a)?.trainSeconds ?? 0));
const outcome = await runPlan({ ...plan, cells: wanted }, {
  resultsDir: verifyDir,
  waitForOthers: true,
  continueOnFailure: true,
  workers,
  order: longestFirst,
  // Reruns of the records, which replace an earlier verification's.
  replaceOtherSettings: true,
}).catch(failIfExpected);
const workersOk = await joinWorkers(others);
if (isWorker) Deno.exit(outcome.failed.length > 0 ? 1 : 0);
const checks: RerunCheck[] = wanted.flatMap((cell) => {
  const rerun = outcome.byKey.get(cell.key);
  return rerun ? [compareWithRecord(cell.key, recorded(cell.key), rerun)] : [];
});
console.log("\ncell | status | recorded test NDCG@10 | rerun | largest metric difference");
for (const c of checks) {
  console.log(
    `${c.key} | ${c.status}${c.sameEnvironment ? "" : " (other environment)"} | ` +
      `${c.recorded?.toFixed(4) ?? "-"} | ${c.rerun.toFixed(4)} | ${
        c.maxDifference.toExponential(1)
      }`,
  );
}
const matched = checks.filter((c) => c.status === "identical" || c.status === "within tolerance");
const withRecord = checks.filter((c) => c.status !== "no record");
console.log(
  `\n${matched.length} of ${withRecord.length} reruns match their records ` +
    `(${checks.filter((c) => c.status === "identical").length} bit-identical); ` +
    `${checks.length - withRecord.length} without a record`,
);
await report();
if (matched.length < withRecord.length || !workersOk) Deno.exit(1);
