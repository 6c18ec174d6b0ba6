/** The summary of the committed records of the full plan, collected without training anything. */
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import { summarise } from "../../lib/experiments/summary.ts";
import type { ReproductionSummary } from "../../lib/experiments/summary_types.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

/** The records' summary (what `reproduce --report-only` reports), for tests of the report. */
export async function recordsSummary(): Promise<ReproductionSummary> {
  const recordsDir = new URL(`../../${RECORDS_DIR.full}`, import.meta.url).pathname;
  return summarise(
    await runPlan(planOfResults("full", recordsDir), {
      resultsDir: recordsDir,
      runPending: false,
      log: () => {},
    }),
  );
}
