/**
 * The quick plan (first seed) and its SASRec-MM cell that scores its attribution, on a smaller
 * synthetic dataset for one step: the attribution is scored whatever the model learned, and only
 * that it is (or what its progress says) matters. The one home of the cell that run_plan_test.ts
 * and attribution_quality_progress_audit_test.ts (twice) each wrote out.
 */
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";

/** 40 users, 30 items, histories of 8: a dataset prepared and scored in a second or two. */
export const SMALL_SYNTHETIC = { numUsers: 40, numItems: 30, historyLength: 8 } as const;

/** The quick plan of seed 0 and its scored SASRec-MM cell on {@linkcode SMALL_SYNTHETIC}, one step. */
export function smallScoredCell(): { plan: ExperimentPlan; cell: PlannedCell } {
  const plan = planExperiments("quick", [0]);
  const planned = plan.cells.find((c) => c.scoreAttribution && c.systemName === "SASRec-MM")!;
  const cell: PlannedCell = {
    ...planned,
    dataset: { kind: "synthetic", config: SMALL_SYNTHETIC },
    training: { ...planned.training, maxEpochs: 1, maxBatchesPerEpoch: 1 },
  };
  return { plan, cell };
}
