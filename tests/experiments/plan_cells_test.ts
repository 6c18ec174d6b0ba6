/**
 * `PlanCells` (lib/experiments/_plan_cells.ts) on its own, with plan settings no default plan has:
 * what a cell runs when the plan's model settings name a backbone's own settings.
 */
import { assertEquals } from "@std/assert";
import { PlanCells } from "../../lib/experiments/_plan_cells.ts";
import { type ModeSettings, SETTINGS } from "../../lib/experiments/_plan_settings.ts";
import type { DatasetPlan } from "../../lib/experiments/plan_types.ts";
import type { DatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import type { SelectedConfigurations } from "../../lib/experiments/selection.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

/**
 * The quick plan's cells with `settings` and `selected`; the imported dataset's plan is the
 * synthetic one's with nothing selected, so only the synthetic selection applies.
 */
function quickPlanCells(settings: ModeSettings, selected: SelectedConfigurations): PlanCells {
  const file: DatasetPlan = { ...SETTINGS.quick.datasets.synthetic, selected: [] };
  return new PlanCells({
    mode: "quick",
    settings,
    datasets: { ...SETTINGS.quick.datasets, file },
    selected,
  });
}

Deno.test("PlanCells: a selected dropout is merged into the backbone's model settings, not put in their place", () => {
  const quick = SETTINGS.quick;
  // The default plans set no backbone setting (their model is { dim } alone).
  const settings: ModeSettings = {
    ...quick,
    model: {
      ...quick.model,
      sasrec: { blocks: 1, heads: 2, dropout: 0.1 },
      gru4rec: { dropout: 0.4 },
    },
  };
  const selected: SelectedConfigurations = {
    Synthetic: { "SASRec-MM": { trial: 1, config: { dropout: 0.3 }, valid: 0, trials: 2 } },
  };
  const cells = quickPlanCells(settings, selected);
  const synthetic: DatasetSpec = { kind: "synthetic", config: {} };
  cells.add("main", synthetic, "SASRec-MM", 0);
  // Not selected on the quick plan: the plan's model settings as they are.
  cells.add("main", synthetic, "GRU4Rec-MM", 0);
  const [sasrec, gru4rec] = cells.checked();
  assertEquals(sasrec.key, "quick/Synthetic/SASRec-MM/seed=0");
  assertEquals(sasrec.configuredBy, "selection");
  // The selected dropout replaced { blocks: 1, heads: 2, dropout: 0.1 } whole: the cell ran at
  // the default 2 blocks and 1 head.
  assertEquals(sasrec.model, {
    dim: quick.model.dim,
    sasrec: { blocks: 1, heads: 2, dropout: 0.3 },
    gru4rec: { dropout: 0.4 },
  });
  assertEquals(gru4rec.model, settings.model);
});

Deno.test("PlanCells: a selected learning rate replaces that one key of the plan's optimiser settings", () => {
  const quick = SETTINGS.quick;
  // The default plans' optimiser is Adam's defaults at their own rate: only a plan with another
  // Adam setting shows whether a selected rate keeps it.
  const optimizer = { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3, beta2: 0.98 };
  const settings: ModeSettings = { ...quick, training: { ...quick.training, optimizer } };
  const selected: SelectedConfigurations = {
    Synthetic: { "SASRec-MM": { trial: 1, config: { learningRate: 1e-3 }, valid: 0, trials: 2 } },
  };
  const cells = quickPlanCells(settings, selected);
  const synthetic: DatasetSpec = { kind: "synthetic", config: {} };
  cells.add("main", synthetic, "SASRec-MM", 0);
  const [sasrec] = cells.checked();
  assertEquals(sasrec.training.optimizer, { ...optimizer, learningRate: 1e-3 });
});

Deno.test("PlanCells: an unselected method takes only its backbone's selected learning rate and dropout", () => {
  const quick = SETTINGS.quick;
  // The quick plan selects SASRec-MM but not CL4SRec-MM, built on it. A backbone's record holds
  // only its optimiser settings when the plan's trials made it; a hand-written one may hold more.
  const backbone = { learningRate: 1e-3, dropout: 0.3, cl4srec: { weight: 0.5 } };
  const selected: SelectedConfigurations = {
    Synthetic: { "SASRec-MM": { trial: 1, config: backbone, valid: 0, trials: 2 } },
  };
  const cells = quickPlanCells(quick, selected);
  cells.add("main", { kind: "synthetic", config: {} }, "CL4SRec-MM", 0);
  const [cl4srec] = cells.checked();
  assertEquals(cl4srec.configuredBy, "backbone selection");
  assertEquals(cl4srec.config, { learningRate: 1e-3, dropout: 0.3 });
  // The system's own CL4SRec settings, not the backbone record's.
  assertEquals(cl4srec.system, SYSTEMS["CL4SRec-MM"]);
});

Deno.test("PlanCells: a selected CL4SRec setting overrides the system's own, as a Demure one does", () => {
  const quick = SETTINGS.quick;
  // CL4SRec-MM's spec pins its loss; a selection (here a hand-written one: the trials search the
  // weight and the augmentation's strength only) that sets it is what the cell runs.
  const synthetic: DatasetPlan = {
    ...quick.datasets.synthetic,
    selected: ["SASRec-MM", "CL4SRec-MM"],
  };
  const chosen = { cl4srec: { loss: "one_way" as const, weight: 0.2 } };
  const selected: SelectedConfigurations = {
    Synthetic: { "CL4SRec-MM": { trial: 1, config: chosen, valid: 0, trials: 2 } },
  };
  const cells = new PlanCells({
    mode: "quick",
    settings: quick,
    datasets: { ...quick.datasets, synthetic, file: { ...synthetic, selected: [] } },
    selected,
  });
  cells.add("main", { kind: "synthetic", config: {} }, "CL4SRec-MM", 1);
  const [cl4srec] = cells.checked();
  assertEquals(cl4srec.configuredBy, "selection");
  assertEquals(
    SYSTEMS["CL4SRec-MM"].kind === "neural" && SYSTEMS["CL4SRec-MM"].cl4srec?.loss,
    "nt_xent",
  );
  assertEquals(cl4srec.system.kind === "neural" && cl4srec.system.cl4srec, chosen.cl4srec);
});

Deno.test("PlanCells: a method's trials wait for its backbone's selection only where the backbone is selected", () => {
  // Found by mutation round LA (LA32): every default plan selects the backbone with its method, so
  // trials that waited for a backbone selection that is never made (the plan stuck) went unseen.
  const quick = SETTINGS.quick;
  const synthetic: DatasetSpec = { kind: "synthetic", config: {} };
  const withSelected = (selected: DatasetPlan["selected"]) =>
    new PlanCells({
      mode: "quick",
      settings: quick,
      datasets: {
        ...quick.datasets,
        synthetic: { ...quick.datasets.synthetic, selected },
        file: { ...quick.datasets.synthetic, selected: [] },
      },
      selected: {},
    });
  const alone = withSelected(["Demure-SASRec"]);
  alone.addTrials(synthetic, ["Demure-SASRec"]);
  const trials = alone.checked();
  assertEquals(trials.length > 0, true);
  assertEquals(trials.map((cell) => cell.waitsFor), trials.map(() => undefined));
  // Trial 0 is the defaults: the unselected-backbone run at the first seed is its same run.
  assertEquals(trials[0].sameAs, "quick/Synthetic/Demure-SASRec/seed=0");
  const both = withSelected(["SASRec-MM", "Demure-SASRec"]);
  both.addTrials(synthetic, ["Demure-SASRec"]);
  const waiting = both.checked();
  assertEquals(waiting[0].waitsFor, ["Synthetic/SASRec-MM"]);
});

Deno.test("PlanCells: the design choices run at the dataset's ablation seeds, not its main seeds", () => {
  // Found by mutation round LA (LA41): every plan planExperiments builds has ablation seeds that
  // begin the main seeds, so the two could be confused unseen.
  const quick = SETTINGS.quick;
  const synthetic: DatasetSpec = { kind: "synthetic", config: {} };
  const cells = new PlanCells({
    mode: "quick",
    settings: quick,
    datasets: {
      ...quick.datasets,
      synthetic: {
        ...quick.datasets.synthetic,
        designChoices: true,
        designChoiceSeedCount: 2,
        seeds: [0, 1],
        ablationSeeds: [5, 6],
      },
      file: { ...quick.datasets.synthetic, selected: [] },
    },
    selected: {},
  });
  cells.addDesignChoices(synthetic, 1);
  const choices = cells.checked();
  assertEquals(choices.length, 3);
  assertEquals(choices.map((cell) => cell.seed), [6, 6, 6]);
  assertEquals(choices[0].key, "quick/Synthetic/Demure-SASRec[denoiseInput=flipped]/seed=6");
});

Deno.test("plan: the noise levels' own cells run the configuration selected on the main synthetic data", () => {
  // Found by mutation round LA (LA43): looked up under the noisy dataset's label, where nothing is
  // ever selected, these cells would wait for a selection that is never made.
  const label = planExperiments("quick").cells.find((c) => c.dataset.kind === "synthetic")!
    .datasetLabel;
  const selected: SelectedConfigurations = {
    [label]: {
      "SASRec-MM": { trial: 1, config: { learningRate: 0.004 }, valid: 0, trials: 2 },
      "Demure-SASRec": {
        trial: 2,
        config: { learningRate: 0.003, demure: { lambda: 0.3 } },
        valid: 0,
        trials: 2,
      },
    },
  };
  const plan = planExperiments("quick", undefined, { selected });
  const noisy = plan.cells.filter((cell) => cell.noiseFraction === 0.75);
  assertEquals(noisy.map((cell) => cell.systemKey).sort(), ["Demure-SASRec", "SASRec-MM"]);
  for (const cell of noisy) {
    assertEquals(cell.waitsFor, undefined, cell.key);
    assertEquals(cell.configuredBy, "selection");
    assertEquals(cell.config, selected[label][cell.systemKey]!.config);
  }
});
