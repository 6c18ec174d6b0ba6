/**
 * What every cluster route of the grid shares (the Slurm job arrays, scripts/slurm/; the
 * Kubernetes Jobs, scripts/kubernetes/): the cells to run split into one batch per selection stage
 * (the `stage` of `reproduce --list-cells`), each batch started when the one before has ended, and
 * what each of a batch's tasks requests.
 *
 * Why one batch per stage: a cell whose configuration waits for a selection (a seed after its
 * hyper-parameter trials, a Demure trial after its backbone's selection) used to start with its
 * trials and wait inside its task, holding a concurrency slot and its CPUs (and, on a cluster that
 * bills allocations, charging them) for up to two stages of trials, and every task had to ask for
 * time to cover that wait: 165 min each for the full plan from scratch. Started after its trials
 * have ended, a cell finds its selection made; the full plan's slowest stage asks for 108 min. A
 * later stage's task still waits up to {@linkcode SELECTION_WAIT_SECONDS} for a selection, then
 * fails with a clear message (a trial failed, or runs in a process the submission does not know
 * of).
 *
 * Resource requests per task are derived from measurements (2-core machine, wasm + OpenBLAS,
 * DEMURE_BLAS_THREADS=1):
 * - time: `estimatedCellSeconds` of lib/experiments/cell_seconds.ts (the measured idle time of each
 *   dataset and system) x {@linkcode TIME_SAFETY_FACTOR}, plus {@linkcode STARTUP_SECONDS} for the
 *   process start and the dataset preparation each task repeats, plus, after the first stage,
 *   {@linkcode SELECTION_WAIT_SECONDS}. A batch has one time limit, so its slowest cell sets it.
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
 * Time requested = estimated cell time x this. The estimates of full cells are idle times of one
 * run of each system; across the recorded seeds and configurations a system's cells took up to
 * 1.8x its median (MovieLens Demure-SASRec), and this host's speed moves up to 1.5x from day to
 * day: 3x covers both. Quick estimates are rougher (a loaded machine took up to 5x), which
 * {@linkcode MINIMUM_MINUTES} covers.
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

/** What each task of a batch requests. */
export interface TaskResources {
  cpus: number;
  memoryMb: number;
  minutes: number;
}

/**
 * Requests given by the user (`--minutes`, `--memory-mb`) in place of the estimates: measured on
 * the data at hand, which the estimates (the embedded datasets') do not describe for an imported
 * dataset. `minutes` is the whole request of a task (a later stage's selection wait included).
 */
export interface RequestOverride {
  minutes?: number;
  memoryMb?: number;
}

/** Requests per task for the `cells` of one stage of a `mode` plan (this module's header). */
export function taskResources(
  cells: readonly ListedCell[],
  mode: ExperimentMode,
  cpus: number,
  stage: number,
  override: RequestOverride = {},
): TaskResources {
  const slowest = Math.max(0, ...cells.map((c) => c.estimatedSeconds));
  const seconds = slowest * TIME_SAFETY_FACTOR + STARTUP_SECONDS +
    (stage > 0 ? SELECTION_WAIT_SECONDS : 0);
  return {
    cpus,
    memoryMb: override.memoryMb ??
      Math.ceil(PEAK_MEMORY_MB[mode] * MEMORY_SAFETY_FACTOR / 256) * 256,
    minutes: override.minutes ?? Math.max(MINIMUM_MINUTES, Math.ceil(seconds / 60)),
  };
}

/**
 * Where a stage's time and memory requests come from, as the routes print them: the estimate's
 * rule, or the `--minutes`/`--memory-mb` the user gave (which replace it; before, a dry run with
 * `--minutes 20` said its 20 min were 3 x the slowest cell's estimate + start-up).
 */
export function requestSource(stage: number, override: RequestOverride = {}): string {
  const time = override.minutes !== undefined
    ? "--minutes as given"
    : `${TIME_SAFETY_FACTOR} x the stage's slowest cell's estimate + start-up` +
      (stage > 0 ? ` + ${SELECTION_WAIT_SECONDS / 60} min for its selection` : "");
  const memory = override.memoryMb !== undefined ? "--memory-mb as given; " : "";
  return `${time}; ${memory}see scripts/cluster/stages.ts`;
}

/** The cells of one batch (a Slurm job array, a Kubernetes Job): those of one selection stage. */
export interface StageArray {
  /** The stage (0: nothing to wait for). */
  stage: number;
  /** The cells' keys, in the plan's order: task i runs keys[i]. */
  keys: string[];
  resources: TaskResources;
}

/**
 * Splits the cells to submit into one batch per stage, earliest first (stages that hold no cell
 * are left out: a re-submission may start at stage 1).
 */
export function stageArrays(
  cells: readonly ListedCell[],
  mode: ExperimentMode,
  cpus: number,
  override: RequestOverride = {},
): StageArray[] {
  const stages = [...new Set(cells.map((c) => c.stage ?? 0))].sort((a, b) => a - b);
  return stages.map((stage) => {
    const members = cells.filter((c) => (c.stage ?? 0) === stage);
    return {
      stage,
      keys: members.map((c) => c.key),
      resources: taskResources(members, mode, cpus, stage, override),
    };
  });
}
