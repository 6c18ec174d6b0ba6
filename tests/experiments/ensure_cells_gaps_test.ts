/**
 * ensureCells and a stored record of other settings (mutation round OE): a record under the cell's
 * key that was computed with other settings (a changed seed, trainer or model setting keeps the
 * key) is no result of the cell: it is missing, and computed again when chosen. A run that fails
 * fails the call: its cells are not quietly reported missing.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ensureCells } from "../../lib/experiments/ensure_cells.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";

await initBackend({ verbose: false });

Deno.test("ensureCells: a cell stored with other settings is missing, and computed again when chosen", async () => {
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
    const computed = await ensureCells(plan, [cell], {
      resultsDir,
      compute: (candidate) => (asked.push(candidate.key), true),
      log,
    });
    assertEquals(asked, [cell.key]);
    assertEquals(computed.missing, []);
    assertEquals(computed.found.map(({ result }) => result.system), [cell.systemName]);
    assertEquals(store.storedSettings(cell.key), settingsOf(plan, cell));
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
