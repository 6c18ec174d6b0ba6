/**
 * A trial budget the full grid allows but the grid less the points the plan's runs refuse does
 * not (left by the session-48 audit). `planExperiments` caps `PlanOptions.trialBudget` at the
 * smallest full grid (12, SASRec-MM's); a Demure system whose warm-up points a short run refuses
 * can hold fewer, and the draw then stopped the plan with a plain
 * `Error: selection: 2 trials for Demure-SASRec; allowed 1..1 (...)` that named no option. No
 * mode of the library is that short (quick: 3 epochs, patience 3, 73 of 289 Demure trials left), so the plan's
 * cells are built here with a one-epoch synthetic plan, whose runs refuse every Demure warm-up.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { PlanCells } from "../../lib/experiments/_plan_cells.ts";
import { type ModeSettings, SETTINGS } from "../../lib/experiments/_plan_settings.ts";
import type { DatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import type { DatasetPlan } from "../../lib/experiments/plan_types.ts";
import { maxTrialsOf } from "../../lib/experiments/selection.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { settingError } from "../_setting_error.ts";

const synthetic: DatasetSpec = { kind: "synthetic", config: {} };

/** The quick plan's cells with a one-epoch synthetic plan of `trials` trials. */
function oneEpochCells(trials: number, trialBudget?: number): PlanCells {
  const quick = SETTINGS.quick;
  const plan: DatasetPlan = { ...quick.datasets.synthetic, maxEpochs: 1, trials };
  const settings: ModeSettings = { ...quick, datasets: { ...quick.datasets, synthetic: plan } };
  return new PlanCells({
    mode: "quick",
    settings,
    datasets: { ...settings.datasets, file: { ...plan, selected: [] } },
    selected: {},
    ...(trialBudget === undefined ? {} : { trialBudget }),
  });
}

Deno.test("trial budget: above the Demure points a short run accepts, it is the option's SettingError", () => {
  // Every warm-up of the grid is refused under one epoch: only trial 0, the defaults, is left.
  assert(maxTrialsOf("Demure-SASRec") > maxTrialsOf("SASRec-MM"));
  const error = settingError(() => oneEpochCells(2, 2).addTrials(synthetic, ["Demure-SASRec"]));
  assertEquals(error.setting, "PlanOptions.trialBudget");
  assertEquals(error.value, 2);
  assertEquals(
    error.allowed,
    "an integer >= 1 and <= 1 (the points of Demure-SASRec's grid on Synthetic that its runs " +
      `accept, of ${maxTrialsOf("Demure-SASRec")}: the others are warm-ups the plan's epoch cap ` +
      "or patience always ends first)",
  );
  assert(error.message.startsWith("PlanOptions.trialBudget is 2; allowed: an integer >= 1"));
});

Deno.test("trial budget: both ends of the reduced range are accepted", () => {
  // The lower end, 1, is also the upper one here: the defaults' trial alone.
  const cells = oneEpochCells(1, 1);
  cells.addTrials(synthetic, ["Demure-SASRec"]);
  assertEquals(cells.checked().map((cell) => cell.trial?.index), [0]);
  // The backbone's grid is not reduced by the warm-up refusals: its whole grid is a budget.
  const most = maxTrialsOf("SASRec-MM");
  const backbone = oneEpochCells(most, most);
  backbone.addTrials(synthetic, ["SASRec-MM"]);
  assertEquals(backbone.checked().length, most);
});

Deno.test("trial budget: the mode's own trial count is no option, and is not named as one", () => {
  // Without a budget asked the plan's own settings are at fault: the draw's Error, not an option's.
  const error = assertThrows(() => oneEpochCells(2).addTrials(synthetic, ["Demure-SASRec"]));
  assert(!(error instanceof SettingError), String(error));
  assert(error.message.startsWith("selection: 2 trials for Demure-SASRec"), error.message);
});
