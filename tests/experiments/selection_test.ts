import { assert, assertEquals, assertThrows } from "@std/assert";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import { selectedFrom, settingsOf } from "../../lib/experiments/run_plan.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { SELECTION_SPECS, trialConfigOf, trialsOf } from "../../lib/experiments/selection.ts";

Deno.test("trialsOf: trial 0 is the defaults, the others distinct points drawn reproducibly", () => {
  const trials = trialsOf("Demure-SASRec", 5);
  assertEquals(trials.length, 5);
  assertEquals(trials[0].config, {});
  const points = trials.slice(1).map((t) => JSON.stringify(t.point));
  assertEquals(new Set(points).size, 4);
  assertEquals(trialsOf("Demure-SASRec", 5), trials, "same draw every time");
  assertThrows(() => trialsOf("Pop", 2), Error, "no search space");
  assertThrows(() => trialsOf("SASRec-MM", 0), Error, "allowed 1..");
});

Deno.test("trialConfigOf maps each space's names onto the systems' settings", () => {
  assertEquals(trialConfigOf({ learningRate: 0.005, dropout: 0.3 }), {
    learningRate: 0.005,
    dropout: 0.3,
  });
  assertEquals(trialConfigOf({ lambda: 0.2, augmentationStrength: 0.4 }), {
    cl4srec: { weight: 0.2, cropRatio: 0.6, maskRatio: 0.4, reorderRatio: 0.4 },
  });
  assertEquals(trialConfigOf({ lambda: 0.05, warmup: "plateau:2", denoiseInput: false }), {
    demure: { lambda: 0.05, warmupBy: "plateau", warmupEpochs: 2, denoiseInput: false },
  });
});

Deno.test("plan: every selected system gets the same number of trials per dataset", () => {
  const plan = planExperiments("full");
  for (const [kind, dataset] of Object.entries(plan.datasets)) {
    const trials = cellsOf(plan, "selection").filter((c) => c.dataset.kind === kind);
    for (const system of dataset.selected) {
      assert(SELECTION_SPECS[system] !== undefined, system);
      assertEquals(trials.filter((c) => c.systemKey === system).length, dataset.trials, system);
    }
    assertEquals(trials.length, dataset.trials * dataset.selected.length);
  }
});

function fakeResult(valid: number, test: number): CellResult {
  return { valid: { "NDCG@10": valid }, test: { "NDCG@10": test } } as unknown as CellResult;
}

Deno.test("selection reads validation only; the plan then runs the chosen trial over the seeds", () => {
  const plan = planExperiments("quick");
  const trials = cellsOf(plan, "selection").filter((c) => c.systemKey === "SASRec-MM");
  assertEquals(trials.length, 2);
  // Trial 1 is better on validation, worse on test: validation decides.
  const finished = new Map([
    [trials[0].key, fakeResult(0.1, 0.9)],
    [trials[1].key, fakeResult(0.2, 0.1)],
  ]);
  const selected = selectedFrom(plan, finished);
  const label = trials[0].datasetLabel;
  assertEquals(selected[label]["SASRec-MM"].trial, 1);
  assertEquals(selected[label]["SASRec-MM"].config, trials[1].config);
  // Before the selection the main cells wait; after it they run the chosen configuration.
  const waiting = cellsOf(plan, "main").filter((c) =>
    c.systemKey === "SASRec-MM" && c.datasetLabel === label
  );
  assert(waiting.every((c) => c.waitsFor?.includes(`${label}/SASRec-MM`)));
  const next = planExperiments("quick", undefined, { selected });
  const main = cellsOf(next, "main").filter((c) =>
    c.systemKey === "SASRec-MM" && c.datasetLabel === label
  );
  assertEquals(main.map((c) => c.waitsFor), [undefined, undefined]);
  // The first seed's cell is the chosen trial itself: identical settings, reused, not rerun.
  const first = main.find((c) => c.seed === next.datasets.synthetic.seeds[0])!;
  assertEquals(first.sameAs, trials[1].key);
  const trial = next.cells.find((c) => c.key === trials[1].key)!;
  assertEquals(settingsOf(next, first), settingsOf(next, trial));
  // Demure's trials now start from SASRec-MM's selected optimiser settings.
  const demureTrials = cellsOf(next, "selection").filter((c) => c.systemKey === "Demure-SASRec");
  assert(demureTrials.every((c) => c.waitsFor === undefined));
});

Deno.test("ties on validation go to the lower trial index", () => {
  const plan = planExperiments("quick");
  const trials = cellsOf(plan, "selection").filter((c) => c.systemKey === "SASRec-MM");
  const finished = new Map(trials.map((c) => [c.key, fakeResult(0.1, Math.random())]));
  assertEquals(selectedFrom(plan, finished)[trials[0].datasetLabel]["SASRec-MM"].trial, 0);
  finished.delete(trials[1].key);
  assertEquals(selectedFrom(plan, finished), {}, "no selection before every trial finished");
});
