/**
 * runPlan run where every claim lock file fails to open as a results folder that cannot be written
 * fails it (full, read-only, no permission, no capability): the setup of the tests that such a
 * folder stops the run with one error rather than a FAILED line per cell (run_plan_test.ts had it
 * twice, run_plan_mutants52_test.ts once).
 */
import { assertRejects } from "@std/assert";
import type { ExperimentPlan } from "../../lib/experiments/plan_types.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

/** What runPlan rejected with, and the lines it logged first. */
export interface RefusedRun {
  /** The error runPlan rejected with. */
  error: Error;
  /** Its lines. */
  lines: string[];
}

/**
 * runPlan of `plan` into a new temporary folder (removed after), with `continueOnFailure`, each
 * open of a claim's lock file throwing `refusal()`; fails the test when runPlan resolves.
 */
export async function runWithClaimLocksRefused(
  plan: ExperimentPlan,
  refusal: () => Error,
): Promise<RefusedRun> {
  const { openSync } = Deno;
  const refuse = (path: string | URL, options?: Deno.OpenOptions) => {
    if (String(path).endsWith(".claim.lock")) throw refusal();
    return openSync(path, options);
  };
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  try {
    const error = await withDenoStandIns(
      { openSync: refuse },
      () =>
        assertRejects(() =>
          runPlan(plan, { resultsDir, log: (line) => lines.push(line), continueOnFailure: true })
        ),
    );
    return { error, lines };
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}
