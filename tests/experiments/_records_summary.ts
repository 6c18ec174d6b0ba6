/** The committed records of the full plan and their summary, collected without training anything. */
import { type PlanOutcome, runPlan } from "../../lib/experiments/run_plan.ts";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import { summarise } from "../../lib/experiments/summary.ts";
import type { ReproductionSummary } from "../../lib/experiments/summary_types.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

/** The records' plan outcome: every finished cell of the full plan, read from the records. */
export function recordsOutcome(): Promise<PlanOutcome> {
  const recordsDir = new URL(`../../${RECORDS_DIR.full}`, import.meta.url).pathname;
  return runPlan(planOfResults("full", recordsDir), {
    resultsDir: recordsDir,
    runPending: false,
    log: () => {},
  });
}

/** The records' summary (what `reproduce --report-only` reports), for tests of the report. */
export async function recordsSummary(): Promise<ReproductionSummary> {
  return summarise(await recordsOutcome());
}
