/**
 * A setting given as undefined is left out at every layer of a plan, not only over the library's
 * defaults (docs/configuration.md): `PlanOptions.demure` and `PlanOptions.datasetTraining` are
 * laid over the mode's settings, and an undefined there replaced the mode's value, so that the
 * resolver then filled in the library's default (quick's everyVisits 1 became 2, its batch size
 * 64 became 128) without a word. The same holds where a trial is merged over the inherited
 * configuration (`mergeTrialConfig`).
 */
import { assert, assertEquals } from "@std/assert";
import type { FileDatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { mergeTrialConfig } from "../../lib/experiments/selection.ts";

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;
const recbole: FileDatasetSpec = { kind: "file", path: `${FIXTURES}tiny`, format: "recbole" };

Deno.test("PlanOptions.demure: a setting asked as undefined keeps the mode's value", () => {
  const asked = planExperiments("quick", undefined, {
    demure: { everyVisits: undefined, warmupSteps: undefined },
  });
  const plain = planExperiments("quick");
  const demureOf = (plan: typeof plain) =>
    plan.cells.filter((c) => c.system.kind === "neural" && c.system.demure).map((c) =>
      c.system.kind === "neural" ? c.system.demure : undefined
    );
  assert(demureOf(plain).length > 0);
  assert(demureOf(plain).every((d) => d?.everyVisits === 1 && d?.warmupSteps === 2));
  assertEquals(demureOf(asked), demureOf(plain));
});

Deno.test("PlanOptions.datasetTraining: a setting given as undefined keeps the mode's value", () => {
  const plan = planExperiments("quick", [0], {
    dataset: recbole,
    datasetTraining: { batchSize: undefined, maxBatchesPerEpoch: undefined, maxEpochs: 2 },
  });
  assert(plan.cells.length > 0);
  for (const cell of plan.cells) {
    assertEquals([cell.training.batchSize, cell.training.maxBatchesPerEpoch], [64, 3]);
    assertEquals(cell.training.maxEpochs, 2);
  }
});

Deno.test("PlanOptions.selected: a selected Demure setting given as undefined keeps the plan's value", () => {
  // The quick plan's synthetic label (its size settings are part of it).
  const label = planExperiments("quick").cells.find((c) => c.systemKey === "Demure-SASRec")!
    .datasetLabel;
  const demureOf = (plan: ReturnType<typeof planExperiments>) =>
    plan.cells.filter((c) =>
      c.systemKey === "Demure-SASRec" && c.datasetLabel === label && c.experiments.includes("main")
    ).map((c) => c.system.kind === "neural" ? c.system.demure : undefined);
  const selectedWith = (demure: Record<string, unknown>) =>
    planExperiments("quick", undefined, {
      selected: {
        // Demure's selection counts once its backbone's is made.
        [label]: {
          "SASRec-MM": { trial: 0, config: {}, valid: 0, trials: 2 },
          "Demure-SASRec": { trial: 1, config: { demure }, valid: 0, trials: 2 },
        },
      },
    });
  const given = demureOf(selectedWith({ rho: 0.5, everyVisits: undefined }));
  assert(given.length > 0);
  assert(given.every((d) => d?.rho === 0.5 && d?.everyVisits === 1), JSON.stringify(given));
  assertEquals(given, demureOf(selectedWith({ rho: 0.5 })));
});

Deno.test("mergeTrialConfig: a trial's setting given as undefined keeps the inherited one", () => {
  const base = {
    learningRate: 0.005,
    dropout: 0.3,
    demure: { rho: 0.3 },
    cl4srec: { weight: 0.2 },
  };
  const trial = {
    learningRate: undefined,
    demure: { rho: undefined, lambda: 0.1 },
    cl4srec: { weight: undefined },
  };
  assertEquals(mergeTrialConfig(base, trial), {
    learningRate: 0.005,
    dropout: 0.3,
    demure: { rho: 0.3, lambda: 0.1 },
    cl4srec: { weight: 0.2 },
  });
  // Given values still win, and nothing is written to the base.
  assertEquals(mergeTrialConfig(base, { dropout: 0.1, demure: { rho: 0.5 } }).demure, { rho: 0.5 });
  assertEquals(base.demure, { rho: 0.3 });
});
