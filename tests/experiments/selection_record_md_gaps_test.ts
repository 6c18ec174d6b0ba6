/**
 * selectedFrom (lib/experiments/selection_record.ts) where mutation round MD found behaviour no
 * test pinned: a diverged trial is any trial whose record carries a `diverged` reason, an empty
 * one too; writeSelection drops a choice by its system's key; planOfResults plans the mode asked.
 */
import { assertEquals } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";
import {
  planOfResults,
  selectedFrom,
  writeSelection,
} from "../../lib/experiments/selection_record.ts";

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

Deno.test("writeSelection: a trial stored with other settings drops its system's choice", () => {
  // Found by mutation round MD (MD19): a trial cell's systemName is its label ("SASRec-MM (trial
  // 0)"), not the system's key under which the choice is recorded; dropping by the name
  // kept a choice made from trials that no longer hold. (cell_command_test pins the same through
  // the command line, in minutes; this is its fast twin.)
  const trial = planExperiments("quick").cells.find((c) =>
    c.trial?.index === 0 && c.systemKey === "SASRec-MM"
  )!;
  const choice = { trial: 0, config: trial.config, valid: 0.1, trials: 2 };
  const plan = planExperiments("quick", undefined, {
    selected: { [trial.datasetLabel]: { "SASRec-MM": choice } },
  });
  const resultsDir = Deno.makeTempDirSync();
  try {
    new ResultStore(cellsDirectory(resultsDir)).put(trial.key, { changed: true }, {});
    const lines: string[] = [];
    const selected = writeSelection(plan, resultsDir, (line) => lines.push(line));
    assertEquals(selected[trial.datasetLabel]?.["SASRec-MM"], undefined);
    assertEquals(lines.length, 1);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
