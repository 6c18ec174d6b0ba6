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
