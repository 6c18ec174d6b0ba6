/**
 * Tests written for the mutants of the run's time left (`_start_estimate.ts`) and of the training
 * objective's wording (`training_objective.ts`) that the earlier tests let through (session 52's
 * mutation pass): each fails on the mutant named in its comment and passes on the code as it is.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { StartEstimate } from "../../lib/experiments/_start_estimate.ts";
import { openingLine } from "../../lib/experiments/_run_plan_lines.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { settingsOf } from "../../lib/experiments/stored_cells.ts";
import { SYSTEMS, type SystemSpec } from "../../lib/experiments/systems.ts";
import {
  objectiveAdditionText,
  protocolWithObjective,
} from "../../lib/experiments/training_objective.ts";
import type { EvaluationProtocol } from "../../lib/eval/protocol.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { storedCellResult } from "./_cell_result.ts";
import { inTempDir } from "./_in_temp_dir.ts";

Deno.test(
  "StartEstimate: a pending cell stored with other settings has not finished until it is stored again",
  inTempDir((dir) => {
    // A cell of other settings is trained again (replaceOtherSettings): its old record is no
    // finished cost. Mutant: "finished" read as "a file under its key", so the time left was
    // extrapolated from a cell this run had not run.
    const plan = planExperiments("quick");
    const store = new ResultStore(dir);
    const replaced = plan.cells.find((cell) => !cell.waitsFor && cell.sameAs === undefined)!;
    store.put(replaced.key, { ...settingsOf(plan, replaced), seed: 99 }, storedCellResult());
    const estimate = new StartEstimate(plan, store);
    assert(estimate.pending.some((cell) => cell.key === replaced.key));
    assertEquals(estimate.secondsLeft(plan, store, 1000), estimate.expectedSeconds);
  }),
);

Deno.test(
  "StartEstimate: once every pending cell is stored, no time is left",
  inTempDir((dir) => {
    // Mutant: the floor of the time left raised from 0 to 1 s: a run's last line said a second
    // of its planned cells was left after the last one finished.
    const plan = planExperiments("quick", [0]);
    const ready = plan.cells.filter((cell) => !cell.waitsFor && cell.sameAs === undefined);
    const part = { ...plan, cells: ready.slice(0, 2) };
    const store = new ResultStore(dir);
    const estimate = new StartEstimate(part, store);
    for (const cell of part.cells) store.put(cell.key, settingsOf(part, cell), storedCellResult());
    assertEquals(estimate.secondsLeft(part, store, 30), 0);
  }),
);

Deno.test("objectiveAdditionText: the random-masks control says its masks are one draw per user", () => {
  // Mutant: the clause dropped, which told it from the attributed masks it controls for.
  const text = objectiveAdditionText(SYSTEMS["RandomInputMasks-SASRec"]);
  assertStringIncludes(text, "random modality masks (rho");
  assertStringIncludes(text, "masked after the warm-up (one draw per user)");
  assertEquals(
    objectiveAdditionText(SYSTEMS["AttributionOnly-SASRec"]).includes("one draw per user"),
    false,
  );
});

Deno.test("objectiveAdditionText: a CL4SRec setting out of range is the SettingError the run gives", () => {
  // Mutant: the range check dropped: a card named a crop ratio of 2 that no run could train.
  const system: SystemSpec = { ...SYSTEMS["CL4SRec-MM"], cl4srec: { cropRatio: 2 } };
  const error = assertThrows(() => objectiveAdditionText(system));
  assert(error instanceof SettingError, `${error}`);
  assertStringIncludes(error.message, "cropRatio");
});

Deno.test("protocolWithObjective: a card that states no loss gains no loss field", () => {
  // Mutant: `{ ...protocol, loss: undefined }`, a loss field the card never had.
  const card = { model: "m", dataset: "d", split: [], ranking: "r", stage: "test" };
  const shown = protocolWithObjective(
    card as unknown as EvaluationProtocol,
    SYSTEMS["Demure-SASRec"],
  );
  assertEquals(Object.keys(shown), Object.keys(card));
});

Deno.test("openingLine: a single cell stored with other settings is counted too", () => {
  // Mutant: `replaced <= 1` in place of `=== 0` left one replaced cell out of the line.
  const plan = planExperiments("quick", [0]);
  const line = openingLine(plan, 3, 60, { resultsDir: "results/quick" }, 1);
  assertStringIncludes(
    line,
    `${plan.cells.length - 3} already finished, 1 stored with other settings (trained again, ` +
      "replacing those results) (resumed from results/quick)",
  );
});
