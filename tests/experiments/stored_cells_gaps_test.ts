/**
 * checkStoredData reads a dataset only for what it checks: a finished cell of an imported dataset.
 * A stored cell of a generated dataset is never a reason to prepare (generate) its data.
 * The readers (finishedCells, checkStoredData) create no folder: a results folder without a
 * cells folder holds no cells, and opening its store to look would make one. A stored record
 * whose settings differ from the cell's in any field of settingsOf is not that cell's result
 * (mutation round IM).
 */
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { storedCellResult } from "./_cell_result.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import {
  cellsDirectory,
  checkStoredData,
  finishedCells,
  isFinished,
  settingsOf,
} from "../../lib/experiments/stored_cells.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

/** A `datasetOf` that records the cells it was asked for and never prepares anything. */
function recordingDatasetOf(asked: string[]): (cell: PlannedCell) => Promise<PreparedDataset> {
  return (cell) => {
    asked.push(cell.key);
    return Promise.reject(new Error(`datasetOf called for ${cell.key}`));
  };
}

Deno.test("checkStoredData: a stored cell of a generated dataset reads no data", async () => {
  const plan = planExperiments("quick", [0]);
  const cell = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
  assertEquals(cell.dataset.kind === "file", false);
  const dir = Deno.makeTempDirSync();
  try {
    new ResultStore(cellsDirectory(dir)).put(cell.key, settingsOf(plan, cell), storedCellResult());
    const asked: string[] = [];
    await checkStoredData(plan, dir, recordingDatasetOf(asked));
    assertEquals(asked, []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("finishedCells and checkStoredData on a folder that stores nothing find nothing and create nothing", async () => {
  // The notebooks' views read results/quick this way; a test of them left an empty
  // results/quick/cells in the checkout (2026-12-06).
  const plan = planExperiments("quick", [0]);
  const dir = Deno.makeTempDirSync();
  try {
    const absent = `${dir}/absent`;
    assertEquals(finishedCells(plan, absent).size, 0);
    await checkStoredData(plan, absent, recordingDatasetOf([]));
    assertThrows(() => Deno.statSync(absent), Deno.errors.NotFound);
    // A results folder without its cells folder (a run stopped before its first cell) too.
    Deno.mkdirSync(absent);
    assertEquals(finishedCells(plan, absent).size, 0);
    assertThrows(() => Deno.statSync(cellsDirectory(absent)), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("isFinished: a stored cell whose dataset, system, seed, model, training or scoring differs from the one asked is not finished", () => {
  // Each of these decides the cell's numbers; a record of other settings under the same key is
  // no result of this cell (a changed dataset spec or trainer setting keeps the key).
  const plan = planExperiments("quick", [0]);
  const cell = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
  const other = plan.cells.find((c) => c.datasetLabel !== cell.datasetLabel && !c.waitsFor)!;
  const neural = plan.cells.find((c) => c.system.kind === "neural" && !c.waitsFor)!;
  const dir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(dir));
    store.put(cell.key, settingsOf(plan, cell), storedCellResult());
    assertEquals(isFinished(store, plan, cell), true);
    const variants: Record<string, PlannedCell> = {
      dataset: { ...cell, dataset: other.dataset },
      system: { ...cell, system: neural.system },
      seed: { ...cell, seed: cell.seed + 1 },
      model: { ...cell, model: { ...cell.model, dim: 3 } },
      training: { ...cell, training: { ...cell.training, maxEpochs: 1234 } },
      scoreAttribution: { ...cell, scoreAttribution: !cell.scoreAttribution },
    };
    for (const [field, variant] of Object.entries(variants)) {
      assertEquals([field, isFinished(store, plan, variant)], [field, false]);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("finishedCells and isFinished refuse a stored cell whose result is half there, naming its file", () => {
  // The settings match, the result lacks its metrics: no result to show, and no cell to skip.
  const plan = planExperiments("quick", [0]);
  const cell = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
  const dir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(dir));
    const { system, dataset } = storedCellResult();
    store.put(cell.key, settingsOf(plan, cell), { system, dataset });
    const expected = `${store.pathOf(cell.key)}: unreadable cell result (field "`;
    assertStringIncludes(assertThrows(() => finishedCells(plan, dir)).message, expected);
    assertStringIncludes(assertThrows(() => isFinished(store, plan, cell)).message, expected);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("checkStoredData: a stale stored cell that reuses another's run is named by its own file", async () => {
  const spec = { kind: "file" as const, path: `${FIXTURES}tiny`, format: "recbole" as const };
  const plan = planExperiments("quick", [0], { dataset: spec });
  const pop = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
  const cell = { ...pop, sameAs: `${pop.key}/trial=0` };
  const dir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(dir));
    const result = storedCellResult();
    const stale = {
      ...result,
      protocol: { ...result.protocol, dataset: "tiny: fingerprint 0abc000000000abc" },
    };
    store.put(cell.key, settingsOf(plan, cell), stale);
    const data = await prepareDataset(spec);
    const error = await assertRejects(() =>
      checkStoredData({ ...plan, cells: [cell] }, dir, () => Promise.resolve(data))
    );
    assertStringIncludes(error.message, `${store.pathOf(cell.key)} was computed on tiny`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("checkStoredData refuses a half-written stored cell of an imported dataset, naming its file", async () => {
  const spec = { kind: "file" as const, path: `${FIXTURES}tiny`, format: "recbole" as const };
  const plan = planExperiments("quick", [0], { dataset: spec });
  const cell = plan.cells.find((c) => c.systemName === "Pop" && !c.waitsFor)!;
  const dir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(dir));
    const { system, dataset } = storedCellResult();
    store.put(cell.key, settingsOf(plan, cell), { system, dataset });
    const error = await assertRejects(() =>
      checkStoredData({ ...plan, cells: [cell] }, dir, recordingDatasetOf([]))
    );
    assertStringIncludes(error.message, `${store.pathOf(cell.key)}: unreadable cell result`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
