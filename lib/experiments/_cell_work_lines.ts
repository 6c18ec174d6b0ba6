/**
 * The lines a claimed cell's work logs beside its epochs' lines: its attribution's progress, a slow
 * evaluation, a running evaluation's and a validation's progress. One home for the cells of
 * `runPlan` (_claimed_cell.ts) and of `reproduce --cell` (cell_command.ts), which each built them.
 */
import { attributionLine } from "./attribution_quality.ts";
import { runningEvaluationLine, slowEvaluationLine } from "./evaluation_progress.ts";
import { validationProgressLine } from "../train/progress.ts";
import type { CellEpochCallbacks } from "./run_cell.ts";

/** The callbacks of a cell's work other than its epochs. */
export type CellWorkCallbacks = Required<
  Pick<
    CellEpochCallbacks,
    "onAttribution" | "onEvaluation" | "onEvaluationProgress" | "onValidationProgress"
  >
>;

/**
 * Callbacks that give each line of a cell's work to `log` (an evaluation's only once it is slow:
 * {@linkcode slowEvaluationLine}).
 */
export function loggedCellWork(log: (line: string) => void): CellWorkCallbacks {
  return {
    onAttribution: (progress) => log(attributionLine(progress)),
    onEvaluation: (progress) => {
      const line = slowEvaluationLine(progress);
      if (line !== undefined) log(line);
    },
    onEvaluationProgress: (place, progress) => log(runningEvaluationLine(place, progress)),
    onValidationProgress: (place, progress) => log(validationProgressLine(place, progress)),
  };
}
