/**
 * A notebook whose plan changed a setting, computing its cells in a folder that holds them with the
 * earlier settings, is refused before anything is trained or written, the error naming its ways
 * out (session 54): until 2026-12-08 `ensureCellsInNotebook` (through `ensureCells`) computed them
 * again and replaced the earlier settings' finished results without a word, as `DEMURE_RERUN=1`
 * does in full mode. `replaceOtherSettings: true` replaces them on purpose.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { OtherSettingsStoredError } from "../../lib/experiments/other_settings_guard.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ensureCellsInNotebook, notebookPlan } from "../../lib/notebook/plan_cells.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { requireFlagOff } from "../_flag_off.ts";
import { storedCellResult } from "../experiments/_cell_result.ts";
import { printedLines } from "./_printed_lines.ts";

// Refused when on, never unset here: the parallel suite's modules share this process's environment.
requireFlagOff("DEMURE_RERUN", "tests/notebook/other_settings_refused54_test.ts");

await initBackend({ verbose: false });

/** The synthetic Pop cell of `plan`: stored with another seed's settings in `resultsDir`. */
function storedWithOtherSettings(plan: ExperimentPlan, resultsDir: string): PlannedCell {
  const cell = plan.cells.find((c) => c.dataset.kind === "synthetic" && c.systemName === "Pop")!;
  const store = new ResultStore(cellsDirectory(resultsDir));
  store.put(cell.key, { ...settingsOf(plan, cell), seed: cell.seed + 1 }, storedCellResult());
  return cell;
}

Deno.test("ensureCellsInNotebook refuses cells stored with other settings, naming the ways out, and replaces them with replaceOtherSettings", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const plan = notebookPlan("quick", dir);
    const cell = storedWithOtherSettings(plan, dir);
    const error = await assertRejects(
      () => printedLines(() => ensureCellsInNotebook(plan, [cell], { resultsDir: dir })),
      OtherSettingsStoredError,
    ) as OtherSettingsStoredError;
    assertEquals(error.keys, [cell.key]);
    assertStringIncludes(error.message, `${dir}: 1 cell this plan would train`);
    assertStringIncludes(error.message, '`notebookPlan("quick", dir)`');
    assertStringIncludes(
      error.message,
      "`ensureCellsInNotebook(plan, cells, { resultsDir: dir })`",
    );
    assertStringIncludes(
      error.message,
      "`{ replaceOtherSettings: true }` to ensureCellsInNotebook",
    );
    assertStringIncludes(error.message, "Nothing was trained or written");
    const store = new ResultStore(cellsDirectory(dir));
    assertEquals((store.storedSettings(cell.key) as { seed: number }).seed, cell.seed + 1);
    let found = -1;
    await printedLines(async () => {
      found = (await ensureCellsInNotebook(plan, [cell], {
        resultsDir: dir,
        replaceOtherSettings: true,
      })).length;
    });
    assertEquals(found, 1);
    assertEquals(store.storedSettings(cell.key), settingsOf(plan, cell));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ensureCellsInNotebook with DEMURE_RERUN=1 in full mode refuses cells stored with other settings", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const cell = storedWithOtherSettings(notebookPlan("full", dir), dir);
    const [name, keys] = await evalInSubprocess<[string, string[]]>(
      `import { ensureCellsInNotebook, notebookPlan } from ${
        projectModule("lib/notebook/plan_cells.ts")
      };
       const plan = notebookPlan("full", ${JSON.stringify(dir)});
       const cell = plan.cells.find((c) => c.key === ${JSON.stringify(cell.key)});
       const result = await ensureCellsInNotebook(plan, [cell], { resultsDir: ${
        JSON.stringify(dir)
      } })
         .then(() => ["computed", []], (error) => [error.name, error.keys]);
       console.log(JSON.stringify(result));`,
      { DEMURE_RERUN: "1" },
    );
    assertEquals([name, keys], ["OtherSettingsStoredError", [cell.key]]);
    const store = new ResultStore(cellsDirectory(dir));
    assertEquals((store.storedSettings(cell.key) as { seed: number }).seed, cell.seed + 1);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
