/**
 * selectedFrom (lib/experiments/selection_record.ts) where mutation round MD found behaviour no
 * test pinned: a diverged trial is any trial whose record carries a `diverged` reason, an empty
 * one too; and planOfResults plans the mode asked.
 */
import { assertEquals } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import { planOfResults, selectedFrom } from "../../lib/experiments/selection_record.ts";

Deno.test("selectedFrom: a trial recorded as diverged with an empty reason is still left out", () => {
  // Found by mutation round MD (MD13): `!diverged` would take a record with `diverged: ""`
  // (an error whose message was empty) as a finished trial and choose it by its validation score.
  const plan = planExperiments("quick");
  const trials = cellsOf(plan, "selection").filter((c) => c.systemKey === "SASRec-MM");
  const finished = new Map([
    [trials[0].key, { ...storedCellResult(0.9), diverged: "" }],
    [trials[1].key, storedCellResult(0.2)],
  ]);
  const choice = selectedFrom(plan, finished)[trials[0].datasetLabel]["SASRec-MM"];
  assertEquals([choice.trial, choice.valid, choice.trials], [1, 0.2, 2]);
});

Deno.test("planOfResults: the plan of the mode asked, not the full one", () => {
  // Found by mutation round MD (MD18): every caller asked for the full plan, so a plan of the
  // wrong size (the quick folder's selection read into the full grid) passed unseen.
  const resultsDir = Deno.makeTempDirSync();
  try {
    const plan = planOfResults("quick", resultsDir);
    assertEquals(plan.mode, "quick");
    assertEquals(plan.cells.map((c) => c.key), planExperiments("quick").cells.map((c) => c.key));
    assertEquals(plan.selected, {});
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
