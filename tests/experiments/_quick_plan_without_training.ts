/**
 * The quick plan cut to its synthetic cells that train no model: a run of the claims, the stores
 * and the plan's order in seconds. One home for the tests of runPlan (run_plan_test.ts,
 * run_plan_gaps_test.ts), which each had a copy.
 */
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan } from "../../lib/experiments/plan_types.ts";

/** The quick plan's cells on synthetic data that train no model: a quick run of the claims. */
export function quickPlanWithoutTraining(): ExperimentPlan {
  const full = planExperiments("quick");
  return {
    ...full,
    cells: full.cells.filter((c) => c.dataset.kind === "synthetic" && c.system.kind !== "neural"),
  };
}
