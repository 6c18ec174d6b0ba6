/**
 * `ensureCellsInNotebook`'s `resultsDir` and `notebookPlan`'s: a notebook reads the cells of a
 * folder of its choice (a copy of the records, a cluster run's folder), and what it says about the
 * missing ones names that folder. Without the option which folder it read was fixed and untested.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { basename, join } from "node:path";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { cellStoreOf } from "../../lib/experiments/stored_cells.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import {
  ensureCellsInNotebook,
  notebookPlan,
  notebookResultsDir,
} from "../../lib/notebook/plan_cells.ts";
import { requireFlagOff } from "../_flag_off.ts";
import { printedLines as printed } from "./_printed_lines.ts";

// Refused when on, never unset here: the parallel suite's modules share this process's environment.
requireFlagOff("DEMURE_RERUN", "tests/notebook/results_dir_option_test.ts");

/** A temporary results folder holding the records' selection and the stored cells of `cells`. */
function folderWith(cells: PlannedCell[]): string {
  const records = notebookResultsDir(notebookPlan("full"));
  const dir = Deno.makeTempDirSync({ prefix: "notebook-results-dir-" });
  Deno.copyFileSync(join(records, "selected.json"), join(dir, "selected.json"));
  const store = cellStoreOf(dir);
  for (const cell of cells) {
    const path = store.pathOf(cell.key);
    Deno.copyFileSync(join(records, "cells", basename(path)), path);
  }
  return dir;
}

Deno.test("ensureCellsInNotebook reads the cells of the folder it is given, and names it", async () => {
  const records = notebookPlan("full");
  const [first, second] = records.cells;
  const dir = folderWith([second]);
  try {
    const plan = notebookPlan("full", dir);
    assertEquals(plan.selected, records.selected);
    let foundKeys: string[] = [];
    const lines = await printed(async () => {
      foundKeys = (await ensureCellsInNotebook(plan, [first, second], { resultsDir: dir }))
        .map((finished) => finished.cell.key);
    });
    // The records hold both cells; the folder given holds only the second.
    assertEquals(foundKeys, [second.key]);
    assertEquals(lines, [
      `1 of 2 cells available (${dir})`,
      // `deno task reproduce` would fill the records, not this folder: not advised.
      "1 cell not computed: set DEMURE_RERUN=1 in the kernel's environment (in the lab: run " +
      '`Deno.env.set("DEMURE_RERUN", "1")` in a cell, then this cell again; or start the lab as ' +
      "`DEMURE_RERUN=1 ./run.sh lab`)",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ensureCellsInNotebook without resultsDir reads the records and names them relative to the checkout", async () => {
  const plan = notebookPlan("full");
  const absent: PlannedCell = { ...plan.cells[0], key: `${plan.cells[0].key}/results-dir-absent` };
  const lines = await printed(async () => {
    await ensureCellsInNotebook(plan, [plan.cells[0], absent]);
  });
  assertEquals(lines[0], `1 of 2 cells available (${RECORDS_DIR.full})`);
});

Deno.test("notebookPlan takes the selection of the folder it is given", () => {
  const dir = Deno.makeTempDirSync({ prefix: "notebook-results-dir-" });
  try {
    // The records have chosen configurations; a folder without selected.json has none yet.
    assertNotEquals(notebookPlan("full").selected, {});
    assertEquals(notebookPlan("full", dir).selected, {});
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
