/**
 * A selection trial that is the same run as another cell (`sameAs`): the fixture of the tests of
 * `listCells` (cell_command_test.ts, cell_command_gaps_test.ts), which each had a copy.
 */
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";

/**
 * The first trial (index 0) of SASRec-ID's selection on MovieLens that is the same run as another
 * cell, and its index in `plan.cells`; throws if `plan` has none.
 */
export function firstReusableTrial(plan: ExperimentPlan): { trial: PlannedCell; index: number } {
  const index = plan.cells.findIndex((c) =>
    c.trial?.index === 0 && c.sameAs !== undefined && c.systemKey === "SASRec-ID" &&
    c.datasetLabel === "MovieLens"
  );
  if (index < 0) throw new Error("the plan has no SASRec-ID MovieLens trial that reuses a run");
  return { trial: plan.cells[index], index };
}
