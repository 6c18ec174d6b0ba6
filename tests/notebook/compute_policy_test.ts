/**
 * Which missing cells a notebook computes: every one with DEMURE_RERUN=1, those `quickCompute`
 * chooses in quick mode, none in full mode; and `ensureCellsInNotebook` asking exactly that
 * policy (a cell it was told not to compute is reported missing, with the command that would
 * compute it, and nothing is trained). Looking creates nothing: the quick test left an empty
 * `results/quick/cells` in the checkout until 2026-12-06 (the store it opened to read made it).
 */
import { assertEquals, assertStrictEquals, assertStringIncludes } from "@std/assert";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import {
  ensureCellsInNotebook,
  notebookComputePolicy,
  notebookPlan,
  notebookResultsDir,
} from "../../lib/notebook/plan_cells.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import { requireFlagOff } from "../_flag_off.ts";
import { printedLines } from "./_printed_lines.ts";

// Refused when on, never unset here: the parallel suite's modules share this process's environment.
requireFlagOff("DEMURE_RERUN", "tests/notebook/compute_policy_test.ts");

Deno.test("notebookComputePolicy: none in full mode, quickCompute (default all) in quick mode, all with DEMURE_RERUN", () => {
  const firstSeed = (cell: PlannedCell) => cell.seed === 0;
  assertEquals(notebookComputePolicy("full", {}, false), false);
  assertEquals(notebookComputePolicy("full", { quickCompute: firstSeed }, false), false);
  assertEquals(notebookComputePolicy("quick", {}, false), true);
  assertStrictEquals(notebookComputePolicy("quick", { quickCompute: firstSeed }, false), firstSeed);
  assertEquals(notebookComputePolicy("full", {}, true), true);
  assertEquals(notebookComputePolicy("quick", { quickCompute: firstSeed }, true), true);
  // The environment is the default: off here (requireFlagOff above), so full mode computes nothing.
  assertEquals(notebookComputePolicy("full"), false);
});

/** A cell of `mode`'s plan under a key no results folder holds. */
function absentCell(
  mode: "quick" | "full",
): { plan: ReturnType<typeof notebookPlan>; cell: PlannedCell } {
  const plan = notebookPlan(mode);
  const cell = { ...plan.cells[0], key: `${plan.cells[0].key}/compute-policy-test-absent` };
  return { plan, cell };
}

async function printed(body: () => Promise<unknown>): Promise<string> {
  return (await printedLines(body)).join("\n");
}

Deno.test("ensureCellsInNotebook asks quickCompute in quick mode and trains nothing it declines", async () => {
  const { plan, cell } = absentCell("quick");
  const cellsFolder = cellsDirectory(notebookResultsDir(plan));
  const folderBefore = pathExists(cellsFolder);
  const asked: string[] = [];
  let found = -1;
  const output = await printed(async () => {
    found = (await ensureCellsInNotebook(plan, [cell], {
      quickCompute: (candidate) => (asked.push(candidate.key), false),
    })).length;
  });
  assertEquals(asked, [cell.key]);
  assertEquals(found, 0);
  assertStringIncludes(output, "0 of 1 cells available (results/quick)");
  assertStringIncludes(output, "1 cell not computed: run `deno task reproduce --quick`");
  // The checkout's results/quick is as it was: reading made no cells folder.
  assertEquals(pathExists(cellsFolder), folderBefore);
});

Deno.test("ensureCellsInNotebook in full mode computes nothing, even when quickCompute would", async () => {
  const { plan, cell } = absentCell("full");
  let asked = 0;
  let found = -1;
  const output = await printed(async () => {
    found = (await ensureCellsInNotebook(plan, [cell], {
      quickCompute: () => (asked++, true),
    })).length;
  });
  assertEquals(asked, 0);
  assertEquals(found, 0);
  // The folder it looked in: the committed records (a wrong one sent the reader to look there).
  assertStringIncludes(output, `0 of 1 cells available (${RECORDS_DIR.full})`);
  assertStringIncludes(output, "1 cell not computed: run `deno task reproduce --select`");
});

Deno.test("ensureCellsInNotebook prints nothing when every cell is there", async () => {
  // "N of N cells available" stood on every page, the report without code too.
  const plan = notebookPlan("full");
  let found = -1;
  const output = await printed(async () => {
    found = (await ensureCellsInNotebook(plan, [plan.cells[0]])).length;
  });
  assertEquals(found, 1);
  assertEquals(output, "");
});
