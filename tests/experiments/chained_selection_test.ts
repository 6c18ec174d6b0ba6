/**
 * A run derives chained selections whole before it starts: the backbone's choice releases the
 * trials built on it, whose records may be stored already (another process ran them, or a run
 * stopped before it wrote their choice), and their choice releases the seeds. Left open by
 * mutation round LA (LA12, session 46): the run's refresh and `writeSelection` both repeated until
 * nothing changed, so neither repetition was pinned; the refresh now replans once on what
 * `writeSelection` settles, and a settling of one step leaves the seeds waiting at the start (the
 * opening line counts them as pending).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { readSelected } from "../../lib/experiments/selection.ts";
import { selectedFrom } from "../../lib/experiments/selection_record.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";

/** The synthetic dataset's cells of `system` in `experiment` (the quick plan's first dataset). */
function cellsOfSystem(
  plan: ExperimentPlan,
  experiment: "selection" | "main",
  system: string,
): PlannedCell[] {
  const label = cellsOf(plan, "selection")[0].datasetLabel;
  return cellsOf(plan, experiment).filter((c) =>
    c.systemKey === system && c.datasetLabel === label
  );
}

Deno.test("a run derives a chain of selections whole at its start: the chosen seeds are not left waiting", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    const finished = new Map<string, CellResult>();
    /** Stores `cells` of `plan` as run, the later trial better on validation. */
    const store_ = (plan: ExperimentPlan, cells: PlannedCell[]) => {
      for (const cell of cells) {
        if (cell.waitsFor) continue;
        const result = storedCellResult(0.1 + (cell.trial?.index ?? 0) / 10);
        store.put(cell.key, settingsOf(plan, cell), result);
        finished.set(cell.key, result);
      }
    };
    const asked = planExperiments("quick");
    store_(asked, cellsOfSystem(asked, "selection", "SASRec-MM"));
    // Demure-SASRec's trials start from SASRec-MM's choice: run with it, their choice not written.
    const backboneChosen = planExperiments("quick", undefined, {
      selected: selectedFrom(asked, finished),
    });
    const demureTrials = cellsOfSystem(backboneChosen, "selection", "Demure-SASRec");
    assertEquals(demureTrials.map((c) => c.waitsFor), [undefined, undefined]);
    store_(backboneChosen, demureTrials);
    const bothChosen = planExperiments("quick", undefined, {
      selected: selectedFrom(backboneChosen, finished),
    });
    const seeds = cellsOfSystem(bothChosen, "main", "Demure-SASRec");
    assertEquals(seeds.length, 2);
    store_(bothChosen, seeds);

    // The run asks for Demure-SASRec's seeds only, with no selection made yet.
    const waiting = cellsOfSystem(asked, "main", "Demure-SASRec");
    assertEquals(waiting.every((c) => c.waitsFor !== undefined), true);
    const lines: string[] = [];
    const outcome = await runPlan({ ...asked, cells: waiting }, {
      resultsDir,
      log: (line) => lines.push(line),
      onEpoch: () => {},
    });
    // Nothing was pending at the start: every cell, the seeds included, was finished.
    assertStringIncludes(lines.join("\n"), "finished (stored in ");
    assertStringIncludes(lines.join("\n"), ": nothing left to train");
    const label = seeds[0].datasetLabel;
    const written = readSelected(`${resultsDir}/selected.json`)[label];
    assertEquals([written["SASRec-MM"].trial, written["Demure-SASRec"].trial], [1, 1]);
    assertEquals(outcome.pending, []);
    assertEquals(outcome.failed, []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
