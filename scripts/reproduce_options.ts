/**
 * The command line of `deno task reproduce` (`scripts/reproduce.ts`): its usage text, its options
 * and every check of them that needs no data and no plan. It imports nothing heavy (no tfjs, no
 * library barrel: `tests/experiments/reproduce_cli_test.ts` checks the module graph), so that
 * `--help` and a bad option answer at once; `reproduce.ts` loads the library only once these
 * checks pass. With the library loaded first, `deno task reproduce --help` took 1.19 s (median of
 * 5, idle 2-core machine; 6-7 s under load), now 0.13 s; `--seeds=x` the same. The checks that
 * need the plan (the trainer settings' ranges) still run after the library loads.
 *
 * @example
 * ```ts
 * const options = reproduceOptions(Deno.args); // `--help` or a bad option exits here
 * console.log(options.mode, options.seeds, options.workers);
 * ```
 */
import { decimalInteger, parseOptions } from "./cli/options.ts";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  DATASET_FILE_FORMATS,
  type DatasetFileFormat,
  type DatasetSpec,
  isFeatureName,
} from "../lib/experiments/dataset_spec.ts";
import {
  DEFAULT_RANKING_PROTOCOL,
  parseRankingProtocol,
  type RankingProtocol,
} from "../lib/eval/protocol.ts";
import { blasThreads } from "../lib/backend/blas_threads.ts";
import { blasKernelSetting } from "../lib/backend/blas_kernels.ts";
import { MAX_WORKERS, workerCount } from "./reproduce_workers.ts";
import { checkResultsFolder } from "./cli/read_problem.ts";
import { CLAIM_STALE_SECONDS, HEARTBEAT_SECONDS } from "../lib/experiments/cell_claim.ts";
import { FILE_STOPPING } from "../lib/experiments/file_stopping.ts";
import { PLAN_WARMUP_STEPS } from "../lib/experiments/plan_warmup.ts";
import { RECORDS_DIR } from "../lib/experiments/records_dir.ts";
import { taskPermissions } from "./task_permissions.ts";
import { SEEDS_ALLOWED, seedsOption } from "./cli/seeds_option.ts";

/**
 * The task whose run this is, which every message of it starts with (the one home of that prefix):
 * `deno task report` is `reproduce.ts --report-only` (deno.json), so such a run speaks as
 * `report`, the command the user typed, as its `--help` prints the report's usage.
 */
export const TASK_NAME = Deno.args.includes("--report-only") ? "report" : "reproduce";

/** Writes one line to stderr, headed by {@linkcode TASK_NAME}; `detail` (an error) follows it. */
export function taskError(message: string, ...detail: unknown[]): void {
  console.error(`${TASK_NAME}: ${message}`, ...detail);
}

/** Default of `DEMURE_SELECTION_WAIT_S`: 6 h, two stages of the full plan's trials with room
 * (stated in {@linkcode USAGE}, which is built from it). */
const DEFAULT_SELECTION_WAIT_SECONDS = 6 * 3600;
/** Its upper bound: a week (a larger value is a typo; Infinity would wait forever). */
const MAX_SELECTION_WAIT_SECONDS = 7 * 24 * 3600;

/**
 * The folders a run uses without `--results` ({@linkcode USAGE} states them; scripts/reproduce.ts
 * writes there): the verification's reruns, the quick grid's cells, and the reports of the records
 * (which go beside the records, so that the records folder holds cells only).
 */
export const RUN_FOLDERS = Object.freeze({
  verify: "results/verify",
  quick: "results/quick",
  recordsReports: "results/full",
});

/**
 * The entry of `--seeds` in the usages of reproduce and of the cluster routes (scripts/slurm/,
 * scripts/kubernetes/), which pass it on: which seeds, their range and the default, its lines
 * after the first indented to `column`; `more` ends the default's note (reproduce's verification).
 * The default seeds are the plan's (tests/experiments/reproduce_usage_ranges53b_test.ts).
 */
export function seedsEntry(column: number, more = ""): string {
  return [
    `other seeds: ${SEEDS_ALLOWED}`,
    "(default: the mode's, full 0,1,2,3,4, quick 0,1; quick MovieLens",
    `runs the first alone${more})`,
  ].join(`\n${" ".repeat(column)}`);
}

/** {@linkcode CLAIM_STALE_SECONDS} in the minutes {@linkcode USAGE} states it in. */
const STALE_MINUTES = CLAIM_STALE_SECONDS / 60;

/** The usage of `deno task reproduce` (printed by `--help`; the one home of this text). */
export const USAGE = `Usage: deno task reproduce [command] [options]

The main job. The committed results of record (\`${RECORDS_DIR.full}\`: one file per finished
cell and the selected configurations) produce every published table; by default this script
checks that they reproduce and regenerates the tables from them.

  deno task reproduce            re-run the verification subset (every main-table system on both
                                 datasets at the first seed) into ${RUN_FOLDERS.verify}, compare each
                                 with its record, then regenerate the report and README tables
  deno task reproduce --all      the same for every recorded cell
  deno task reproduce --select   (re)run the selection on validation and every cell of the plan
                                 into the records (resumes; selected.json is rewritten from the
                                 trials); its processes (--workers) share the cells
  deno task reproduce --report-only   (= deno task report) regenerate ${RUN_FOLDERS.recordsReports}/summary.md,
                                 report.html and the README tables from the records; run nothing
  deno task reproduce --quick    the whole small grid (selection included) into ${RUN_FOLDERS.quick} (CI)
  --results DIR                  where cells are read and written instead of the defaults
  --first synthetic|movielens    run that dataset's cells first (a second process; a run of the
                                 plan: --quick, --select or another --results)
  --workers N                    run the cells in N processes (default: one per core, at most
                                 ${MAX_WORKERS}; see scripts/reproduce_workers.ts); with N > 1
                                 each at one BLAS thread unless DEMURE_BLAS_THREADS is set (one
                                 process keeps its default, the core count); only the first
                                 compares and reports
  --seeds 0,1                    ${seedsEntry(33, "; the verification reruns the first")}
  deno task reproduce --dataset data/mine/mine --format recbole [--features image=img.txt,...]
                    [--max-epochs N] [--patience N]
                                 bring your own data: main table and ablation on an imported
                                 dataset (format sequence or recbole) at the systems' defaults,
                                 results under results/<label>-<format>/<mode>; --max-epochs /
                                 --patience: the dataset's own stopping (the plan's
                                 datasetTraining; default the protocol's ${FILE_STOPPING.full.maxEpochs} and ${FILE_STOPPING.full.patience},
                                 quick ${FILE_STOPPING.quick.maxEpochs} and ${FILE_STOPPING.quick.patience}); --max-epochs x the file's batches an epoch
                                 must exceed Demure's warm-up of ${PLAN_WARMUP_STEPS.full} steps, quick ${PLAN_WARMUP_STEPS.quick}, or the run
                                 is refused (it would never denoise); see docs/data.md
  deno task reproduce --ranking history_kept
                                 validate and test with history items kept as candidates
                                 (RecBole-compatible full sort; default ${DEFAULT_RANKING_PROTOCOL})

Cells as commands (what a batch scheduler runs; see scripts/slurm/submit.ts, docs/scale.md):
  deno task reproduce --list-cells [--quick] [--json]   index, state (under --results) and key
                                 of every cell; --json for programs (scripts/slurm/submit.ts:
                                 stderr holds an error only)
  deno task reproduce --cell ID_OR_INDEX --results DIR  run exactly that cell (resumes: a
                                 finished cell is not rerun); exit status 1 when it fails. A cell
                                 whose configuration waits for a selection waits for its trials
                                 (at most DEMURE_SELECTION_WAIT_S seconds, default
                                 ${DEFAULT_SELECTION_WAIT_SECONDS}), then runs with the selected settings.
A results folder belongs to one plan (its plan.json): a command of another plan stops with an
error before writing anything.
A path outside the project (--dataset, --features, --results) is allowed: the run restarts with it.

  -h, --help                     print this text
Ctrl-C (SIGINT) or SIGTERM: each process gives up its cells' claims and exits (status 130 or
143; the first process stops its workers first), so a rerun resumes those cells at once from
their last epoch checkpoint. After SIGKILL (or the out-of-memory killer) a claim stays until its
heartbeat, refreshed every ${HEARTBEAT_SECONDS} s while its cell runs, is ${STALE_MINUTES} min old; then another
process takes the cell over and resumes it from its last epoch checkpoint. A process whose claim
was taken over while it was stopped or asleep says so at its next heartbeat and hands the cell
over at its next epoch end, writing nothing more of it (--cell then exits with status 0).`;

/**
 * The entry of {@linkcode USAGE} that starts with `start`: that line and the lines under it
 * indented to the description column. Taken from there, so that each line has one home.
 */
function usageEntry(start: string): string[] {
  const lines = USAGE.split("\n");
  const first = lines.findIndex((line) => line.startsWith(start));
  if (first < 0) throw new Error(`reproduce_options: USAGE has no entry "${start}"`);
  let end = first + 1;
  while (end < lines.length && /^ {20,}\S/.test(lines[end])) end++;
  return lines.slice(first, end);
}

/**
 * The usage of `deno task report` (`reproduce.ts --report-only`), printed by its `--help`:
 * reproduce's whole usage, headed "deno task reproduce", listed commands that report refuses
 * (`--select`: "--report-only and --select exclude each other"). Its own entry and `--help`'s are
 * {@linkcode USAGE}'s lines; the options it shares are named, and reproduce's --help says them.
 */
export const REPORT_USAGE = [
  "Usage: deno task report [options]",
  "",
  ...usageEntry("  deno task reproduce --report-only "),
  "  options                        which results and plan to report, as for deno task",
  "                                 reproduce (--results DIR, --quick, --seeds, --dataset ...,",
  "                                 --ranking): deno task reproduce --help",
  ...usageEntry("  -h, --help "),
].join("\n");

/** The options of {@linkcode USAGE}, for {@linkcode parseOptions}. */
const OPTIONS = {
  help: { type: "boolean", short: "h", default: false },
  quick: { type: "boolean", default: false },
  select: { type: "boolean", default: false },
  all: { type: "boolean", default: false },
  seeds: { type: "string" },
  results: { type: "string" },
  "report-only": { type: "boolean", default: false },
  "list-cells": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  cell: { type: "string" },
  dataset: { type: "string" },
  format: { type: "string" },
  features: { type: "string" },
  ranking: { type: "string" },
  "max-epochs": { type: "string" },
  patience: { type: "string" },
  first: { type: "string" },
  workers: { type: "string" },
  // Set by a main process on the workers it starts (scripts/reproduce_workers.ts).
  worker: { type: "boolean", default: false },
  // Set by a run on itself started again with more permissions (RESTART_FLAG).
  restarted: { type: "boolean", default: false },
} as const;

/**
 * The flag that marks a run started again with the folders its command line names
 * ({@linkcode ReproduceOptions.restart}; not for users): such a run never starts itself again,
 * whatever its permissions say, so that no path Deno's check reads otherwise than expected starts
 * processes without end.
 */
export const RESTART_FLAG = "--restarted";

/** Parses the arguments; a bad one stops with one line naming it and status 2. */
function parseArguments(args: readonly string[]) {
  return checkedOption(() => parseOptions(args, OPTIONS, { hidden: ["worker", "restarted"] }));
}

/** Stops with one line naming the bad option or setting and status 2 (no stack: not a bug). */
export function usageError(message: string): never {
  taskError(`${message}; see --help`);
  Deno.exit(2);
}

/** `parse()`, with a bad value of an option (an `Error` it throws) reported by `usageError`. */
export function checkedOption<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    return usageError((error as Error).message);
  }
}

/**
 * The integer value of `--name` (its range is the plan's to check, so a minus passes here): "x" or
 * "1.5" stops here naming the option, where `Number` would pass NaN on to a message about a trainer
 * setting; " 5 " and an integer past +-(2^53 - 1) (which `Number` rounds) stop too
 * ({@linkcode decimalInteger}, the scripts' one reading of an integer).
 */
function integerOption(name: string, text: string): number {
  const value = decimalInteger(text, { negative: true });
  if (Number.isNaN(value)) {
    // The bound the value is past: "at most 2^53 - 1" was true of "-99999999999999999999".
    const bound = text.startsWith("-")
      ? `at least ${-Number.MAX_SAFE_INTEGER}`
      : `at most ${Number.MAX_SAFE_INTEGER}`;
    const tooLarge = /^-?[0-9]+$/.test(text) ? ` of ${bound}` : "";
    usageError(`--${name}: "${text}" is not an integer${tooLarge}`);
  }
  return value;
}

/**
 * The paths an imported dataset is read from: a sequence file and each feature file as given, a
 * RecBole base path's folder (`<path>.inter`, `<path>.item`).
 */
function datasetReadPaths(dataset: DatasetSpec | undefined): string[] {
  if (dataset?.kind !== "file") return [];
  const data = dataset.format === "recbole"
    ? (dataset.path.includes("/") ? dataset.path.slice(0, dataset.path.lastIndexOf("/")) : ".")
    : dataset.path;
  return [data, ...(dataset.features ?? []).map((feature) => feature.path)];
}

/**
 * Whether `path` lies outside the project folder `project` (default the current one, where a run
 * starts), which the task reads.
 */
function outsideProject(path: string, project = Deno.cwd()): boolean {
  return !`${resolve(project, path)}/`.startsWith(`${project}/`);
}

/**
 * The dataset paths the worker processes must be given: those outside the project folder, which
 * the task's own `--allow-read=.` does not cover. A sequence file's `<path>.inter` too: the
 * reader looks for it when the file is missing, to say that RecBole files were given as a
 * sequence file; without it that run outside the project said only "No such file".
 */
export function workerDatasetReads(
  dataset: DatasetSpec | undefined,
  project: string = Deno.cwd(),
): string[] {
  const recBoleSibling = dataset?.kind === "file" && dataset.format === "sequence"
    ? [`${dataset.path}.inter`]
    : [];
  return [...datasetReadPaths(dataset), ...recBoleSibling]
    .filter((path) => outsideProject(path, project));
}

/**
 * The {@linkcode workerDatasetReads} of the reproduce command line `args` run in the project folder
 * `project`, read without refusing anything: the cluster routes' listing
 * (scripts/cluster/submission.ts) gives them to `reproduce --list-cells --json` up front, so that
 * it finds them granted and does not start a second Deno to add them
 * ({@linkcode ReproduceOptions.restart}). A command line that reproduce refuses (no or another
 * `--format`, a `--features` entry that is not name=path) gives none: reproduce says why itself.
 *
 * @example
 * ```ts
 * planDatasetReads(["--quick", "--dataset=/data/shop/shop", "--format", "recbole"], Deno.cwd());
 * // ["/data/shop"]
 * ```
 */
export function planDatasetReads(args: readonly string[], project: string): string[] {
  // reproduce's own options, so that each word is read as its parser reads it (a value is not
  // taken for an option); not strict: refusing is reproduce's.
  const { values } = parseArgs({
    args: [...args],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
  });
  const { dataset, format, features } = values;
  if (
    typeof dataset !== "string" || typeof format !== "string" ||
    !(DATASET_FILE_FORMATS as readonly string[]).includes(format)
  ) {
    return [];
  }
  const entries = typeof features === "string" ? features.split(",").map(featureEntry) : [];
  if (entries.some((entry) => entry === undefined)) return [];
  return workerDatasetReads({
    kind: "file",
    path: dataset,
    format: format as DatasetFileFormat,
    ...(entries.length > 0 ? { features: entries as { name: string; path: string }[] } : {}),
  }, project);
}

/**
 * One entry of `--features` as name and path, or undefined when it is not name=path. The name ends
 * at the first "=": a path may hold one (a folder dt=2024).
 */
function featureEntry(entry: string): { name: string; path: string } | undefined {
  const split = entry.indexOf("=");
  const [name, path] = split < 0 ? [entry, ""] : [entry.slice(0, split), entry.slice(split + 1)];
  // The library's rule for names (one home); here only an empty name can break it.
  return isFeatureName(name) && path ? { name, path } : undefined;
}

/**
 * The permission flags of a run's processes: the reproduce task's (deno.json, their one home) with
 * `--results` added to the reads and writes and the dataset's files outside the project
 * ({@linkcode workerDatasetReads}) to the reads. A run whose command line names folders outside
 * the project restarts with them ({@linkcode ReproduceOptions.restart}), and its worker processes
 * get them, so every process of a run reads the same folders.
 */
export function runPermissions(
  results: string | undefined,
  dataset: DatasetSpec | undefined,
): string[] {
  return taskPermissions(
    taskCommand("reproduce"),
    results === undefined ? [] : [results],
    workerDatasetReads(dataset),
  );
}

/**
 * The command of deno.json's task `task` (the one home of its permission flags), read where the
 * run is; a folder without deno.json stops with one line naming it.
 */
function taskCommand(task: "reproduce" | "report"): string {
  let text: string;
  try {
    text = Deno.readTextFileSync("deno.json");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    // Read where the run is (a copy of the project may carry its own); elsewhere an uncaught
    // NotFound ended the run before (mutation round IB).
    usageError(
      `worker processes (--workers) and folders outside the project take the reproduce task's ` +
        `permissions from deno.json, which the folder this run started in (${Deno.cwd()}) does ` +
        `not hold: start it in the project folder`,
    );
  }
  return (JSON.parse(text) as { tasks: Record<string, string> }).tasks[task];
}

/**
 * The paths the task `task` may write (its `--allow-write` in deno.json: `./results`,
 * `./results-of-record`, `./README.md`), which a refusal of a path inside the project names.
 */
export function taskWrites(task: "reproduce" | "report"): string[] {
  const flag = taskCommand(task).split(/\s+/).find((word) => word.startsWith("--allow-write="));
  return flag === undefined ? [] : flag.slice("--allow-write=".length).split(",");
}

/**
 * A run to start again with more permissions: the folders its command line names outside the
 * project, which the task's permissions do not cover ({@linkcode ReproduceOptions.restart}).
 */
export interface Restart {
  /** The permission flags of the restarted run ({@linkcode runPermissions}). */
  flags: string[];
  /** One line naming the folders added and the option of each (what the run says first). */
  note: string;
}

/** A path named by an option, and what a run does with it. */
interface PathNeed {
  option: string;
  path: string;
  access: ("read" | "write")[];
}

/**
 * The line saying which folders a restarted run reads (and writes) beyond its task's: `needs`,
 * each with its option.
 */
function restartNote(needs: readonly PathNeed[]): string {
  const list = (write: boolean) =>
    needs.filter((need) => need.access.includes("write") === write)
      .map((need) => `${need.path} (${need.option})`).join(", ");
  const parts = [
    ...(list(false) ? [`reads ${list(false)}`] : []),
    ...(list(true) ? [`reads and writes ${list(true)}`] : []),
  ];
  return `${parts.join("; ")}: outside the project, so added to the reproduce task's permissions ` +
    "(docs/permissions.md)";
}

/**
 * Checks that `--results` and the dataset's files can be read (and `--results` written), and that
 * this process may start the workers `workers` asks for. A path outside the project that the
 * task's permissions (deno.json: the project folder) do not cover, named on the command line, is
 * what the user asked this run to use: the run is started again with it added (the returned
 * {@linkcode Restart}), where it stopped with "this task may not read there" and a two-step
 * recipe until 2026-12-06. Where that cannot be, one line says why, where the first access used
 * to end in Deno's uncaught `NotCapable` and a stack: a path inside the project, such as
 * `--results lib/x`, which the task's writes leave out on purpose, names the paths the task may
 * write ({@linkcode taskWrites}); a path outside it that this run cannot add (`noRestart`: a
 * worker, whose flags its main process chose, or a run restarted once already; or a run that may
 * not start Deno, such as `deno task report`) names why and the flag to add. That line said "its
 * permissions cover the project folder" for both until 2026-12-06, true of the reads only.
 */
function checkPermissions(
  results: string | undefined,
  dataset: DatasetSpec | undefined,
  workers: number,
  noRestart: string | undefined,
): Restart | undefined {
  const needs: PathNeed[] = [];
  if (results !== undefined) {
    needs.push({ option: "--results", path: results, access: ["read", "write"] });
  }
  const [data, ...features] = datasetReadPaths(dataset);
  if (data !== undefined) needs.push({ option: "--dataset", path: data, access: ["read"] });
  for (const path of features) needs.push({ option: "--features", path, access: ["read"] });
  for (const { option, path } of needs) {
    if (path.trim() === "") usageError(`${option}: an empty path`);
  }
  const deniedOf = ({ path, access }: PathNeed) =>
    access.filter((name) => Deno.permissions.querySync({ name, path }).state !== "granted");
  const denied = needs.filter((need) => deniedOf(need).length > 0);
  const deno = Deno.execPath();
  const mayStartDeno = () =>
    Deno.permissions.querySync({ name: "run", command: deno }).state === "granted";
  if (
    denied.length > 0 && noRestart === undefined &&
    denied.every((need) => outsideProject(need.path)) && mayStartDeno()
  ) {
    // The flags list paths with commas (and scripts/task_permissions.ts prints them for a shell):
    // those of runPermissions, --results and the dataset's files outside the project.
    const unsplittable = needs.find((need) =>
      (need.option === "--results" || outsideProject(need.path)) && /[\s,]/.test(need.path)
    );
    if (unsplittable !== undefined) {
      taskError(
        `${unsplittable.option} ${unsplittable.path}: holds white space or a comma, which the ` +
          "permission flags of a run outside the project cannot carry: use a path without them",
      );
      Deno.exit(2);
    }
    return { flags: runPermissions(results, dataset), note: restartNote(denied) };
  }
  // A path inside the project first: a folder outside it would be added once that one is fixed.
  const refused = denied.find((need) => !outsideProject(need.path)) ?? denied[0];
  if (refused !== undefined) {
    const { option, path } = refused;
    const mayNot = `this task may not ${deniedOf(refused).join(" or ")} there`;
    if (!outsideProject(path)) {
      // Its reads cover the project folder; its writes only these (deno.json).
      const outside = noRestart === undefined && mayStartDeno()
        ? ", or one outside the project, which the run adds to its permissions by itself (it " +
          "starts again with it)"
        : "";
      taskError(
        `${option} ${path}: ${mayNot}: in the project it writes only ` +
          `${taskWrites(TASK_NAME).join(", ")} (deno.json's ${TASK_NAME} task); give a folder ` +
          `under one of those folders${outside}, as docs/permissions.md says`,
      );
    } else {
      const why = noRestart ?? "this run cannot do: it may not start Deno (no --allow-run of it)";
      const flags = refused.access.map((name) => `--allow-${name}`).join(" and ");
      taskError(
        `${option} ${path}: ${mayNot}; a folder outside the project is added by the run starting ` +
          `itself again with it, which ${why}; run scripts/reproduce.ts with that folder added ` +
          `to ${flags}, as docs/permissions.md shows`,
      );
    }
    Deno.exit(2);
  }
  // A file there (or a path through one) stopped at the first read of its selected.json with
  // "Not a directory" (exit 1).
  if (results !== undefined) checkedOption(() => checkResultsFolder(results));
  // The workers get these folders in permission flags, which a comma or white space would split.
  const unsplittable = [...(results !== undefined ? [results] : []), ...workerDatasetReads(dataset)]
    .find((path) => /[\s,]/.test(path));
  if (workers > 1 && unsplittable !== undefined) {
    taskError(
      `"${unsplittable}" holds white space or a comma, which the worker processes' ` +
        "permission flags cannot carry: use another folder, or --workers 1",
    );
    Deno.exit(2);
  }
  if (workers > 1 && !mayStartDeno()) {
    taskError(
      `${workers} processes (--workers, default one per core) start ${workers - 1} ` +
        `more of ${deno}, which this run may not start: add --allow-run=${deno}, or pass ` +
        "--workers 1",
    );
    Deno.exit(2);
  }
  return undefined;
}

/** The options of a run, checked as far as they can be without the data or the plan. */
export interface ReproduceOptions {
  /** Every option as parsed (the commands and `--results`, `--json`, `--cell` are read here). */
  values: ReproduceValues;
  /** `--first`: that dataset's cells first. */
  firstDataset: DatasetSpec["kind"] | undefined;
  /** `--quick`: the small grid; else the full one. */
  mode: "quick" | "full";
  /** `--seeds`, checked here (scripts/cli/seeds_option.ts). */
  seeds: number[] | undefined;
  /** `--dataset PATH --format F [--features ...]`, or undefined for the embedded data. */
  dataset: DatasetSpec | undefined;
  /** `--max-epochs` / `--patience` as trainer settings (range-checked by the plan). */
  datasetTraining: { maxEpochs?: number; patience?: number };
  /** `--ranking`. */
  ranking: RankingProtocol | undefined;
  /** Whether this process is a worker started by a main process. */
  isWorker: boolean;
  /** Processes that share the cells (1 in a worker and for the commands of one cell or none). */
  workers: number;
  /** `DEMURE_SELECTION_WAIT_S`: how long `--cell` waits for a selection (checked: 0..a week). */
  selectionWaitSeconds: number;
  /**
   * Set when the command line names folders outside the project that this process may not use:
   * the run is to start again with them added (scripts/reproduce_restart.ts). The checks that
   * need them (`--results` a folder, the workers' flags) are left to that run.
   */
  restart?: Restart;
}

/**
 * The checked options of `args`. `--help` prints {@linkcode USAGE} ({@linkcode REPORT_USAGE}
 * with `--report-only`) and exits 0; a bad option or value exits 2 after one line naming it
 * ({@linkcode usageError}).
 */
export function reproduceOptions(args: readonly string[]): ReproduceOptions {
  const { values } = parseArguments(args);
  if (values.help) {
    // `deno task report` is `reproduce.ts --report-only`: its --help is the report's usage.
    console.log(values["report-only"] ? REPORT_USAGE : USAGE);
    Deno.exit(0);
  }
  const firstDataset = values.first as DatasetSpec["kind"] | undefined;
  // An imported dataset is the plan's only one: nothing to put first.
  if (firstDataset !== undefined && !["synthetic", "movielens"].includes(firstDataset)) {
    usageError(`--first: "${firstDataset}" is not one of synthetic, movielens`);
  }
  const seeds = seedsFlag(values);
  const dataset = datasetOption(values);
  // With --dataset the plan holds that dataset alone: --first has nothing to order.
  if (dataset !== undefined && firstDataset !== undefined) {
    usageError("--first: only for the embedded datasets, not with --dataset");
  }
  // --first orders the cells a run trains: the commands of one cell or none dropped it unsaid.
  const single = singleCellCommand(values);
  if (firstDataset !== undefined && single !== undefined) {
    usageError(`--first: only for runs of many cells, not with --${single}`);
  }
  const datasetTraining = datasetTrainingOption(values);
  const ranking = values.ranking === undefined
    ? undefined
    : checkedOption(() => parseRankingProtocol(values.ranking!, "--ranking"));
  const isWorker = values.worker;
  const workers = workersOption(values);
  // A worker's flags are its main process's choice; a restarted run has had its one restart.
  const noRestart = isWorker
    ? "a worker process does not do (its main process chose its flags)"
    : values.restarted
    ? "a run started again once already does not do again"
    : undefined;
  const restart = checkPermissions(values.results, dataset, workers, noRestart);
  const selectionWaitSeconds = selectionWait(Deno.env.get("DEMURE_SELECTION_WAIT_S"));
  try {
    blasThreads(); // the cells record it: a bad value stops here, not in every process
    blasKernelSetting(); // likewise the kernel set
  } catch (error) {
    taskError((error as Error).message);
    Deno.exit(2);
  }
  return {
    values,
    firstDataset,
    mode: values.quick ? "quick" : "full",
    seeds,
    dataset,
    datasetTraining,
    ranking,
    isWorker,
    workers,
    selectionWaitSeconds,
    ...(restart ? { restart } : {}),
  };
}

/**
 * Whether the command is `--list-cells --json`, whose output programs read (the cluster routes:
 * scripts/cluster/submission.ts): on stderr it writes an error alone, no note for people.
 */
export function listsForPrograms(values: Pick<ReproduceValues, "list-cells" | "json">): boolean {
  return values["list-cells"] && values.json;
}

/** The parsed command line of `reproduce`. */
type ReproduceValues = ReturnType<typeof parseArguments>["values"];

/**
 * `--seeds a,b,...`, or undefined for the mode's seeds. Its range is checked here, in the flag's
 * words ({@linkcode seedsOption}, shared with the benchmark scripts): the plan's check
 * (validateSeeds) named its own setting, "plan seeds is [5, 5]", not the flag the user typed
 * (session 53).
 */
function seedsFlag(values: ReproduceValues): number[] | undefined {
  return values.seeds === undefined ? undefined : checkedOption(() => seedsOption(values.seeds!));
}

/** `--dataset PATH --format F [--features name=path,...]`, or undefined for the embedded data. */
function datasetOption(values: ReproduceValues): DatasetSpec | undefined {
  if (values.dataset === undefined) {
    const orphans = ["format", "features", "max-epochs", "patience"] as const;
    const given = orphans.filter((name) => values[name] !== undefined);
    if (given.length > 0) {
      usageError(`--${given.join(", --")}: only with --dataset PATH, which is missing`);
    }
    return undefined;
  }
  const format = values.format;
  if (format === undefined) {
    usageError(`--dataset needs --format (${DATASET_FILE_FORMATS.join(" or ")}): docs/data.md`);
  }
  if (!(DATASET_FILE_FORMATS as readonly string[]).includes(format)) {
    usageError(`--format: "${format}" is not one of ${DATASET_FILE_FORMATS.join(", ")}`);
  }
  const features = values.features?.split(",").map((entry) =>
    featureEntry(entry) ?? usageError(`--features: "${entry}" is not name=path`)
  );
  return {
    kind: "file",
    path: values.dataset,
    format: format as DatasetFileFormat,
    ...(features ? { features } : {}),
  };
}

/** `--max-epochs` / `--patience` as trainer settings (range-checked by the plan). */
function datasetTrainingOption(values: ReproduceValues): ReproduceOptions["datasetTraining"] {
  return {
    ...(values["max-epochs"] !== undefined
      ? { maxEpochs: integerOption("max-epochs", values["max-epochs"]) }
      : {}),
    ...(values.patience !== undefined
      ? { patience: integerOption("patience", values.patience) }
      : {}),
  };
}

/**
 * The processes of this run (`--workers`; 1 in a worker and for the commands of one cell or
 * none), after checking that at most one command was given and that `--json` has its command.
 */
function workersOption(values: ReproduceValues): number {
  const commands = ["report-only", "list-cells", "cell", "select", "all"] as const;
  const chosen = commands.filter((c) => values[c] !== undefined && values[c] !== false);
  if (chosen.length > 1) {
    usageError(`--${chosen.join(" and --")} exclude each other: choose one`);
  }
  // Without --list-cells, --json would be dropped and the whole grid would start.
  if (values.json && !values["list-cells"]) usageError("--json: only with --list-cells");
  const single = singleCellCommand(values);
  if (single !== undefined && values.workers !== undefined) {
    usageError(`--workers: only for runs of many cells, not with --${single}`);
  }
  return values.worker || single !== undefined
    ? 1
    : checkedOption(() => workerCount(values.workers, navigator.hardwareConcurrency));
}

/** The command given that runs one cell or none (`--report-only`, `--list-cells`, `--cell`). */
function singleCellCommand(values: ReproduceValues): string | undefined {
  return (["report-only", "list-cells", "cell"] as const)
    .find((c) => values[c] !== undefined && values[c] !== false);
}

/**
 * `DEMURE_SELECTION_WAIT_S`, checked before anything loads: seconds in 0..a week, written as a
 * decimal number (`Number` alone read "0x10" as 16 and "1e3" as 1000, where the other variables
 * and every command line refuse them).
 */
function selectionWait(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SELECTION_WAIT_SECONDS;
  const seconds = /^[0-9]+(?:\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SELECTION_WAIT_SECONDS) {
    taskError(
      `DEMURE_SELECTION_WAIT_S=${text}: must be a decimal number of seconds in ` +
        `0..${MAX_SELECTION_WAIT_SECONDS} (default ${DEFAULT_SELECTION_WAIT_SECONDS})`,
    );
    Deno.exit(2);
  }
  return seconds;
}
