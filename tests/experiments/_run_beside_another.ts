/**
 * runPlan beside another process sharing its results folder (a second store over the folder),
 * which acts between two of runPlan's choices: the setup of run_plan_next_cell54_test.ts and
 * run_plan_mutants54_test.ts.
 */
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { type CellOutcome, runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";

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

/**
 * The quick plan's synthetic SASRec-MM cell of seed 1, which waits for its selection, and the
 * selection trials that settle it: a cell that becomes runnable mid-run once another process
 * stores those trials ({@linkcode storeTrials}).
 */
export function waitingCellAndTrials(
  plan: ExperimentPlan,
): { waiting: PlannedCell; trials: PlannedCell[] } {
  const waiting = plan.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemKey === "SASRec-MM" && !c.trial && c.seed === 1
  )!;
  const trials = plan.cells.filter((c) =>
    c.trial !== undefined && waiting.waitsFor?.includes(c.trial.selection)
  );
  return { waiting, trials };
}

/** Stores `trials` of `plan` with its settings, each its own validation NDCG@10 (0.1, 0.2, ...). */
export function storeTrials(
  elsewhere: ResultStore,
  plan: ExperimentPlan,
  trials: readonly PlannedCell[],
): void {
  trials.forEach((trial, index) =>
    elsewhere.put(trial.key, settingsOf(plan, trial), storedCellResult(0.1 + 0.1 * index))
  );
}

/** Claims `key` in `elsewhere` for a live process (pid 1 of this host): held, so skipped here. */
export function claimForLiveProcess(elsewhere: ResultStore, key: string): void {
  Deno.writeTextFileSync(
    elsewhere.claimPathOf(key),
    JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
  );
}
