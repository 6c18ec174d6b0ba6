/**
 * The Slurm batch scripts of a grid submission (pure text builders; `submit.ts` writes and
 * submits them): one job array per selection stage (the `stage` of `reproduce --list-cells`),
 * whose task i runs the stage's i-th cell with `reproduce --cell <key>`, each array after the one
 * before (`--dependency=afterany`), and a report job after the last, which writes the report from
 * every finished cell and lists the cells that failed with their logs.
 *
 * Why one array per stage: a cell whose configuration waits for a selection (a seed after its
 * hyper-parameter trials, a Demure trial after its backbone's selection) used to start in one
 * array with its trials and wait inside its task, holding a concurrency slot and its CPUs (and, on
 * a cluster that bills allocations, charging them) for up to two stages of trials, and every task
 * had to ask for time to cover that wait: 165 min each for the full plan from scratch. Started
 * after its trials have ended, a cell finds its selection made; the array of the full plan's
 * slowest stage asks for 77 min. A later stage's task still waits up to
 * {@linkcode SELECTION_WAIT_SECONDS} for a selection, then fails with a clear message (a trial
 * failed, or runs in a process this submission does not know of).
 *
 * Resource requests per task are derived from measurements (2-core machine, wasm + OpenBLAS,
 * DEMURE_BLAS_THREADS=1, heavily loaded: take them as upper bounds):
 * - time: `estimatedCellSeconds` of lib/experiments/run_plan.ts (measured epoch times of each
 *   dataset and system) x {@linkcode TIME_SAFETY_FACTOR}, plus {@linkcode STARTUP_SECONDS} for the
 *   process start and the dataset preparation each task repeats, plus, after the first stage,
 *   {@linkcode SELECTION_WAIT_SECONDS}. An array has one time limit, so its slowest cell sets it.
 * - memory: the peak resident memory of the largest cell of the mode (see {@linkcode PEAK_MEMORY_MB})
 *   x {@linkcode MEMORY_SAFETY_FACTOR}.
 * - CPUs: the training runs tfjs wasm on one thread; OpenBLAS matrix products use
 *   DEMURE_BLAS_THREADS = the task's CPUs. Default 2 (docs/scale.md).
 */
import type { ExperimentMode } from "../../lib/experiments/mod.ts";

/**
 * Peak resident memory (MB) of the largest cell of each mode, measured with `/usr/bin/time -f %M`
 * on single cells: quick: MovieLens Demure-SASRec 1,023 MB (SASRec-MM 575, synthetic
 * Demure-SASRec 567, MovieLens Pop 254); full (first epoch and the evaluation, where memory
 * peaks): MovieLens Demure-SASRec 1,002 MB, synthetic Demure-SASRec with attribution scoring 600.
 */
export const PEAK_MEMORY_MB: Record<ExperimentMode, number> = { quick: 1023, full: 1002 };
/** Memory requested = measured peak x this (other runtimes, larger histories of other data). */
export const MEMORY_SAFETY_FACTOR = 1.5;
/**
 * Time requested = estimated cell time x this. The estimates of full cells are calibrated on the
 * recorded full run (MovieLens Demure-SASRec: estimate 24 min, recorded 28-31 min with two
 * processes on two cores); 3x leaves room for slower or shared nodes. Quick estimates are rougher
 * (a loaded machine took up to 5x), which {@linkcode MINIMUM_MINUTES} covers.
 */
export const TIME_SAFETY_FACTOR = 3;
/** No task asks for less (a quick cell: seconds of training, and the process start). */
export const MINIMUM_MINUTES = 10;
/** Process start, backend set-up and dataset preparation, repeated by every task. */
export const STARTUP_SECONDS = 120;
/**
 * How long a task of a later stage waits for its selection (`DEMURE_SELECTION_WAIT_S` of
 * `reproduce --cell`). Its trials ran in the arrays before it, so the selection is normally made
 * when it starts; the wait covers a trial that a process outside this submission still runs.
 */
export const SELECTION_WAIT_SECONDS = 600;

/** One cell as `reproduce --list-cells --json` describes it (the fields submission needs). */
export interface ListedCell {
  index: number;
  key: string;
  estimatedSeconds: number;
  /** Its selection stage: after which trials it can start (absent: stage 0, it does not wait). */
  stage?: number;
  status: "finished" | "claimed" | "pending";
  claim?: { pid: number; hostname: string; since: string; job?: string };
}

/** What each array task requests. */
export interface TaskResources {
  cpus: number;
  memoryMb: number;
  minutes: number;
}

/** Requests per task for the `cells` of one stage of a `mode` plan (this module's header). */
export function taskResources(
  cells: readonly ListedCell[],
  mode: ExperimentMode,
  cpus: number,
  stage: number,
): TaskResources {
  const slowest = Math.max(0, ...cells.map((c) => c.estimatedSeconds));
  const seconds = slowest * TIME_SAFETY_FACTOR + STARTUP_SECONDS +
    (stage > 0 ? SELECTION_WAIT_SECONDS : 0);
  return {
    cpus,
    memoryMb: Math.ceil(PEAK_MEMORY_MB[mode] * MEMORY_SAFETY_FACTOR / 256) * 256,
    minutes: Math.max(MINIMUM_MINUTES, Math.ceil(seconds / 60)),
  };
}

/** The cells of one job array: those of one selection stage. */
export interface StageArray {
  /** The stage (0: nothing to wait for). */
  stage: number;
  /** The cells' keys, in the plan's order: task i runs keys[i]. */
  keys: string[];
  resources: TaskResources;
}

/**
 * Splits the cells to submit into one array per stage, earliest first (stages that hold no cell
 * are left out: a re-submission may start at stage 1).
 */
export function stageArrays(
  cells: readonly ListedCell[],
  mode: ExperimentMode,
  cpus: number,
): StageArray[] {
  const stages = [...new Set(cells.map((c) => c.stage ?? 0))].sort((a, b) => a - b);
  return stages.map((stage) => {
    const members = cells.filter((c) => (c.stage ?? 0) === stage);
    return {
      stage,
      keys: members.map((c) => c.key),
      resources: taskResources(members, mode, cpus, stage),
    };
  });
}

/** Everything the batch scripts need besides the cells. */
export interface SubmissionSettings {
  /** Absolute path of the workspace checkout every node can read (a shared file system). */
  workspace: string;
  /** Absolute path of the shared results folder. */
  resultsDir: string;
  /** Absolute path of the folder of the per-task logs. */
  logDir: string;
  /** Absolute path of the deno executable on the nodes. */
  deno: string;
  /**
   * Permission flags of every `reproduce` call: the reproduce task's with the results folder added
   * (`taskPermissions`, scripts/task_permissions.ts).
   */
  permissions: string[];
  /** The plan's flags, passed to every `reproduce` call (e.g. ["--quick"]). */
  planArgs: string[];
  /** At most this many tasks run at once (`%K`). */
  concurrency: number;
  partition?: string;
  account?: string;
  /** GPUs per task (0: none). */
  gpus: number;
  /** DEMURE_BACKEND for the tasks (e.g. "tensorflow" with a GPU); default: the workspace's choice. */
  backend?: string;
}

/** Quotes `value` for bash (single quotes). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

function minutesText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  return `${String(hours).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00`;
}

function commonDirectives(settings: SubmissionSettings): string[] {
  return [
    ...(settings.partition ? [`#SBATCH --partition=${settings.partition}`] : []),
    ...(settings.account ? [`#SBATCH --account=${settings.account}`] : []),
  ];
}

function reproduceCommand(settings: SubmissionSettings, args: string[]): string {
  return [
    settings.deno,
    "run",
    ...settings.permissions,
    "scripts/reproduce.ts",
    ...args,
    "--results",
    settings.resultsDir,
    ...settings.planArgs,
  ].map(shellQuote).join(" ");
}

function cellsArray(keys: readonly string[]): string {
  return ["cells=(", ...keys.map((key) => `  ${shellQuote(key)}`), ")"].join("\n");
}

/** The job-array script of one stage: task i runs `array.keys[i]`. */
export function cellsBatchScript(array: StageArray, settings: SubmissionSettings): string {
  const { keys, resources, stage } = array;
  if (keys.length === 0) throw new Error("no cells to submit");
  const lines = [
    "#!/bin/bash",
    `# ${keys.length} cells of selection stage ${stage} of the Demure grid as a Slurm job array ` +
    "(scripts/slurm/submit.ts).",
    `#SBATCH --job-name=demure-cells-stage${stage}`,
    `#SBATCH --array=0-${keys.length - 1}%${settings.concurrency}`,
    `#SBATCH --cpus-per-task=${resources.cpus}`,
    `#SBATCH --mem=${resources.memoryMb}M`,
    `#SBATCH --time=${minutesText(resources.minutes)}`,
    `#SBATCH --output=${settings.logDir}/cell-%A_%a.log`,
    ...commonDirectives(settings),
    ...(settings.gpus > 0 ? [`#SBATCH --gres=gpu:${settings.gpus}`] : []),
    "set -euo pipefail",
    cellsArray(keys),
    "cell=${cells[$SLURM_ARRAY_TASK_ID]}",
    'echo "task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname): $cell"',
    `cd ${shellQuote(settings.workspace)}`,
    `export DEMURE_BLAS_THREADS=\${SLURM_CPUS_PER_TASK:-${resources.cpus}}`,
    ...(stage > 0 ? [`export DEMURE_SELECTION_WAIT_S=${SELECTION_WAIT_SECONDS}`] : []),
    ...(settings.backend ? [`export DEMURE_BACKEND=${shellQuote(settings.backend)}`] : []),
    `exec ${reproduceCommand(settings, ["--cell", "__CELL__"])}`.replace(
      "__CELL__",
      '"$cell"',
    ),
  ];
  return lines.join("\n") + "\n";
}

/**
 * The report job's script: writes the report from the finished cells, then names each submitted
 * cell that did not finish with its log, and exits 1 when there is one. The job ids of the arrays,
 * one per stage in `arrays`' order, come in `DEMURE_CELLS_JOBS`, separated by ":" (set by
 * `sbatch --export` at submission: the script is written before the ids exist).
 */
export function reportBatchScript(
  arrays: readonly StageArray[],
  settings: SubmissionSettings,
): string {
  const keys = arrays.flatMap((array) => array.keys);
  const arrayOf = arrays.flatMap((array, a) => array.keys.map(() => a));
  const taskOf = arrays.flatMap((array) => array.keys.map((_, task) => task));
  const lines = [
    "#!/bin/bash",
    "# Report of a Demure grid submission, after its job arrays (scripts/slurm/submit.ts).",
    "#SBATCH --job-name=demure-report",
    "#SBATCH --cpus-per-task=1",
    "#SBATCH --mem=2048M",
    "#SBATCH --time=00:30:00",
    `#SBATCH --output=${settings.logDir}/report-%j.log`,
    ...commonDirectives(settings),
    "set -uo pipefail",
    cellsArray(keys),
    "# cell i ran as task task_of[i] of the array jobs[array_of[i]]",
    `array_of=(${arrayOf.join(" ")})`,
    `task_of=(${taskOf.join(" ")})`,
    'IFS=: read -ra jobs <<<"${DEMURE_CELLS_JOBS:?set by the submission}"',
    `cd ${shellQuote(settings.workspace)}`,
    `output=$(${reproduceCommand(settings, ["--report-only"])} 2>&1)`,
    "status=$?",
    'printf "%s\\n" "$output"',
    "((status == 0)) || exit $status",
    "declare -A missing",
    "while IFS=$'\\t' read -r _ _ key; do missing[$key]=1; done < <(grep $'^missing\\t' <<<\"$output\")",
    "failed=0",
    'for i in "${!cells[@]}"; do',
    "  if [[ -n ${missing[${cells[$i]}]:-} ]]; then",
    "    failed=$((failed + 1))",
    `    echo "failed cell: \${cells[$i]} (log: ${settings.logDir}/cell-\${jobs[\${array_of[$i]}]}_\${task_of[$i]}.log)"`,
    "  fi",
    "done",
    'echo "${#cells[@]} cells submitted, $failed failed"',
    "((failed == 0))",
  ];
  return lines.join("\n") + "\n";
}
