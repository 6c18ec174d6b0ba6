/**
 * Lines the plan runner (`run_plan.ts`) prints about a run as a whole, built from plain values so
 * that their wording is testable without running a plan. Private to the plan runner.
 */
import type { ExperimentPlan, PlanPlace } from "./plan_types.ts";

/** Seconds as the runner's lines say them: whole seconds under 90, else minutes to a tenth. */
export function formatMinutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

/**
 * The line that opens a run (and a report, which runs no cell): the cells planned and finished,
 * and the training the rest take. With nothing left it says so: it read "16 cells planned, 16
 * already finished ...; the planned ones take about 0 s of training on this machine kind ..." at
 * the end of every finished run (the report's), where no cell was planned to train.
 *
 * @example
 * ```ts
 * openingLine(plan, 0, 0, { resultsDir: "results/quick" });
 * // "quick reproduction: 16 cells planned, all 16 finished (stored in results/quick): nothing
 * //  left to train"
 * ```
 */
export function openingLine(
  current: ExperimentPlan,
  pending: number,
  expectedSeconds: number,
  options: { resultsDir: string; workers?: number },
  replaced = 0,
): string {
  const count = current.cells.length;
  const planned = `${current.mode} reproduction: ${count} ${
    count === 1 ? "cell" : "cells"
  } planned`;
  if (pending === 0) {
    const stored = current.cells.length === 0
      ? ""
      : `, all ${current.cells.length} finished (stored in ${options.resultsDir})`;
    return `${planned}${stored}: nothing left to train`;
  }
  const processes = options.workers ?? 1;
  const wall = processes > 1
    ? `, about ${formatMinutes(expectedSeconds / processes)} of wall time in ${processes} processes`
    : "";
  const waiting = current.cells.some((cell) => cell.waitsFor)
    ? "more cells appear as selections finish; "
    : "";
  const imported = current.cells.some((cell) => cell.dataset.kind === "file")
    ? "; an imported dataset's cells are estimated as the synthetic benchmark's scaled by its " +
      "batches an epoch and items, with the benchmark's epochs (early stopping decides theirs): " +
      "the time left is corrected as cells finish"
    : "";
  // Pending cells whose file is there hold results of other settings (a ranking, a trainer or
  // model setting changed since): they are trained again and replace those results, which a
  // notebook that changed a setting in place of giving another resultsDir did without a word.
  const others = replaced === 0
    ? ""
    : `, ${replaced} stored with other settings (trained again, replacing those results)`;
  return `${planned}, ${current.cells.length - pending} already finished${others} (resumed from ` +
    `${options.resultsDir}); the planned ones take about ${formatMinutes(expectedSeconds)} of ` +
    `training on this machine kind${wall} (${waiting}processes started on the same results ` +
    `share the cells)${imported}`;
}

/**
 * The line of a finished cell: its place in the whole plan, its result (`result`: validation and
 * best epoch, `note`: what follows them), its time and the time left of the whole plan (the
 * cells pending when this process started, at the rate every process sharing the results
 * finished them since: `StartEstimate.secondsLeft`).
 *
 * @example
 * ```ts
 * progressLine({ finished: 5, planned: 16 }, "quick/Synthetic/Pop/seed=0", "valid NDCG@10 ...",
 *   "", 2, 70);
 * // "[5/16] quick/Synthetic/Pop/seed=0: valid NDCG@10 ... (2 s; about 70 s of the planned cells
 * //  left)"
 * ```
 */
export function progressLine(
  place: PlanPlace,
  key: string,
  result: string,
  note: string,
  cellSeconds: number,
  secondsLeft: number,
): string {
  return `[${place.finished}/${place.planned}] ${key}: ${result} (${formatMinutes(cellSeconds)}; ` +
    `about ${formatMinutes(secondsLeft)} of the planned cells left)${note}`;
}
