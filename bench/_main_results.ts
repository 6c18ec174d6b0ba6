/** The main-table results of one system on one dataset, by seed: shared by the checks in bench/. */
import { type CellResult, datasetLabel, type ExperimentPlan } from "../lib/experiments/mod.ts";

/**
 * The stored results of `plan`'s main-table cells of `system` on `dataset`, by seed; throws on a
 * cell that has not finished (the check must be run again).
 */
export function mainResults(
  plan: ExperimentPlan,
  stored: Map<string, CellResult>,
  dataset: string,
  system: string,
): Map<number, CellResult> {
  const results = new Map<number, CellResult>();
  for (const cell of plan.cells) {
    if (
      !cell.experiments.includes("main") || cell.systemName !== system ||
      datasetLabel(cell.dataset) !== dataset
    ) continue;
    const result = stored.get(cell.key);
    if (!result) throw new Error(`${cell.key}: not finished (run this check again)`);
    results.set(cell.seed, result);
  }
  return results;
}

/** Test NDCG@10 of {@linkcode mainResults}, by seed. */
export function mainTests(
  plan: ExperimentPlan,
  stored: Map<string, CellResult>,
  dataset: string,
  system: string,
): Map<number, number> {
  const results = mainResults(plan, stored, dataset, system);
  return new Map([...results].map(([seed, result]) => [seed, result.test["NDCG@10"]]));
}
