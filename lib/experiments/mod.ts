/**
 * The experiments that reproduce the paper: systems, datasets, the plan of cells, running cells
 * (resumable, shared between processes), the selection on validation, analyses, attribution
 * quality, the summary with its markdown and HTML reports, and the results of record.
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
export * from "./training_objective.ts";
export * from "./protocol_caption.ts";
export * from "./datasets.ts";
export * from "./plan_types.ts";
export * from "./plan.ts";
export * from "./file_stopping.ts";
export * from "./plan_warmup.ts";
export * from "./run_cell.ts";
export * from "./run_plan.ts";
export { OtherSettingsStoredError } from "./other_settings_guard.ts";
export * from "./cell_seconds.ts";
export * from "./stored_cells.ts";
export * from "./selection_record.ts";
export * from "./cell_checkpoints.ts";
export * from "./cell_command.ts";
export * from "./ensure_cells.ts";
export * from "./cell_model.ts";
export * from "./experiment_views.ts";
export * from "./noise_level_figures.ts";
export * from "./epoch_noise_rates.ts";
export * from "./result_store.ts";
export * from "./cell_claim.ts";
export * from "./claim_release.ts";
export { CLAIM_LOCK_WAIT_SECONDS, ClaimLockError, ClaimLockTimeoutError } from "./_claim_lock.ts";
export * from "./held_claim.ts";
export * from "./analyse.ts";
export * from "./attribution_quality.ts";
export * from "./evaluation_progress.ts";
export * from "./selection.ts";
export * from "./summary.ts";
export * from "./summary_types.ts";
export * from "./markdown_report.ts";
export * from "./html_report.ts";
export * from "./verify.ts";
export * from "./stored_data_check.ts";
export * from "./cells_fit_check.ts";
export * from "./cell_result_check.ts";
