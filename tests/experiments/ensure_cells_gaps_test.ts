/**
 * ensureCells and a stored record of other settings (mutation round OE; the guard since session
 * 54): a record under the cell's key that was computed with other settings (a changed seed, trainer
 * or model setting keeps the key) is no result of the cell: it is missing, and a chosen one is
 * refused (`OtherSettingsStoredError`, before anything is trained or written: until 2026-12-08 it
 * was computed again, replacing the earlier settings' result), or computed again with
 * `replaceOtherSettings: true`. A run that fails fails the call: its cells are not quietly
 * reported missing.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ensureCells } from "../../lib/experiments/ensure_cells.ts";
import { OtherSettingsStoredError } from "../../lib/experiments/other_settings_guard.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";

await initBackend({ verbose: false });

Deno.test("ensureCells: a cell stored with other settings is missing, refused when chosen, and computed again with replaceOtherSettings", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    const stale = { ...settingsOf(plan, cell), seed: cell.seed + 1 };
    store.put(cell.key, stale, { ...storedCellResult(), system: "stale" });
    const log = () => {};
    const none = await ensureCells(plan, [cell], { resultsDir, compute: false, log });
    assertEquals([none.found, none.missing], [[], [cell]]);
    const asked: string[] = [];
    const chosen = (candidate: { key: string }) => (asked.push(candidate.key), true);
    const folderBefore = [...Deno.readDirSync(resultsDir)].map((entry) => entry.name).sort();
    const error = await assertRejects(
      () => ensureCells(plan, [cell], { resultsDir, compute: chosen, log }),
      OtherSettingsStoredError,
    ) as OtherSettingsStoredError;
    assertEquals([error.resultsDir, error.keys], [resultsDir, [cell.key]]);
    // The ways out, as this call names them.
    assertStringIncludes(error.message, `${resultsDir}: 1 cell this plan would train`);
    assertStringIncludes(error.message, "seed: 1 stored, 0 planned");
    assertStringIncludes(error.message, "a resultsDir of its own");
    assertStringIncludes(error.message, "pass replaceOtherSettings: true to ensureCells");
    assertStringIncludes(error.message, "Nothing was trained or written");
    // Nothing was: the record of the other settings is in place, and no file was added.
    assertEquals(store.storedSettings(cell.key), stale);
    assertEquals(
      [...Deno.readDirSync(resultsDir)].map((entry) => entry.name).sort(),
      folderBefore,
    );
    asked.length = 0;
    const computed = await ensureCells(plan, [cell], {
      resultsDir,
      compute: chosen,
      log,
      replaceOtherSettings: true,
    });
    assertEquals(asked, [cell.key]);
    assertEquals(computed.missing, []);
    assertEquals(computed.found.map(({ result }) => result.system), [cell.systemName]);
    assertEquals(store.storedSettings(cell.key), settingsOf(plan, cell));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("ensureCells: a cell stored with other settings that compute does not choose is not refused, only missing", async () => {
  const plan = planExperiments("quick");
  const [stored, other] = plan.cells.filter((c) =>
    c.dataset.kind === "synthetic" && c.system.kind !== "neural"
  );
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    const stale = { ...settingsOf(plan, stored), seed: stored.seed + 1 };
    store.put(stored.key, stale, storedCellResult());
    const { found, missing } = await ensureCells(plan, [stored, other], {
      resultsDir,
      compute: (cell) => cell.key === other.key,
      log: () => {},
    });
    assertEquals(found.map(({ cell }) => cell.key), [other.key]);
    assertEquals(missing, [stored]);
    assertEquals(store.storedSettings(stored.key), stale);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("ensureCells rejects with the run's error when a cell chosen cannot be computed", async () => {
  // An imported dataset whose files are gone: "missing" would read as "not chosen" or "held by
  // another process", and a notebook would show an empty table without the reason.
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/gone`;
    const plan = planExperiments("quick", [0], {
      dataset: { kind: "file", path, format: "recbole" },
    });
    const cell = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
    const error = await assertRejects(() =>
      ensureCells(plan, [cell], { resultsDir: `${dir}/results`, log: () => {} })
    );
    assertStringIncludes(error.message, path);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
