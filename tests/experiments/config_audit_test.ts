/**
 * The audit of the experiment settings against docs/configuration.md (session 48): the rows of
 * the `PlanOptions` and `RunPlanOptions` tables and the plan's own settings (size, seeds) are
 * accepted at both ends of their documented range and refused outside it, for the wrong kind,
 * NaN, the infinities, a number as text and null, with a `SettingError` naming the option, the
 * value and the range; a misspelt option is refused too. The options that hold objects (`demure`,
 * `datasetTraining`, `selected`) are refused when they are not one, where they were read as "given
 * or not", and a trial budget above a selected system's grid is refused as the option it is.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";
import { ensureCells } from "../../lib/experiments/ensure_cells.ts";
import { planExperiments, validateSeeds } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlanOptions } from "../../lib/experiments/plan_types.ts";
import { type CellSettings, runCell } from "../../lib/experiments/run_cell.ts";
import { systemByName } from "../../lib/experiments/systems.ts";
import { runPlan, type RunPlanOptions } from "../../lib/experiments/run_plan.ts";
import { maxTrialsOf } from "../../lib/experiments/selection.ts";
import { planWithCurrentSelection } from "../../lib/experiments/selection_record.ts";
import { SettingError } from "../../lib/util/settings.ts";
import {
  assertRefusedAsDocumented,
  boundaryCases,
  documentedSettings,
  typoOf,
} from "../_configuration_ranges.ts";
import { settingError } from "../_setting_error.ts";

const plan = (options: Record<string, unknown>) =>
  planExperiments("quick", undefined, options as PlanOptions);

/** The smallest grid among the systems a plan selects (SASRec-MM's, SASRec-ID's: 12 points). */
const SMALLEST_GRID = maxTrialsOf("SASRec-MM");

Deno.test("PlanOptions: the page's ranges are read, every unread one is known", () => {
  const rows = documentedSettings("PlanOptions");
  const unparsed = rows.filter((row) => row.allowed.kind === "unparsed").map((row) => row.field);
  assertEquals(unparsed, ["dataset", "datasetTraining", "selected", "demure"]);
});

Deno.test("PlanOptions: both ends of every documented range are accepted", () => {
  for (const { field, allowed } of documentedSettings("PlanOptions")) {
    const largest = field === "trialBudget" ? SMALLEST_GRID : undefined;
    for (const value of boundaryCases(allowed, largest).accepted) plan({ [field]: value });
  }
  // The largest budget holds in full mode too, whose selected systems are more.
  planExperiments("full", undefined, { trialBudget: SMALLEST_GRID });
});

Deno.test("PlanOptions: values outside a range or of another kind are refused, naming the range", () => {
  for (const { field, allowed } of documentedSettings("PlanOptions")) {
    for (const value of boundaryCases(allowed).refused) {
      const error = assertThrows(() => plan({ [field]: value }));
      assertRefusedAsDocumented(error, `PlanOptions.${field}`, value, allowed);
    }
  }
});

Deno.test("PlanOptions: a trial budget above the smallest selected grid is the option's SettingError", () => {
  for (const mode of ["quick", "full"] as const) {
    const budget = SMALLEST_GRID + 1;
    const error = settingError(() => planExperiments(mode, undefined, { trialBudget: budget }));
    assertEquals(error.setting, "PlanOptions.trialBudget");
    assertEquals(error.value, budget);
    const system = mode === "quick" ? "SASRec-MM" : "SASRec-ID";
    assertEquals(
      error.allowed,
      `an integer >= 1 and <= ${SMALLEST_GRID} (the points of ${system}'s grid)`,
    );
  }
});

Deno.test("PlanOptions: demure, datasetTraining and selected must be objects when given", () => {
  for (const field of ["demure", "datasetTraining", "selected"]) {
    for (const value of [null, 5, "yes", true, []]) {
      const error = settingError(() => plan({ [field]: value }));
      assertEquals(error.setting, `PlanOptions.${field}`);
      assert(Object.is(error.value, value));
      assert(error.allowed.startsWith("an object"), error.message);
    }
  }
  const error = settingError(() => plan({ selected: { Synthetic: null } }));
  assertEquals(error.setting, "PlanOptions.selected.Synthetic");
  assertEquals(error.allowed, "an object by system name");
  // Given as objects they are read: an empty one changes nothing.
  assertEquals(plan({ demure: {}, selected: {} }).cells.length, plan({}).cells.length);
});

Deno.test("PlanOptions: a misspelt option is refused, not planned at its default", () => {
  for (const { field } of documentedSettings("PlanOptions")) {
    const error = settingError(() => plan({ [typoOf(field)]: 1 }));
    assertEquals(error.setting, `PlanOptions.${typoOf(field)}`);
  }
});

Deno.test("plan size and seeds: both ends accepted, everything else refused", () => {
  for (const mode of ["quick", "full"] as const) planExperiments(mode, [0, 2 ** 31 - 1]);
  for (const mode of ["Quick", "", null, "fast"]) {
    const error = settingError(() => planExperiments(mode as "quick"));
    assertEquals(error.setting, "plan size (ExperimentMode)");
  }
  validateSeeds([0]);
  validateSeeds([2 ** 31 - 1]);
  const refused = [[], [-1], [2 ** 31], [1.5], ["1"], [NaN], [Infinity], [null], [1, 1], null, 1];
  for (const seeds of refused) {
    const error = settingError(() => validateSeeds(seeds as number[]));
    assertEquals(error.setting, "plan seeds");
    assert(Object.is(error.value, seeds));
    assertEquals(error.allowed, "a non-empty list of distinct integers >= 0 and < 2^31");
  }
});

/** The quick plan without cells: runPlan reads its options and then has nothing to run. */
const EMPTY_PLAN: ExperimentPlan = { ...planExperiments("quick"), cells: [] };

/** runPlan on {@linkcode EMPTY_PLAN} with `options`, in a new results folder removed afterwards. */
async function runEmpty(options: Record<string, unknown>): Promise<void> {
  const resultsDir = Deno.makeTempDirSync();
  try {
    await runPlan(EMPTY_PLAN, { resultsDir, log: () => {}, ...options } as RunPlanOptions);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

Deno.test("RunPlanOptions: the page's ranges are read, every unread one is known", () => {
  const rows = documentedSettings("RunPlanOptions");
  const unparsed = rows.filter((row) => row.allowed.kind === "unparsed").map((row) => row.field);
  assertEquals(unparsed, ["resultsDir", "order", "log", "onEpoch", "onCellDone", "datasets"]);
});

Deno.test("RunPlanOptions: both ends of every documented range are accepted", async () => {
  for (const { field, allowed } of documentedSettings("RunPlanOptions")) {
    for (const value of boundaryCases(allowed).accepted) await runEmpty({ [field]: value });
  }
});

Deno.test("RunPlanOptions: values outside a range or of another kind are refused before anything is written", async () => {
  for (const { field, allowed } of documentedSettings("RunPlanOptions")) {
    for (const value of boundaryCases(allowed).refused) {
      const resultsDir = Deno.makeTempDirSync();
      try {
        const error = await assertRejects(() =>
          runPlan(EMPTY_PLAN, { resultsDir, log: () => {}, [field]: value } as RunPlanOptions)
        );
        assertRefusedAsDocumented(error, `RunPlanOptions.${field}`, value, allowed);
        assertEquals([...Deno.readDirSync(resultsDir)], [], `${field} = ${String(value)}`);
      } finally {
        Deno.removeSync(resultsDir, { recursive: true });
      }
    }
  }
});

Deno.test("RunPlanOptions: a misspelt option is refused, not run at its default", async () => {
  for (const { field } of documentedSettings("RunPlanOptions")) {
    const error = await assertRejects(() => runEmpty({ [typoOf(field)]: 1 }), SettingError);
    assert(error instanceof SettingError);
    assertEquals(error.setting, `RunPlanOptions.${typoOf(field)}`);
  }
});

/**
 * runCell of a popularity cell on no data with `settings`: what the settings' checks refuse is a
 * SettingError; past them, the missing split fails (a TypeError), which says they passed.
 */
async function cellError(settings: Record<string, unknown>): Promise<unknown> {
  await initBackend({ verbose: false });
  try {
    await runCell({} as PreparedDataset, systemByName("Pop"), "Pop", {
      seed: 0,
      ...settings,
    } as CellSettings);
  } catch (error) {
    return error;
  }
  throw new Error("runCell ran without data");
}

Deno.test("CellSettings: the page's ranges are read, every unread one is known", () => {
  const rows = documentedSettings("CellSettings");
  const unparsed = rows.filter((row) => row.allowed.kind === "unparsed").map((row) => row.field);
  assertEquals(unparsed, [
    "model",
    "training",
    "onProgress",
    "afterEpoch",
    "onAttribution",
    "onEvaluation",
    "onEvaluationProgress",
    "onValidationProgress",
  ]);
});

Deno.test("CellSettings: both ends of every documented range pass the checks", async () => {
  for (const { field, allowed } of documentedSettings("CellSettings")) {
    for (const value of boundaryCases(allowed).accepted) {
      const error = await cellError({ [field]: value });
      assert(!(error instanceof SettingError), `${field} = ${String(value)}: ${error}`);
    }
  }
});

Deno.test("CellSettings: values outside a range or of another kind are refused before any work", async () => {
  for (const { field, allowed } of documentedSettings("CellSettings")) {
    for (const value of boundaryCases(allowed).refused) {
      const error = await cellError({ [field]: value });
      assertRefusedAsDocumented(error, `CellSettings.${field}`, value, allowed);
    }
  }
  // model and training: an object of settings, not null (trained at the defaults) or a list.
  for (const field of ["model", "training"]) {
    for (const value of [null, "sasrec", 1, []]) {
      const error = await cellError({ [field]: value });
      assert(error instanceof SettingError, `${field} = ${String(value)}: ${error}`);
      assertEquals(error.setting, `CellSettings.${field}`);
      assert(Object.is(error.value, value));
    }
  }
});

/** ensureCells of no cells on {@linkcode EMPTY_PLAN}, in a new results folder removed afterwards. */
async function ensureNone(options: Record<string, unknown>): Promise<unknown> {
  const resultsDir = Deno.makeTempDirSync();
  try {
    await ensureCells(EMPTY_PLAN, [], { resultsDir, log: () => {}, ...options } as never);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

Deno.test("EnsureCellsOptions: compute is true, false or a function; nothing else is taken for true", async () => {
  for (const compute of [true, false, () => false, undefined]) {
    assertEquals(await ensureNone({ compute }), undefined);
  }
  for (const compute of ["false", 0, 1, null, {}]) {
    const error = await ensureNone({ compute });
    assert(error instanceof SettingError, `compute = ${String(compute)}: ${error}`);
    assertEquals(error.setting, "EnsureCellsOptions.compute");
    assert(Object.is(error.value, compute));
    assertEquals(error.allowed, "true, false or a function of a cell");
  }
});

Deno.test("EnsureCellsOptions: a misspelt option, a callback that is not one or no folder is refused", async () => {
  const typo = await ensureNone({ compte: false });
  assert(typo instanceof SettingError);
  assertEquals(typo.setting, "EnsureCellsOptions.compte");
  assert(typo.allowed.endsWith("did you mean compute?"), typo.message);
  for (const name of ["log", "onEpoch", "onCellDone"]) {
    const error = await ensureNone({ [name]: "print" });
    assert(error instanceof SettingError);
    assertEquals(error.setting, `EnsureCellsOptions.${name}`);
  }
  for (const resultsDir of ["", null, 5]) {
    const error = await ensureCells(EMPTY_PLAN, [], { resultsDir } as never).catch((e) => e);
    assert(error instanceof SettingError);
    assertEquals(error.setting, "EnsureCellsOptions.resultsDir");
  }
});

Deno.test("CurrentSelectionOptions: write is true or false, a misspelt option is refused, before any write", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    for (const options of [{ write: "false" }, { wirte: false }, { write: null }, { log: "x" }]) {
      const error = settingError(() =>
        planWithCurrentSelection(EMPTY_PLAN, resultsDir, options as never)
      );
      assert(error.setting.startsWith("CurrentSelectionOptions."), error.message);
      assertEquals([...Deno.readDirSync(resultsDir)], [], JSON.stringify(options));
    }
    for (const write of [true, false]) {
      planWithCurrentSelection(EMPTY_PLAN, resultsDir, { write, log: () => {} });
    }
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
