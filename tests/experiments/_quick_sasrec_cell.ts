/**
 * The quick plan and its Synthetic SASRec-ID cell of the first seed: the cell the cellModel tests
 * train, keep and load (3 epochs, about a second; a test may cap it lower). One home, so that the
 * files' cells cannot drift apart.
 */
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";

/** The quick plan and its first-seed Synthetic SASRec-ID cell. */
export function quickSasrecCell(): { plan: ExperimentPlan; cell: PlannedCell } {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemName === "SASRec-ID" && c.seed === plan.seeds[0]
  )!;
  return { plan, cell };
}
