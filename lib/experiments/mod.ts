/**
 * The experiments that reproduce the paper: systems, datasets, the plan of cells, running cells
 * (resumable, shared between processes), analyses, attribution quality and the report.
 *
 * @example
 * ```ts
 * import { planExperiments, runPlan } from "./lib/experiments/mod.ts";
 * const outcome = await runPlan(planExperiments("quick"), { resultsDir: "results/quick" });
 * ```
 *
 * @module
 */
export * from "./systems.ts";
export * from "./datasets.ts";
export * from "./plan.ts";
export * from "./run_cell.ts";
export * from "./run_plan.ts";
export * from "./cell_command.ts";
export * from "./ensure_cells.ts";
export * from "./cell_model.ts";
export * from "./experiment_views.ts";
export * from "./result_store.ts";
export * from "./analyse.ts";
export * from "./attribution_quality.ts";
export * from "./report.ts";
