/**
 * Tests written for the mutants of the plan's building (`plan.ts`, `_plan_cells.ts`) that the
 * earlier tests let through (session 52's mutation pass): each fails on the mutant named in its
 * comment and passes on the code as it is.
 */
import { assert, assertStringIncludes, assertThrows } from "@std/assert";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { SettingError } from "../../lib/util/settings.ts";

Deno.test("planExperiments: a list where an options object belongs is refused, naming the option", () => {
  // Mutant: the object check without `!Array.isArray` took `demure: []` and `selected: []` (a
  // notebook's slip) as empty objects and built the plan of the defaults without a word.
  for (const name of ["demure", "selected", "datasetTraining"] as const) {
    const error = assertThrows(() => planExperiments("quick", undefined, { [name]: [] } as never));
    assert(error instanceof SettingError, `${name}: ${error}`);
    assertStringIncludes(error.message, `PlanOptions.${name}`);
  }
});

Deno.test("planExperiments: a trial budget over the smallest grid is refused up front, naming that grid", () => {
  // Quick mode selects SASRec-MM (12 points) and Demure-SASRec (289). Mutant: the reduce kept the
  // largest grid, so 13 passed the plan's check and only the first trial's cell refused it, in
  // the words of a grid its runs cut.
  const error = assertThrows(() => planExperiments("quick", undefined, { trialBudget: 13 }));
  assert(error instanceof SettingError, `${error}`);
  assertStringIncludes(
    error.message,
    "PlanOptions.trialBudget is 13; allowed: an integer >= 1 and <= 12 (the points of " +
      "SASRec-MM's grid)",
  );
});
