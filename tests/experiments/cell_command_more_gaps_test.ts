/**
 * Behaviour of lib/experiments/cell_command.ts that the earlier rounds left unpinned (mutation
 * round LA): what `--cell` takes as an index.
 */
import { assertStringIncludes, assertThrows } from "@std/assert";
import { resolveCell } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

Deno.test("resolveCell: digits followed by anything else are a key (named as one), not an index", () => {
  const plan = planExperiments("quick");
  // "3x" read as index 3 would be refused as "no such index" (or run cell 3 for "3 "): a typo
  // of a key or an index must be named as what it is, a key not in the plan.
  for (const given of ["3x", "3 ", "1e2", "0x1"]) {
    const error = assertThrows(() => resolveCell(plan, given));
    assertStringIncludes(error.message, `--cell "${given}": not a cell of the quick plan`);
  }
});

Deno.test("resolveCell: an unknown key's refusal names the plan's seeds and its last index", () => {
  const plan = planExperiments("quick", [0, 2]);
  const last = plan.cells.length - 1;
  const error = assertThrows(() => resolveCell(plan, "quick/Nope/seed=0"));
  assertStringIncludes(
    error.message,
    `(seeds 0,2); give an index 0..${last} or a key printed by --list-cells`,
  );
});
