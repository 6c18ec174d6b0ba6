/**
 * selectedFrom (lib/experiments/selection_record.ts) where mutation round 50d found behaviour no
 * test pinned: the validation score recorded with a choice is the chosen trial's own, not the
 * score of the first trial that finished.
 */
import { assertEquals } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import { selectedFrom } from "../../lib/experiments/selection_record.ts";

Deno.test("selectedFrom: the choice records the chosen trial's validation NDCG@10, not trial 0's", () => {
  // Mutation 50d S25: `valid: outcomes[0].valid` recorded trial 0's 0.1 beside trial 1's choice
  // (selected.json and the selection table then disagreed with the trial's own record).
  const plan = planExperiments("quick");
  const trials = cellsOf(plan, "selection").filter((c) => c.systemKey === "SASRec-MM");
  assertEquals(trials.length, 2);
  const finished = new Map([
    [trials[0].key, storedCellResult(0.1, 0.9)],
    [trials[1].key, storedCellResult(0.3, 0.2)],
  ]);
  const choice = selectedFrom(plan, finished)[trials[0].datasetLabel]["SASRec-MM"];
  assertEquals([choice.trial, choice.valid, choice.trials], [1, 0.3, 2]);
});
