/**
 * The reuse of a same run and the stale records (mutation round OE, the third pass over
 * stored_cells.ts): a record of the run a cell reuses (`sameAs`) counts only with the cell's
 * settings, whole; the reused record is handed back as the cell's own; checkStoredData checks every
 * finished cell of an imported dataset, and no record of other settings (it is rerun, not refused);
 * finishedCells looks cells up with the plan's own selection where the folder records none.
 */
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import {
  cellsDirectory,
  checkStoredData,
  finishedCells,
  isReusable,
  reuseSameRun,
  selectedPath,
  settingsOf,
} from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";
import { storedCellPlan } from "./_resumable_cell.ts";

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

function withStore(body: (store: ResultStore, dir: string) => Promise<void> | void) {
  return async () => {
    const dir = Deno.makeTempDirSync();
    try {
      await body(new ResultStore(cellsDirectory(dir)), dir);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  };
}

const plan = planExperiments("quick", [0]);
const pop = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
/** A cell that is the same run as an earlier one (as a system's first-seed cell is its trial 0). */
const reusing: PlannedCell = { ...pop, sameAs: `${pop.key}/trial=0` };

Deno.test(
  "reuseSameRun hands back the record it stores: relabelled as the cell, under the cell's key",
  withStore((store) => {
    const settings = settingsOf(plan, reusing);
    store.put(reusing.sameAs!, settings, storedCellResult(0.2, 0.3));
    const reused = reuseSameRun(store, reusing, settings)!;
    assertEquals([reused.system, reused.protocol.model], [pop.systemName, pop.systemName]);
    assertEquals(reused, store.get(reusing.key, settings));
  }),
);

Deno.test(
  "reuseSameRun and isReusable take no record of the same run stored with other settings",
  withStore((store) => {
    const settings = settingsOf(plan, reusing);
    store.put(reusing.sameAs!, { ...settings, seed: settings.seed + 1 }, storedCellResult());
    assertEquals(isReusable(store, plan, reusing), false);
    assertEquals(reuseSameRun(store, reusing, settings), undefined);
    assertEquals(store.has(reusing.key), false);
    // With the cell's settings it is the same run.
    store.put(reusing.sameAs!, settings, storedCellResult());
    assertEquals(isReusable(store, plan, reusing), true);
  }),
);

Deno.test(
  "isReusable refuses a half-written record of the same run, naming its file",
  withStore((store) => {
    // An estimate would count the cell as free, and reuseSameRun then refuses it.
    const { system, dataset } = storedCellResult();
    store.put(reusing.sameAs!, settingsOf(plan, reusing), { system, dataset });
    const error = assertThrows(() => isReusable(store, plan, reusing));
    assertStringIncludes(error.message, `${store.pathOf(reusing.sameAs!)}: unreadable cell result`);
  }),
);

const spec = { kind: "file" as const, path: `${FIXTURES}tiny`, format: "recbole" as const };
const imported = planExperiments("quick", [0], { dataset: spec });
const importedCells = imported.cells.filter((c) => c.system.kind !== "neural" && !c.waitsFor);

Deno.test(
  "checkStoredData checks every finished cell of an imported dataset, not only the first, and says to delete the whole results folder",
  withStore(async (store, dir) => {
    const data = await prepareDataset(spec);
    const [fresh, stale] = importedCells;
    const result = storedCellResult();
    const computedOn = (fingerprint: string) => ({
      ...result,
      protocol: { ...result.protocol, dataset: `tiny: fingerprint ${fingerprint}` },
    });
    store.put(
      fresh.key,
      settingsOf(imported, fresh),
      computedOn(data.split.dataset.metadata.fingerprint),
    );
    store.put(stale.key, settingsOf(imported, stale), computedOn("0abc000000000abc"));
    const error = await assertRejects(() =>
      checkStoredData({ ...imported, cells: [fresh, stale] }, dir, () => Promise.resolve(data))
    );
    assertStringIncludes(error.message, `${store.pathOf(stale.key)} was computed on tiny`);
    // The whole results folder is to go: its selected.json was chosen on the old data too.
    assertStringIncludes(error.message, `delete ${dir} to rerun its cells`);
  }),
);

Deno.test(
  "checkStoredData passes a record of other settings computed on other data: it is rerun, not refused",
  withStore(async (store, dir) => {
    const [cell] = importedCells;
    const result = storedCellResult();
    const settings = settingsOf(imported, cell);
    store.put(cell.key, { ...settings, seed: settings.seed + 1 }, {
      ...result,
      protocol: { ...result.protocol, dataset: "tiny: fingerprint 0abc000000000abc" },
    });
    const asked: string[] = [];
    await checkStoredData({ ...imported, cells: [cell] }, dir, (c) => {
      asked.push(c.key);
      return prepareDataset(spec);
    });
    assertEquals(asked, []);
  }),
);

Deno.test("finishedCells finds a cell of the plan's own selection in a folder without selected.json", () => {
  // A notebook plans with the record's selection and reads another folder's cells: without the
  // plan's choices the sweep cell would wait for a selection, and its stored result go unseen.
  const dir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = storedCellPlan(dir);
    assertEquals([...finishedCells(plan, dir).keys()], [cell.key]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test(
  "finishedCells refuses an unreadable selected.json, naming it",
  withStore((_store, dir) => {
    // A torn selection is no "nothing selected yet": the cells waiting for it would go unseen.
    Deno.writeTextFileSync(selectedPath(dir), "{");
    const error = assertThrows(() => finishedCells(plan, dir));
    assertStringIncludes(error.message, `${selectedPath(dir)}: unreadable selected configurations`);
  }),
);

Deno.test(
  "checkStoredData reads no data for a stored MovieLens cell either",
  withStore(async (store, dir) => {
    // Only an imported dataset's files are checked (checkStoredData's docs): a stored cell of
    // the MovieLens benchmark, like a generated one, is no reason to prepare its data.
    const cell = plan.cells.find((c) => c.dataset.kind === "movielens" && !c.waitsFor)!;
    store.put(cell.key, settingsOf(plan, cell), storedCellResult());
    const asked: string[] = [];
    await checkStoredData({ ...plan, cells: [cell] }, dir, (c) => {
      asked.push(c.key);
      return Promise.reject(new Error(`datasetOf called for ${c.key}`));
    });
    assertEquals(asked, []);
  }),
);
