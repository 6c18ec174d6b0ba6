/**
 * Runs the experiment grid on a Slurm cluster: one job array per selection stage over the
 * unfinished cells (task i runs `reproduce --cell <key>` into a shared results folder), each after
 * the one before, and a report job after the last (why stages: scripts/cluster/stages.ts).
 *
 *   deno task slurm --quick                              the quick grid into results/quick
 *   deno task slurm --results /shared/demure --partition cpu --account lab --concurrency 32
 *   deno task slurm --gpu --backend tensorflow           one GPU per task
 *   deno task slurm --dry-run                            print the batch scripts, submit nothing
 *   deno task slurm -- --seeds 0,1,2,3,4                 flags after -- go to every reproduce call
 *
 * Re-submitting is resuming: finished cells, and cells a queued or running task of an earlier
 * submission (recorded in `<results>/slurm/submissions.json`) will run, are left out; a cell whose
 * claim names a batch job the scheduler no longer runs (killed at its time limit, node lost) is
 * released and submitted again. Logs: `<results>/slurm/logs/cell-<job>_<task>.log` and
 * `report-<job>.log`. The workspace, deno and the results folder must be on a file system every
 * node sees. Resource requests per task: see scripts/cluster/stages.ts.
 */
import { resolve } from "node:path";
import { cellsBatchScript, reportBatchScript, type SubmissionSettings } from "./batch.ts";
import {
  type ListedCell,
  type RequestOverride,
  requestSource,
  type StageArray,
  stageArrays,
} from "../cluster/stages.ts";
import {
  backendOption,
  type Listing,
  listPlanCells,
  MAX_CPUS,
  MAX_PARALLEL_TASKS,
  planArgsOf,
  reproduceTask,
  requestOverride,
  requireMeasuredRequests,
  requireTool,
  ROUTE_OPTIONS,
  runCommand,
  workspace,
} from "../cluster/submission.ts";
import {
  integerOption,
  parseOptions,
  runScript,
  ScriptFailure,
  UsageError,
} from "../cli/options.ts";
import { seedsEntry } from "../reproduce_options.ts";
import { taskPermissions } from "../task_permissions.ts";
import { cellStoreOf } from "../../lib/experiments/mod.ts";
import { writeFilesAtomically } from "../../lib/data/mod.ts";
import { pathExists } from "../../lib/util/mod.ts";

/** Tasks of an array at once without `--concurrency` (the parser's default; --help states it). */
const DEFAULT_CONCURRENCY = 16;

const USAGE = `Usage: deno task slurm [options] [-- reproduce flags]

Submits the grid's unfinished cells as Slurm job arrays, one per selection stage, each after the
one before, and a report job after them (docs/scale.md). Re-submitting resumes.

  --results DIR        the shared results folder (default: the plan's own)
  --quick              the quick plan (default: the full plan)
  --seeds 0,1          ${seedsEntry(23)}
  --partition P        #SBATCH --partition
  --account A          #SBATCH --account
  --concurrency K      tasks of an array at once (${DEFAULT_CONCURRENCY}; at most ${MAX_PARALLEL_TASKS})
  --cpus N             CPUs per task = OpenBLAS threads (${ROUTE_OPTIONS.cpus.default}; at most ${MAX_CPUS})
  --gpu                one GPU per task (--gres=gpu:1); needs --backend tensorflow or webgpu
  --backend NAME       DEMURE_BACKEND of the tasks
  --minutes N          time per task instead of the estimate (required with -- --dataset)
  --memory-mb N        memory per task instead of the estimate (required with -- --dataset)
  --deno PATH          deno on the nodes (default: this one)
  --dry-run            print the batch scripts, submit nothing
  -h, --help           print this text
`;

const SLURM_HINT = ": run this on a Slurm login node (or use --dry-run to see the batch scripts)";

/** Runs a Slurm command; one not on PATH is an error that says where to run this script. */
function run(command: string, args: string[]) {
  return runCommand(command, args, { missingHint: SLURM_HINT });
}

/** A results folder's Slurm files: batch scripts, logs and the submissions record. */
function slurmDirOf(resultsDir: string): string {
  return `${resultsDir}/slurm`;
}

/** The record of every submission's arrays, in the Slurm folder. */
const SUBMISSIONS_FILE = "submissions.json";

/** One job array of a submission (a submission of three stages records three). */
interface Submission {
  cellsJob: string;
  reportJob: string;
  submitted: string;
  keys: string[];
  /** The selection stage of its cells (absent in records of before 2026-12-03: one array). */
  stage?: number;
}

/** Array tasks of `cellsJob` still queued or running, by task index. */
function liveTasks(cellsJob: string): Set<number> {
  const queue = run("squeue", ["-h", "-r", "-j", cellsJob, "-o", "%K"]);
  // squeue fails for a job id the controller has forgotten: none of its tasks is live.
  if (queue.code !== 0) return new Set();
  return new Set(queue.stdout.split("\n").filter((l) => l.trim() !== "").map(Number));
}

/** Whether the array task `job` ("<array>_<task>") is queued or running. */
function jobIsLive(job: string): boolean {
  const [array, task] = job.split("_");
  return task === undefined
    ? run("squeue", ["-h", "-j", array]).stdout.trim() !== ""
    : liveTasks(array).has(Number(task));
}

/** The submissions record at `path` (none yet: empty). */
function readSubmissions(path: string): Submission[] {
  try {
    return JSON.parse(Deno.readTextFileSync(path)) as Submission[];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw new ScriptFailure(`${path}: unreadable (${(error as Error).message})`);
  }
}

/**
 * Checks the command line and the plan, then prints the batch scripts (`--dry-run`) or submits
 * the unfinished cells.
 */
function main(): void {
  const options = readOptions(Deno.args);
  if (options === undefined) return;
  if (!options.dryRun) {
    for (const tool of ["sbatch", "squeue", "scancel"]) {
      requireTool(tool, SLURM_HINT);
    }
  }

  const listing = listPlanCells(options.deno, options.results, options.planArgs);
  requireMeasuredRequests(options.override, listing);
  const settings = submissionSettings(
    options,
    resolve(workspace, listing.resultsDir),
    listing.datasetReads,
  );
  const { resultsDir } = settings;

  // Cells that an earlier submission still runs or will run.
  const submissions = readSubmissions(`${slurmDirOf(resultsDir)}/${SUBMISSIONS_FILE}`);
  const selection = cellsToSubmit(listing.cells, submissions, options.dryRun);
  printPlanCounts(listing, selection, resultsDir);
  if (selection.toRun.length === 0) {
    console.log("nothing to submit");
    return;
  }
  const arrays = stageArrays(selection.toRun, listing.mode, options.cpus, options.override);
  const reportScript = reportBatchScript(arrays, settings);
  printStageRequests(arrays, options.override);
  if (options.dryRun) {
    printBatchScripts(arrays, reportScript, settings);
    return;
  }

  // Everything is checked: now write and submit; on a failure, undo what was done.
  const { earlierJobs, staleClaims } = selection;
  submitArrays(arrays, reportScript, settings, { submissions, earlierJobs, staleClaims });
}

/** The command line, checked: what a submission asks for. */
interface SubmitOptions {
  /** The `--results` folder, absolute (undefined: the plan's own). */
  results?: string;
  /** The plan's flags for every `reproduce` call. */
  planArgs: string[];
  concurrency: number;
  cpus: number;
  /** `--gpu`: one GPU per task. */
  gpu: boolean;
  backend?: string;
  override: RequestOverride;
  partition?: string;
  account?: string;
  /** deno on the nodes. */
  deno: string;
  dryRun: boolean;
}

/**
 * The options of `args`, each checked in turn (the first bad one is the error), or undefined when
 * `--help` asked for the usage, which is then printed.
 */
function readOptions(args: string[]): SubmitOptions | undefined {
  const { values, positionals } = parseOptions(args, {
    ...ROUTE_OPTIONS,
    partition: { type: "string" },
    account: { type: "string" },
    concurrency: { type: "string", default: String(DEFAULT_CONCURRENCY) },
    deno: { type: "string" },
    "dry-run": { type: "boolean", default: false },
  }, { passOn: "reproduce" });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const concurrency = integerOption("concurrency", values.concurrency, 1, MAX_PARALLEL_TASKS);
  const cpus = integerOption("cpus", values.cpus, 1, MAX_CPUS);
  const backend = backendOption(values.backend, values.gpu);
  const override = requestOverride(values);
  checkSlurmNames(values);
  checkDeno(values.deno);
  return {
    results: values.results === undefined ? undefined : resolve(values.results),
    planArgs: planArgsOf(values, positionals),
    concurrency,
    cpus,
    gpu: values.gpu,
    backend,
    override,
    partition: values.partition,
    account: values.account,
    deno: values.deno ?? Deno.execPath(),
    dryRun: values["dry-run"],
  };
}

/** Refuses a partition or account that is not a Slurm name (it would break an #SBATCH line). */
function checkSlurmNames(values: { partition?: string; account?: string }): void {
  // Slurm names (a partition may be a comma-separated list): a newline or a space would write
  // another #SBATCH line or break this one.
  const SLURM_NAME = "[A-Za-z0-9_.+-]+";
  for (
    const [option, pattern] of [
      ["partition", new RegExp(`^${SLURM_NAME}(,${SLURM_NAME})*$`)],
      ["account", new RegExp(`^${SLURM_NAME}$`)],
    ] as const
  ) {
    const value = values[option];
    if (value !== undefined && !pattern.test(value)) {
      throw new UsageError(
        `--${option} ${JSON.stringify(value)}: a Slurm name (letters, digits, _ . + -)` +
          (option === "partition" ? ", or a comma-separated list of them" : ""),
      );
    }
  }
}

/**
 * Refuses a `--deno` starting with "-": the array script runs it as `exec <deno> ...`, where bash
 * reads such a word as an option of exec's own (`-a NAME` even takes the next word), not the program.
 */
function checkDeno(deno: string | undefined): void {
  if (deno?.startsWith("-")) {
    throw new UsageError(
      `--deno ${shown(deno)}: a path or a program on PATH that does not start with "-" ` +
        "(bash's exec, which runs it in each task, reads such a word as its own option)",
    );
  }
}

/** `value` in quotes, as JSON writes it when it holds anything but printable ASCII. */
function shown(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** What a submission leaves out, waits for, releases, and runs. */
interface CellsToSubmit {
  /** Keys that an earlier submission's live tasks will run. */
  queued: Set<string>;
  /** Arrays of earlier submissions with live tasks: a later stage of this one waits for them. */
  earlierJobs: string[];
  /** Cells claimed by a batch job the scheduler no longer runs: released, then run again. */
  staleClaims: ListedCell[];
  /** The cells to submit. */
  toRun: ListedCell[];
}

/**
 * The listed cells to submit: not finished, not queued by an earlier submission, not running in a
 * live job (a dry run asks the scheduler nothing and counts every claim as live).
 */
function cellsToSubmit(
  cells: readonly ListedCell[],
  submissions: readonly Submission[],
  dryRun: boolean,
): CellsToSubmit {
  const queued = new Set<string>();
  // Arrays of earlier submissions with tasks still queued or running: a later stage of this one
  // waits for them too, as their trials may be the ones its selections need.
  const earlierJobs: string[] = [];
  if (!dryRun) {
    for (const submission of submissions) {
      const live = liveTasks(submission.cellsJob);
      for (const task of live) queued.add(submission.keys[task]);
      if (live.size > 0) earlierJobs.push(submission.cellsJob);
    }
  }
  const staleClaims: ListedCell[] = [];
  const toRun = cells.filter((cell) => {
    if (cell.status === "finished" || queued.has(cell.key)) return false;
    if (cell.status === "claimed" && cell.claim) {
      const { job, pid, hostname } = cell.claim;
      if (job === undefined) {
        console.log(`skip ${cell.key}: claimed by process ${pid} on ${hostname} (not a batch job)`);
        return false;
      }
      if (dryRun || jobIsLive(job)) {
        console.log(`skip ${cell.key}: running in job ${job}`);
        return false;
      }
      staleClaims.push(cell);
    }
    return true;
  });
  return { queued, earlierJobs, staleClaims, toRun };
}

/**
 * What the batch scripts need to run the plan into `resultsDir`; refuses a results folder or
 * workspace that an #SBATCH line or a permission flag cannot hold.
 */
function submissionSettings(
  options: SubmitOptions,
  resultsDir: string,
  datasetReads: readonly string[],
): SubmissionSettings {
  // Which option names the results folder: --results, or none (the plan's own folder, which
  // holds the --dataset file's name).
  const source = options.results === undefined ? "; give another with --results" : " (--results)";
  // sbatch reads the log path of `#SBATCH --output` itself: "%" starts a file-name pattern ("%j"
  // became the job id: the logs went to another folder than the one the report job reads), a
  // backslash turns the patterns off, quotes are read as quoting, and an unescaped "#" ends the
  // line as a comment (the logs of every task went to one file, the path cut at the "#").
  const unreadable = /[%#"'\\]/.exec(resultsDir);
  if (unreadable) {
    throw new UsageError(
      `results folder ${shown(resultsDir)} contains ${unreadable[0]}: sbatch reads the log path ` +
        "of #SBATCH --output itself (% starts a file-name pattern, # a comment, \\ and quotes " +
        `escape): choose a folder without %, #, quotes, a backslash, white space or a comma${source}`,
    );
  }
  for (const [name, path] of [["results", resultsDir], ["workspace", workspace]]) {
    if (/[\s,]/.test(path)) {
      throw new UsageError(
        `${name} folder ${shown(path)} contains white space or a comma: #SBATCH lines and ` +
          `permission flags cannot hold it${name === "results" ? source : ""}`,
      );
    }
  }
  // Built once the folders are checked: the permission flags refused white space with a stack
  // trace, not this message (a --dataset file's name with a space made the plan's own folder).
  return {
    workspace,
    resultsDir,
    logDir: `${slurmDirOf(resultsDir)}/logs`,
    deno: options.deno,
    // The dataset outside the workspace is read by every task: without it in the flags, each
    // task started a second Deno with it added (reproduce's restart) and said so in its log.
    permissions: taskPermissions(reproduceTask(), [resultsDir], datasetReads),
    planArgs: options.planArgs,
    concurrency: options.concurrency,
    partition: options.partition,
    account: options.account,
    gpus: options.gpu ? 1 : 0,
    backend: options.backend,
  };
}

/** Prints the plan's count of cells: finished, left to earlier submissions, and to submit. */
function printPlanCounts(listing: Listing, selection: CellsToSubmit, resultsDir: string): void {
  const finished = listing.cells.filter((c) => c.status === "finished").length;
  console.log(
    `${listing.mode} plan: ${listing.cells.length} cells, ${finished} finished, ` +
      `${selection.queued.size} queued or running in earlier submissions, ` +
      `${selection.toRun.length} to submit (results: ${resultsDir})`,
  );
}

/** Prints what each stage's tasks request, and where those requests come from. */
function printStageRequests(arrays: readonly StageArray[], override: RequestOverride): void {
  for (const array of arrays) {
    console.log(
      `stage ${array.stage}: ${array.keys.length} cells; each task requests ` +
        `${array.resources.cpus} CPUs, ${array.resources.memoryMb} MB, ` +
        `${array.resources.minutes} min (${requestSource(array.stage, override)})`,
    );
  }
}

/** Prints every stage's batch script and the report's (the dry run). */
function printBatchScripts(
  arrays: readonly StageArray[],
  reportScript: string,
  settings: SubmissionSettings,
): void {
  for (const array of arrays) {
    console.log(
      `\n# ---- cells job, stage ${array.stage} ----\n${cellsBatchScript(array, settings)}`,
    );
  }
  console.log(`# ---- report job ----\n${reportScript}`);
}

/**
 * Writes the batch scripts, releases the stale claims, submits one array per stage (each after the
 * one before and the earlier submissions' live arrays) and the report job, and records the
 * submission. On a failure it cancels what it submitted and removes what it wrote.
 */
function submitArrays(
  arrays: StageArray[],
  reportScript: string,
  settings: SubmissionSettings,
  earlier: Pick<CellsToSubmit, "earlierJobs" | "staleClaims"> & { submissions: Submission[] },
): void {
  const { resultsDir, concurrency } = settings;
  const { earlierJobs, staleClaims, submissions } = earlier;
  const slurmDir = slurmDirOf(resultsDir);
  // What to remove if the submission fails: the topmost folder this run creates (the logs' own,
  // in a Slurm folder that was there without it).
  const created = [resultsDir, slurmDir, settings.logDir].find((dir) => !pathExists(dir));
  // Set once they are written (all or none): a full disk left a cut-short script and the
  // folders made for them, with an uncaught stack.
  let scripts: BatchScriptPaths | undefined;
  const cellsJobs: string[] = [];
  // Set once the report job is submitted: a failure after that (the record) cancels it too.
  let reportJob: string | undefined;
  try {
    scripts = writeBatchScripts(arrays, reportScript, settings);
    // Released before the tasks start, so that they can claim these cells.
    releaseStaleClaims(staleClaims, resultsDir);
    submitStageArrays(arrays, scripts.cells, earlierJobs, concurrency, cellsJobs);
    reportJob = sbatch(scripts.report, [
      `--dependency=afterany:${cellsJobs.join(":")}`,
      `--export=ALL,DEMURE_CELLS_JOBS=${cellsJobs.join(":")}`,
    ]);
    recordSubmission(`${slurmDir}/${SUBMISSIONS_FILE}`, submissions, arrays, cellsJobs, reportJob);
    console.log(
      `submitted ${arrays.length} job array(s), one per selection stage, and report job ` +
        `${reportJob} (after them)\nlogs: ${settings.logDir}\n` +
        `watch: squeue -j ${[...cellsJobs, reportJob].join(",")}\n` +
        // Where the results are to be read: the submission said only where the logs go.
        `report: ${resultsDir}/summary.md and ${resultsDir}/report.html (open it in a browser), ` +
        `written by report job ${reportJob} (log: ${settings.logDir}/report-${reportJob}.log)`,
    );
  } catch (error) {
    undoSubmission(
      [...cellsJobs, ...(reportJob === undefined ? [] : [reportJob])],
      scripts,
      created,
    );
    throw error;
  }
}

/** Where a submission's batch scripts are: one per stage's array, and the report's. */
interface BatchScriptPaths {
  cells: string[];
  report: string;
}

/**
 * Writes each stage's batch script and the report's into the Slurm folder, named by this
 * submission's time, and makes the folder of the logs.
 */
function writeBatchScripts(
  arrays: readonly StageArray[],
  reportScript: string,
  settings: SubmissionSettings,
): BatchScriptPaths {
  const slurmDir = slurmDirOf(settings.resultsDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const cells = arrays.map((array) => `${slurmDir}/cells-${stamp}-stage${array.stage}.sbatch`);
  const report = `${slurmDir}/report-${stamp}.sbatch`;
  try {
    Deno.mkdirSync(settings.logDir, { recursive: true });
    // One atomic set: a failed write (a full disk) leaves no script, whole or cut short.
    writeFilesAtomically([
      ...arrays.map((array, a) => ({ path: cells[a], data: cellsBatchScript(array, settings) })),
      { path: report, data: reportScript },
    ]);
  } catch (error) {
    throw new ScriptFailure(
      `${slurmDir}: the batch scripts not written (${(error as Error).message})`,
    );
  }
  return { cells, report };
}

/** Removes the claims of the cells whose batch job no longer runs, saying which. */
function releaseStaleClaims(staleClaims: readonly ListedCell[], resultsDir: string): void {
  for (const cell of staleClaims) {
    console.log(`release the claim of ${cell.key}: job ${cell.claim?.job} no longer runs`);
    cellStoreOf(resultsDir).removeStaleClaim(cell.key, cell.claim!);
  }
}

/**
 * Submits each stage's array (its batch script in `cellsPaths`), each after the one before and
 * `earlierJobs`, adding each job id to `cellsJobs` once submitted: a failure further on cancels
 * those.
 */
function submitStageArrays(
  arrays: readonly StageArray[],
  cellsPaths: readonly string[],
  earlierJobs: readonly string[],
  concurrency: number,
  cellsJobs: string[],
): void {
  arrays.forEach((array, a) => {
    // Stage 0 waits for nothing; a later one for the array before it and the earlier arrays.
    const after = array.stage === 0 ? [] : [...cellsJobs.slice(a - 1, a), ...earlierJobs];
    cellsJobs.push(
      sbatch(cellsPaths[a], after.length > 0 ? [`--dependency=afterany:${after.join(":")}`] : []),
    );
    console.log(
      `stage ${array.stage}: job array ${cellsJobs[a]} (${array.keys.length} tasks, at most ` +
        `${concurrency} at once${after.length > 0 ? `, after ${after.join(", ")}` : ""})`,
    );
  });
}

/** Submits the batch script at `path` with `flags` and returns its job id. */
function sbatch(path: string, flags: string[]): string {
  const submitted = run("sbatch", ["--parsable", ...flags, path]);
  if (submitted.code !== 0) {
    throw new ScriptFailure(`sbatch ${path} failed: ${submitted.stderr.trim()}`);
  }
  // --parsable prints "<job id>" or "<job id>;<cluster>". The id goes into the next arrays'
  // --dependency and the report job's --export (where a comma would start another variable) and
  // the submissions record: anything but digits there is refused, and the submission undone.
  const job = submitted.stdout.trim().split(";")[0];
  if (!/^[0-9]+$/.test(job)) {
    throw new ScriptFailure(
      `sbatch ${path} printed ${JSON.stringify(submitted.stdout)}: not "<job id>" or ` +
        `"<job id>;<cluster>" (--parsable), with a job id of digits`,
    );
  }
  return job;
}

/** Writes the submissions record at `path`: the earlier ones and one per array of this one. */
function recordSubmission(
  path: string,
  submissions: readonly Submission[],
  arrays: readonly StageArray[],
  cellsJobs: readonly string[],
  reportJob: string,
): void {
  const submitted = new Date().toISOString();
  const text = JSON.stringify(
    [
      ...submissions,
      ...arrays.map((array, a): Submission => ({
        cellsJob: cellsJobs[a],
        reportJob,
        submitted,
        keys: array.keys,
        stage: array.stage,
      })),
    ],
    null,
    1,
  );
  try {
    // Atomic: written in place, a full disk cut the earlier submissions' record short, and the
    // next submission refused the record as unreadable.
    writeFilesAtomically([{ path, data: text }]);
  } catch (error) {
    // A write cut short starts with the path already (writeFilesAtomically): said once.
    const message = (error as Error).message;
    const reason = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
    throw new ScriptFailure(`${path}: not written (${reason})`);
  }
}

/**
 * Undoes a failed submission: cancels the jobs it submitted (arrays, and the report job if it
 * got that far) and removes the batch scripts it wrote and the folder it created (`created`, if
 * any).
 */
function undoSubmission(
  jobs: readonly string[],
  scripts: BatchScriptPaths | undefined,
  created: string | undefined,
): void {
  if (jobs.length > 0) run("scancel", [...jobs]);
  for (const path of scripts ? [...scripts.cells, scripts.report] : []) Deno.removeSync(path);
  if (created) Deno.removeSync(created, { recursive: true });
}

if (import.meta.main) await runScript("slurm", main);
