/**
 * selectedFrom and writeSelection (lib/experiments/selection_record.ts) where mutation round 50d
 * found behaviour no test pinned: the validation score recorded with a choice is the chosen
 * trial's own, not the score of the first trial that finished; a choice whose trials wait for
 * another selection (its backbone's choice is gone) is dropped, not kept.
 */
import { assertEquals } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import { selectedFrom, writeSelection } from "../../lib/experiments/selection_record.ts";

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

Deno.test("writeSelection: a choice whose trials wait for a backbone selection no longer made is dropped", () => {
  // Mutation 50d SR1: a trial that waits was skipped instead of unsettling its choice, so
  // Demure-SASRec kept a choice built on SASRec-MM's optimiser settings after SASRec-MM's own
  // choice was gone, and its seeds would have run with it.
  const quick = planExperiments("quick");
  const trial = cellsOf(quick, "selection").find((c) =>
    c.trial?.index === 0 && c.systemKey === "Demure-SASRec"
  )!;
  const label = trial.datasetLabel;
  const choice = { trial: 0, config: {}, valid: 0.1, trials: 2 };
  const plan = planExperiments("quick", undefined, {
    selected: { [label]: { "Demure-SASRec": choice } },
  });
  const waiting = cellsOf(plan, "selection").filter((c) => c.systemKey === "Demure-SASRec");
  assertEquals(waiting.map((c) => c.waitsFor), [[`${label}/SASRec-MM`], [`${label}/SASRec-MM`]]);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const lines: string[] = [];
    const selected = writeSelection(plan, resultsDir, (line) => lines.push(line));
    assertEquals(selected[label]?.["Demure-SASRec"], undefined);
    assertEquals(lines.length, 1, "the changed selection is written and said");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
