/**
 * What a notebook says about cells it did not compute: the count in words that fit it ("1 cell",
 * not "1 cells"), and how a reader in the lab, who has no shell around the kernel, sets
 * DEMURE_RERUN. The line used to say only "set DEMURE_RERUN=1 in the kernel's environment"; the
 * advice it gives now is run in a child process and is shown to switch the compute policy on.
 */
import { assert, assertEquals } from "@std/assert";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ensureCellsInNotebook, notebookPlan } from "../../lib/notebook/plan_cells.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { requireFlagOff } from "../_flag_off.ts";
import { printedLines as printed } from "./_printed_lines.ts";

// Refused when on, never unset here: the parallel suite's modules share this process's environment.
requireFlagOff("DEMURE_RERUN", "tests/notebook/missing_cells_line52_test.ts");

/** `count` cells of the full plan that no results folder holds. */
function absentCells(count: number): PlannedCell[] {
  const plan = notebookPlan("full");
  return plan.cells.slice(0, count).map((cell) => ({
    ...cell,
    key: `${cell.key}/missing-cells-line52-absent`,
  }));
}

/** The "not computed" line ensureCellsInNotebook prints for `cells` of the full plan. */
async function missingLine(cells: PlannedCell[]): Promise<string> {
  const lines = await printed(() => ensureCellsInNotebook(notebookPlan("full"), cells));
  assertEquals(lines.length, 2, lines.join("\n"));
  return lines[1];
}

const HOW_IN_THE_LAB = "set DEMURE_RERUN=1 in the kernel's environment (in the lab: run " +
  '`Deno.env.set("DEMURE_RERUN", "1")` in a cell, then this cell again; or start the lab as ' +
  "`DEMURE_RERUN=1 ./run.sh lab`)";

Deno.test("one missing cell is '1 cell', and the line says how to set DEMURE_RERUN in the lab", async () => {
  assertEquals(
    await missingLine(absentCells(1)),
    `1 cell not computed: run \`deno task reproduce --select\`, or ${HOW_IN_THE_LAB}`,
  );
});

Deno.test("two missing cells are '2 cells'", async () => {
  const line = await missingLine(absentCells(2));
  assert(line.startsWith("2 cells not computed: "), line);
  assert(line.endsWith(HOW_IN_THE_LAB), line);
});

Deno.test("the line's advice, run in a kernel's place, switches the notebook's compute policy on", async () => {
  const advice = HOW_IN_THE_LAB.match(/`(Deno\.env\.set\([^`]+\))`/)![1];
  const [before, after] = await evalInSubprocess<[unknown, unknown]>(
    `import { notebookComputePolicy } from ${projectModule("lib/notebook/plan_cells.ts")};
     const before = notebookComputePolicy("full");
     ${advice};
     const after = notebookComputePolicy("full");
     console.log(JSON.stringify([before, after]));`,
  );
  // Full mode computes nothing unless asked; after the advice every missing cell is computed.
  assertEquals([before, after], [false, true]);
});
