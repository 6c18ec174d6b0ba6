/**
 * ensureCellsInNotebook's refusal of cells stored with other settings (lib/notebook/plan_cells.ts),
 * pinned where mutation round 54 found no test: its way out names the results folder it was given
 * (not the mode's default one), and an error of another kind from the computation reaches the
 * notebook as it is, not re-said as a refusal of other settings.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { OtherSettingsStoredError } from "../../lib/experiments/other_settings_guard.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { ensureCellsInNotebook, notebookPlan } from "../../lib/notebook/plan_cells.ts";
import { storedCellResult } from "../experiments/_cell_result.ts";
import { printedLines } from "./_printed_lines.ts";

await initBackend({ verbose: false });

Deno.test("ensureCellsInNotebook: the refusal's way out names the results folder it was given", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const plan = notebookPlan("quick", dir);
    const cell = plan.cells.find((c) => c.dataset.kind === "synthetic" && c.systemName === "Pop")!;
    new ResultStore(cellsDirectory(dir)).put(
      cell.key,
      { ...settingsOf(plan, cell), seed: cell.seed + 1 },
      storedCellResult(),
    );
    const error = await assertRejects(
      () => printedLines(() => ensureCellsInNotebook(plan, [cell], { resultsDir: dir })),
      OtherSettingsStoredError,
    );
    assertStringIncludes(
      error.message,
      `to ensureCellsInNotebook to compute them again and replace those results in ${dir}. `,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ensureCellsInNotebook passes the computation's own error on as it is", async () => {
  // An imported dataset whose files are gone: the quick plan computes its missing cell, and fails.
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/gone`;
    const plan = planExperiments("quick", [0], {
      dataset: { kind: "file", path, format: "recbole" },
    });
    const cell = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
    const error = await assertRejects(() =>
      printedLines(() => ensureCellsInNotebook(plan, [cell], { resultsDir: `${dir}/results` }))
    );
    assert(!(error instanceof OtherSettingsStoredError), error.message);
    assertStringIncludes(error.message, path);
    assertEquals(error.message.includes("replaceOtherSettings"), false, error.message);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
