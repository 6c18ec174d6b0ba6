/**
 * A stored record is shown with its whole training objective wherever it is read for a view: the
 * one read of a finished cell (`readFinishedCell`), which `finishedCells` (the notebooks'
 * `ensureCells`, the benches) and `runPlan`'s outcome (the report, notebook 08) go through. The
 * records of record name L_rec alone on their card: the file is not changed by a read, the store
 * writes back the same bytes, and a reused record is written as it was before (its card as stored).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runOneCell } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import {
  cellsDirectory,
  finishedCells,
  readFinishedCell,
  reuseSameRun,
  settingsOf,
  type StoredCellSettings,
} from "../../lib/experiments/stored_cells.ts";
import type { SystemSpec } from "../../lib/experiments/systems.ts";
import { trainingObjectiveText } from "../../lib/experiments/training_objective.ts";
import { compareWithRecord, RECORDS_DIR } from "../../lib/experiments/verify.ts";
import { storedCellResult } from "./_cell_result.ts";
import { inTempDir } from "./_in_temp_dir.ts";

const root = new URL("../../", import.meta.url).pathname;
const L_REC = "cross-entropy over all items, all positions";

/** Records of record made before 2026-12-07: two contrastive systems and a backbone. */
const OLD_RECORDS = [
  "full__Synthetic__CL4SRec-MM__seed=0.json",
  "full__MovieLens__Demure-SASRec__seed=0.json",
  "full__MovieLens__SASRec-MM__seed=0.json",
];

interface StoredFile {
  key: string;
  settings: StoredCellSettings;
  result: CellResult;
}

/** The record `name` copied into `directory`: its text and its parsed content. */
function copyRecord(name: string, directory: string): { text: string; stored: StoredFile } {
  const text = Deno.readTextFileSync(`${root}${RECORDS_DIR.full}/cells/${name}`);
  Deno.writeTextFileSync(`${directory}/${name}`, text);
  return { text, stored: JSON.parse(text) };
}

/** Whether `system` trains a contrastive term (Demure's full or contrastive_only, CL4SRec). */
function hasContrastiveTerm(system: SystemSpec): boolean {
  if (system.kind !== "neural") return false;
  if (system.demure !== undefined) {
    const variant = system.demure.variant ?? "full";
    return variant === "full" || variant === "contrastive_only";
  }
  return system.cl4srec !== undefined;
}

Deno.test(
  "an old record read through readFinishedCell has its whole objective on its card; its file is unchanged",
  inTempDir((directory) => {
    const store = new ResultStore(directory);
    for (const name of OLD_RECORDS) {
      const { text, stored } = copyRecord(name, directory);
      const { key, settings, result } = stored;
      // The stored card names L_rec alone (made before 2026-12-07).
      assertEquals(result.protocol.loss, L_REC, name);
      const shown = readFinishedCell(store, key, settings)!;
      const whole = trainingObjectiveText(settings.system, L_REC)!;
      assertEquals(shown.protocol.loss, whole, name);
      assertEquals(whole.includes(" + lambda "), hasContrastiveTerm(settings.system), name);
      // Only the loss line differs from the stored result: no number, no other field.
      assertEquals({ ...shown, protocol: { ...shown.protocol, loss: L_REC } }, result, name);
      // The file is neither edited nor rewritten, and the store's own read gives it as stored.
      assertEquals(Deno.readTextFileSync(store.pathOf(key)), text, name);
      assertEquals(store.get<CellResult>(key, settings)!.protocol.loss, L_REC, name);
      // The verification compares metrics: a record and its view are the same run.
      assertEquals(compareWithRecord(key, result, shown).status, "identical", name);
      // Other settings: not this cell's result (the store accepts what it accepted before).
      assertEquals(
        readFinishedCell(store, key, { ...settings, seed: settings.seed + 1 }),
        undefined,
      );
    }
    assertEquals(readFinishedCell(store, "full/Synthetic/none/seed=0", {} as never), undefined);
  }),
);

Deno.test(
  "a round trip writes the same bytes: put of what the store reads, and a reused old record",
  inTempDir((directory) => {
    const store = new ResultStore(directory);
    const { text, stored } = copyRecord(OLD_RECORDS[0], directory);
    const { key, settings } = stored;
    store.put(key, settings, store.get<CellResult>(key, settings));
    assertEquals(Deno.readTextFileSync(store.pathOf(key)), text);
    // A cell that is the same run as the old record: the record is stored under its key as
    // before this change, its card as stored (L_rec alone), only relabelled.
    const cell = {
      key: "full/Synthetic/CL4SRec-MM/copy/seed=0",
      sameAs: key,
      systemName: "CL4SRec-MM (copy)",
    } as PlannedCell;
    const reused = reuseSameRun(store, cell, settings)!;
    assertEquals(reused.protocol.loss, L_REC);
    const relabelled = {
      ...stored.result,
      system: cell.systemName,
      protocol: { ...stored.result.protocol, model: cell.systemName },
    };
    assertEquals(
      Deno.readTextFileSync(store.pathOf(cell.key)),
      JSON.stringify({ key: cell.key, settings, result: relabelled }, null, 1),
    );
    // Read for a view, the copy is shown with the whole objective as its original is.
    const shown = readFinishedCell(store, cell.key, settings)!.protocol.loss!;
    assertEquals(shown, readFinishedCell(store, key, settings)!.protocol.loss);
    assertStringIncludes(shown, `${L_REC} + lambda 0.05 × L_cl, CL4SRec's NT-Xent`);
  }),
);

Deno.test("every view's read of the records of record shows each contrastive system's objective", async () => {
  const recordsDir = `${root}${RECORDS_DIR.full}`;
  const plan = planOfResults("full", recordsDir);
  const finished = finishedCells(plan, recordsDir);
  assert(finished.size > 200, `${finished.size} finished cells`);
  let contrastive = 0;
  for (const cell of plan.cells) {
    const result = finished.get(cell.key);
    if (result === undefined) continue;
    const stated = cell.system.kind === "neural" ? L_REC : "none";
    assertEquals(result.protocol.loss, trainingObjectiveText(cell.system, stated), cell.key);
    if (hasContrastiveTerm(cell.system)) {
      contrastive++;
      assertStringIncludes(result.protocol.loss!, " + lambda ", cell.key);
    }
  }
  assert(contrastive > 100, `${contrastive} records with a contrastive term`);
  // runPlan's outcome (what the report and notebook 08 show) reads through the same function.
  const outcome = await runPlan(plan, {
    resultsDir: recordsDir,
    runPending: false,
    log: () => {},
  });
  assertEquals([...outcome.byKey.keys()].sort(), [...finished.keys()].sort());
  for (const [key, result] of outcome.byKey) assertEquals(result, finished.get(key), key);
});

Deno.test(
  "runOneCell returns a stored cell as it is read: its whole objective, its file unchanged",
  inTempDir(async (resultsDir) => {
    const plan = planExperiments("quick");
    const cell = plan.cells.find((c) =>
      c.systemName === "CL4SRec-MM" && !c.waitsFor && !c.trial && c.seed === 0
    )!;
    const store = new ResultStore(cellsDirectory(resultsDir));
    const old = { ...storedCellResult(0.3, 0.2), protocol: { loss: L_REC } } as CellResult;
    store.put(cell.key, settingsOf(plan, cell), old);
    const text = Deno.readTextFileSync(store.pathOf(cell.key));
    const { result, ranNow } = await runOneCell(plan, cell, { resultsDir, log: () => {} });
    assertEquals(ranNow, false);
    assertEquals(result.protocol.loss, trainingObjectiveText(cell.system, L_REC));
    assertStringIncludes(result.protocol.loss!, `${L_REC} + lambda `);
    assertEquals(Deno.readTextFileSync(store.pathOf(cell.key)), text);
  }),
);
