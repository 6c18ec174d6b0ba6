/**
 * What `scripts/check_lab.ts` judges, apart from the browser that observes it: the state read from
 * the live page, the server's stop report and the processes left, the notebook file's digests. Each
 * function returns the problems found (empty: all good), one line each, in the words the check
 * prints after `FAIL`. Kept pure so the judgement is tested without a browser or a server
 * (tests/notebook_runner/check_lab_problems_test.ts); the check itself takes a minute and Chromium.
 */
import type { LabStopReport } from "../lib/notebook_runner/mod.ts";

/** Everything the judgement reads from the page, as rendered at the end of Run All. */
export interface PageState {
  /** The kernel indicator's name. */
  kernelName: string;
  /** The kernel indicator shows idle. */
  kernelIdle: boolean;
  /** Each code cell: its prompt, output areas, error outputs and the start of its output text. */
  cells: Array<{ prompt: string; outputs: number; errors: number; text: string }>;
  /** `div.demure-plot` elements, and those holding an `svg.main-svg` (Plotly drew them). */
  plots: number;
  plotsDrawn: number;
  /** The outputs whose text starts with the progress label, at the end. */
  progressOutputs: string[];
  /** Every distinct text a progress output showed while the notebook ran. */
  progressSeen: string[];
  /** Set by the runner: the cells did not all finish in time. */
  timedOut?: boolean;
  /** Uncaught errors in the page's scripts. */
  pageErrors?: string[];
}

/** A prompt of a cell that ran: `In [3]` (an unrun cell shows `In [ ]`, a running one `In [*]`). */
const RAN_PROMPT = /In\s*\[\d+\]/;

/**
 * The page's problems: a kernel other than Deno or not idle, a cell that did not run, shows an
 * error or has no output (each named by its index), a figure not drawn, and a progress line that
 * was not one output updated in place up to 100%.
 */
export function pageProblems(state: PageState): string[] {
  const problems: string[] = [];
  if (state.timedOut) problems.push("the cells did not all finish in time");
  for (const error of state.pageErrors ?? []) problems.push(`page error: ${error}`);
  if (state.kernelName !== "Deno") problems.push(`kernel shown is "${state.kernelName}", not Deno`);
  if (!state.kernelIdle) problems.push("kernel not idle at the end");
  if (state.cells.length === 0) problems.push("no code cells in the page");
  state.cells.forEach((cell, index) => {
    if (!RAN_PROMPT.test(cell.prompt)) {
      problems.push(`cell ${index} did not run (${cell.prompt})`);
    }
    if (cell.errors > 0) problems.push(`cell ${index} shows an error: ${cell.text}`);
    if (cell.outputs === 0) problems.push(`cell ${index} has no output`);
  });
  if (state.plots === 0) problems.push("no Plotly figure in the page");
  if (state.plotsDrawn !== state.plots) {
    problems.push(`${state.plotsDrawn} of ${state.plots} figures drew an svg.main-svg`);
  }
  if (state.progressOutputs.length !== 1) {
    problems.push(
      `${state.progressOutputs.length} progress outputs (one updated in place expected): ` +
        state.progressOutputs.join(" | "),
    );
  } else if (!/ 100% /.test(`${state.progressOutputs[0]} `)) {
    problems.push(`the progress output ends at "${state.progressOutputs[0]}", not 100%`);
  }
  if (state.progressSeen.length < 2) {
    problems.push(`the progress output showed ${state.progressSeen.length} state(s), not updated`);
  }
  return problems;
}

/**
 * What the shutdown left: processes of the server still running after its stop, a server that
 * did not exit 0 (null: it had to be killed), and `stillRunning`, the pids of any process the
 * check started (browser, server, kernels) alive at the end.
 */
export function shutdownProblems(report: LabStopReport, stillRunning: readonly number[]): string[] {
  const problems: string[] = [];
  if (report.leftRunning.length > 0) {
    problems.push(`server processes still running: ${report.leftRunning.join(", ")}`);
  }
  if (report.exitCode !== 0) problems.push(`server exit status ${report.exitCode}`);
  if (stillRunning.length > 0) problems.push(`processes still running: ${stillRunning.join(", ")}`);
  return problems;
}

/** The notebook at `path` changed between the digests taken before and after (autosave was off). */
export function notebookProblems(path: string, before: string, after: string): string[] {
  return after === before ? [] : [`${path} was modified`];
}

/**
 * Whether a failed run is run once more: only when Jupyter's log shows a kernel message dropped
 * for an invalid signature (the Deno kernel's intermittent fault; its output never reaches the
 * page), never for a run that passed.
 */
export function rerunForSignature(problems: readonly string[], serverLog: string): boolean {
  return problems.length > 0 && serverLog.includes("Invalid Signature");
}
