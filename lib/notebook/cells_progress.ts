/**
 * The progress of a plan's cells computed in a notebook, for `runPlan`'s `log`, `onEpoch` and
 * `onCellDone` (`ensureCellsInNotebook` uses it; a notebook that calls `runPlan` itself passes it
 * too).
 *
 * In the Deno kernel, one output is updated in place while the cells run: the model training now
 * (its epoch of at most the cap, loss, validation NDCG@10, the patience used, time left), numbered
 * as runPlan's line numbers it once finished, and runPlan's latest line. When they are done it
 * is replaced by a short summary, one line per cell computed (at most
 * {@linkcode MAX_LISTED_CELLS}, then how many more). The executed notebook, and so the rendered
 * page, keeps only that: before, each cell left its final progress line and runPlan's lines
 * (notebook 04 in quick mode on a fresh results folder: 28 lines for 11 cells; with
 * `DEMURE_RERUN=1` in full mode, hundreds). A cell that failed or that another process holds, or
 * that was handed over to another process, is printed for good (runPlan's line for it): it says
 * why a cell is missing. Which cells those are comes from `onCellDone`'s typed outcome, never
 * from the wording of the logged lines (rewording one would have dropped it from every page).
 * Outside a kernel every line prints, as runPlan's own log does.
 */
import type { PlannedCell, PlanPlace } from "../experiments/plan_types.ts";
import type { CellOutcome } from "../experiments/run_plan.ts";
import type { EpochProgress } from "../train/progress.ts";
import { jupyterOrNull } from "../util/jupyter.ts";
import { type DisplayApi, liveOutput } from "./_live_output.ts";
import { createProgress, formatProgressLine, type Progress } from "./progress.ts";
import { epochProgressEvent, stoppingSettingsOf } from "./training_progress.ts";

export type { DisplayApi };

/** The most cells a summary lists one per line; the rest are counted. */
export const MAX_LISTED_CELLS = 10;

/** The progress of the cells one `runPlan` (or `ensureCells`) call computes. */
export interface CellsProgress {
  /** runPlan's `log`: only a message's first line is shown (the dataset lines carry tables). */
  log: (line: string) => void;
  /**
   * runPlan's `onEpoch`; `place` (runPlan gives it) numbers the live line as runPlan's line
   * numbers the cell once finished.
   */
  onEpoch: (cell: PlannedCell, progress: EpochProgress, place?: PlanPlace) => void;
  /**
   * runPlan's `onCellDone`: a finished cell's line of the summary; runPlan's line for a cell that
   * failed, is held by another process or was handed over to one, printed for good.
   */
  onCellDone: (cell: PlannedCell, outcome: CellOutcome) => void;
  /** Replaces the live output by the summary (in a kernel) and waits until it is shown. */
  done: () => Promise<void>;
}

/** Seconds as a page shows them: a tenth below 10 s (quick cells train in under a second). */
function secondsText(seconds: number): string {
  return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
}

/** The summary that stays on the page: a count, then one line per cell (up to the cap). */
function cellsSummary(finished: readonly string[], seconds: number, lastMessage: string): string {
  const plural = finished.length === 1 ? "" : "s";
  const head = `computed ${finished.length} cell${plural} now (${
    secondsText(seconds)
  } of training)`;
  if (finished.length === 0) return lastMessage === "" ? head : `${head}; ${lastMessage}`;
  const lines = finished.slice(0, MAX_LISTED_CELLS).map((line) => `  ${line}`);
  const more = finished.length - lines.length;
  if (more > 0) lines.push(`  ... and ${more} more (their results are in the results folder)`);
  return [`${head}:`, ...lines].join("\n");
}

/**
 * Progress for `runPlan(plan, { resultsDir, log, onEpoch, onCellDone })`: pass the three, then
 * `await done()`. `jupyter` is where the live output goes (default: the kernel's display when
 * running in one; `null` prints lines).
 *
 * @example
 * ```ts
 * const progress = cellsProgress();
 * const { log, onEpoch, onCellDone } = progress;
 * const outcome = await runPlan(plan, { resultsDir, log, onEpoch, onCellDone });
 * await progress.done();
 * ```
 */
export function cellsProgress(jupyter: DisplayApi | null = jupyterOrNull()): CellsProgress {
  if (jupyter === null) return printedCellsProgress();
  const output = liveOutput(jupyter);
  const finished: string[] = [];
  let seconds = 0;
  let training = "";
  let message = "";
  let shown = false;
  const show = () => {
    shown = true;
    output.show([training, message].filter((line) => line !== "").join("\n"));
  };
  return {
    log: (line) => {
      message = line.split("\n")[0];
      show();
    },
    onEpoch: (cell, progress, place) => {
      seconds += progress.epochSeconds;
      // Numbered as runPlan's line will number it when it finishes (its place in the plan, of the
      // plan's size; without runPlan's place, the cells finished by this call): numbered by models
      // trained, a cell trained as [5] finished as [7] on the line under it, after two cells that
      // train no model.
      const number = place ? `${place.finished}/${place.planned}` : `${finished.length + 1}`;
      training = formatProgressLine(
        `[${number}] ${cell.key}`,
        epochProgressEvent(progress, stoppingSettingsOf(cell.training)),
      );
      show();
    },
    onCellDone: (cell, outcome) => {
      if (outcome.kind === "finished") finished.push(`${cell.key}: ${outcome.result}`);
      else console.log(outcome.line);
    },
    done: async () => {
      if (shown) output.show(cellsSummary(finished, seconds, message));
      await output.done();
    },
  };
}

/** Outside a kernel: runPlan's lines and one progress line per epoch, printed. */
function printedCellsProgress(): CellsProgress {
  const lines = new Map<string, Progress>();
  return {
    log: (line) => console.log(line.split("\n")[0]),
    onEpoch: (cell, progress) => {
      if (!lines.has(cell.key)) lines.set(cell.key, createProgress({ label: cell.key }));
      lines.get(cell.key)!.report(epochProgressEvent(progress, stoppingSettingsOf(cell.training)));
    },
    onCellDone: () => {}, // runPlan's log prints the cell's line
    done: async () => {
      for (const line of lines.values()) await line.done();
    },
  };
}
