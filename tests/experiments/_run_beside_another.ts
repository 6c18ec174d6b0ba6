/**
 * runPlan beside another process sharing its results folder (a second store over the folder),
 * which acts between two of runPlan's choices: the setup of run_plan_next_cell54_test.ts and
 * run_plan_mutants54_test.ts.
 */
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { type CellOutcome, runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";

/**
 * Runs `plan` in a fresh results folder where another process (a second store over the folder)
 * first does `before`, then `between` once this one is done with its first cell (finished, or
 * skipped as held). The cells this process finished (by key, in order) and the folder's store, for
 * the checks; the folder is removed after `check`.
 */
export async function runBesideAnother(
  plan: ExperimentPlan,
  steps: {
    before?: (elsewhere: ResultStore) => void;
    between: (elsewhere: ResultStore) => void;
    options?: { replaceOtherSettings?: boolean; order?: string[]; waitForOthers?: boolean };
  },
  check: (finishedHere: string[], store: ResultStore) => void,
): Promise<void> {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const elsewhere = new ResultStore(cellsDirectory(resultsDir));
    steps.before?.(elsewhere);
    const finishedHere: string[] = [];
    let done = 0;
    await runPlan(plan, {
      resultsDir,
      log: () => {},
      waitSeconds: 0.01,
      ...steps.options,
      onCellDone: (cell: PlannedCell, outcome: CellOutcome) => {
        if (outcome.kind === "finished") finishedHere.push(cell.key);
        else if (outcome.kind !== "held") throw new Error(`${cell.key}: ${outcome.line}`);
        if (++done === 1) steps.between(elsewhere);
      },
    });
    check(finishedHere, new ResultStore(cellsDirectory(resultsDir)));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}
