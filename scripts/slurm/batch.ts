/**
 * The Slurm batch scripts of a grid submission (pure text builders; `submit.ts` writes and
 * submits them): one job array per selection stage (scripts/cluster/stages.ts says why), whose
 * task i runs the stage's i-th cell with `reproduce --cell <key>`, each array after the one before
 * (`--dependency=afterany`), and a report job after the last, which writes the report from every
 * finished cell and lists the cells that failed with their logs. What each task requests:
 * `taskResources` of scripts/cluster/stages.ts.
 */
import { SELECTION_WAIT_SECONDS, type StageArray } from "../cluster/stages.ts";
import {
  CELL_WORD,
  cellsArray,
  type ReproduceCall,
  reproduceCommand,
  shellQuote,
} from "../cluster/shell.ts";

/**
 * Everything the batch scripts need besides the cells. Paths are absolute and on a file system
 * every node sees: the workspace, the results folder (`resultsDir`) and deno (`deno`).
 */
export interface SubmissionSettings extends ReproduceCall {
  /** The workspace checkout every node can read. */
  workspace: string;
  /** The folder of the per-task logs. */
  logDir: string;
  /** At most this many tasks run at once (`%K`). */
  concurrency: number;
  partition?: string;
  account?: string;
  /** GPUs per task (0: none). */
  gpus: number;
  /** DEMURE_BACKEND for the tasks (e.g. "tensorflow" with a GPU); default: the workspace's choice. */
  backend?: string;
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
    `exec ${reproduceCommand(settings, ["--cell", CELL_WORD])}`,
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
    // The log folder holds the results folder's name, which may hold `$`, a quote or a
    // backquote (submit.ts refuses only white space and commas): quoted once here, it is read
    // as written inside the double-quoted "failed cell" line below.
    `log_dir=${shellQuote(settings.logDir)}`,
    `cd ${shellQuote(settings.workspace)}`,
    `output=$(${reproduceCommand(settings, ["--report-only"])} 2>&1)`,
    "status=$?",
    'printf "%s\\n" "$output"',
    "((status == 0)) || exit $status",
    // reproduce names each missing cell on a line `missing<TAB><index><TAB><key>`. A key holds the
    // --dataset file's name, which may hold a line break: read line by line, such a key was cut
    // in two and its failed cell went unreported (the job exited 0). So each submitted key is
    // looked for whole, as a literal (quoted) part of a regular expression that spans its line.
    "listed=$'\\n'\"$output\"$'\\n'",
    "failed=0",
    'for i in "${!cells[@]}"; do',
    "  if [[ $listed =~ $'\\n'missing$'\\t'[0-9]+$'\\t'\"${cells[$i]}\"$'\\n' ]]; then",
    "    failed=$((failed + 1))",
    `    log="\${log_dir}/cell-\${jobs[\${array_of[$i]}]}_\${task_of[$i]}.log"`,
    // A task cancelled before it started (scancel of a pending array) writes no log: "log: PATH"
    // sent the reader to a file that is not there.
    '    if [[ -e $log ]]; then echo "failed cell: ${cells[$i]} (log: $log)"',
    '    else echo "failed cell: ${cells[$i]} (its task never started: no log $log)"; fi',
    "  fi",
    "done",
    'echo "${#cells[@]} cells submitted, $failed failed"',
    // What to do next, where the log used to end at the count: re-submitting is resuming.
    "((failed == 0)) || echo 'to run them: the same deno task slurm command again (finished " +
    "cells are left out, the rest resume from their last epoch checkpoint; docs/scale.md)'",
    "((failed == 0))",
  ];
  return lines.join("\n") + "\n";
}
