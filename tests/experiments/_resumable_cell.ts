/**
 * A quick plan of one cell that checkpoints every epoch and carries Demure state (its mask cache
 * must survive a stop): a sensitivity-sweep cell without the attribution scoring. Sweep cells run
 * around the selected configuration, so a selection of the defaults is given.
 */
import { assertRejects } from "@std/assert";
import { datasetLabel } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";

/** The one-cell plan and its cell; `full`: the plan of all cells it was taken from. */
export function resumableCellPlan(): {
  plan: ExperimentPlan;
  cell: PlannedCell;
  full: ExperimentPlan;
} {
  const label = datasetLabel({ kind: "synthetic", config: planExperiments("quick").synthetic });
  const chosen = { trial: 0, config: {}, valid: 0, trials: 2 };
  const full = planExperiments("quick", undefined, {
    selected: { [label]: { "SASRec-MM": chosen, "Demure-SASRec": chosen } },
  });
  const cell = full.cells.find((c) => c.sweep !== undefined && !c.scoreAttribution)!;
  return { plan: { ...full, cells: [cell] }, cell, full };
}

/** The one-cell plan with its cell stored under `resultsDir` (a stub): a run of it trains nothing. */
export function storedCellPlan(resultsDir: string): { plan: ExperimentPlan; cell: PlannedCell } {
  const { plan, cell } = resumableCellPlan();
  new ResultStore(cellsDirectory(resultsDir))
    .put(cell.key, settingsOf(plan, cell), storedCellResult());
  return { plan, cell };
}

class SimulatedKill extends Error {}

/**
 * Runs `plan` into `resultsDir` and stops it after `epoch` of its cell, as a kill there would:
 * the cell's epoch checkpoints stay, nothing is stored.
 */
export async function runKilledAfterEpoch(
  plan: ExperimentPlan,
  resultsDir: string,
  epoch: number,
): Promise<void> {
  await assertRejects(
    () =>
      runPlan(plan, {
        resultsDir,
        log: () => {},
        onEpoch: (_, progress) => {
          if (progress.epoch === epoch) throw new SimulatedKill(`killed after epoch ${epoch}`);
        },
      }),
    SimulatedKill,
  );
}
