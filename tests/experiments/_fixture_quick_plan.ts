/**
 * The quick plan of the imported fixture tests/fixtures/byo/tiny (RecBole files, seed 0) cut to
 * the named systems: a runPlan of a few cells in seconds, on data loaded from files. One home for
 * the tests that each wrote the same cut (other_settings_guard51_test.ts,
 * replaced_cells_line51_test.ts, run_plan_place_test.ts, tests/notebook/live_cell_number51_test.ts).
 */
import type { FileDatasetSpec } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlanOptions } from "../../lib/experiments/plan_types.ts";

const fixtures = new URL("../fixtures/byo/", import.meta.url).pathname;

/** The fixture as RecBole files (tiny.inter, tiny.item). */
export const TINY_RECBOLE: FileDatasetSpec = {
  kind: "file",
  path: `${fixtures}tiny`,
  format: "recbole",
};

/** The fixture as one sequence per line (tiny.txt). */
export const TINY_SEQUENCE: FileDatasetSpec = {
  kind: "file",
  path: `${fixtures}tiny.txt`,
  format: "sequence",
};

/**
 * The quick plan (seed 0) on {@linkcode TINY_RECBOLE}, or `options.dataset`, with `options`, its
 * cells cut to those of `systems` (in the plan's order).
 */
export function fixtureQuickPlan(
  systems: readonly string[],
  options: PlanOptions = {},
): ExperimentPlan {
  const plan = planExperiments("quick", [0], { dataset: TINY_RECBOLE, ...options });
  return { ...plan, cells: plan.cells.filter((c) => systems.includes(c.systemName)) };
}

/** The two cells that train no model (Pop and ItemKNN), under `ranking`. */
export function twoCells(ranking: "history_excluded" | "history_kept"): ExperimentPlan {
  return fixtureQuickPlan(["Pop", "ItemKNN"], { ranking });
}
