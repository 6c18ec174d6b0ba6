/**
 * PlanPlaceCount (lib/experiments/_plan_place_count.ts), the count of finished cells behind
 * runPlan's `[place/size]`: it says what reading every planned cell's file (`isFinished`) said,
 * cells stored by other processes (another store over the folder) and files replaced with other
 * settings included, while it reads an unchanged file only once (session 53; before, each start
 * and end of a cell read every planned cell's file).
 */
import { assertEquals } from "@std/assert";
import { PlanPlaceCount } from "../../lib/experiments/_plan_place_count.ts";
import type { ExperimentPlan } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { isFinished, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";
import { storedCellResult } from "./_cell_result.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

/** The quick plan's cells that wait for nothing (nothing is run: their results are stand-ins). */
function planOfReadyCells(): ExperimentPlan {
  const full = planExperiments("quick");
  return { ...full, cells: full.cells.filter((cell) => !cell.waitsFor) };
}

/** What the count read before: every planned cell's file. */
function readingEveryFile(store: ResultStore, plan: ExperimentPlan): number {
  return plan.cells.filter((cell) => !cell.waitsFor && isFinished(store, plan, cell)).length;
}

/** The count's answer and the cell files it read (by name) to give it. */
function countReading(count: PlanPlaceCount, plan: ExperimentPlan): [number, string[]] {
  const { readTextFileSync } = Deno;
  const read: string[] = [];
  const finished = withDenoStandIns({
    readTextFileSync: ((path: string | URL) => {
      if (String(path).endsWith(".json")) read.push(String(path).replace(/^.*\//, ""));
      return readTextFileSync(path);
    }) as typeof Deno.readTextFileSync,
  }, () => count.finished(plan));
  return [finished, read];
}

Deno.test(
  "PlanPlaceCount counts as reading every file did, other processes' cells included, reading each file once",
  inTempDir((directory) => {
    const plan = planOfReadyCells();
    const [a, b, c] = plan.cells;
    const here = new ResultStore(directory);
    // Another process's store over the same folder.
    const elsewhere = new ResultStore(directory);
    const count = new PlanPlaceCount(here);
    const name = (key: string) => here.pathOf(key).replace(/^.*\//, "");
    assertEquals(countReading(count, plan), [0, []]);

    here.put(a.key, settingsOf(plan, a), storedCellResult());
    elsewhere.put(b.key, settingsOf(plan, b), storedCellResult());
    assertEquals(countReading(count, plan), [2, [name(a.key), name(b.key)]]);
    assertEquals(readingEveryFile(here, plan), 2);
    // Nothing changed: nothing read again, the same count.
    assertEquals(countReading(count, plan), [2, []]);

    // Another process stores a cell: counted, only its file read.
    elsewhere.put(c.key, settingsOf(plan, c), storedCellResult());
    assertEquals(countReading(count, plan), [3, [name(c.key)]]);

    // Another process replaces a cell with other settings: no longer finished for this plan.
    elsewhere.put(b.key, { ...settingsOf(plan, b), seed: 99 }, storedCellResult());
    assertEquals(countReading(count, plan), [2, [name(b.key)]]);
    assertEquals(readingEveryFile(here, plan), 2);

    // A cell file removed (by hand): not finished, as isFinished finding no file.
    Deno.removeSync(here.pathOf(a.key));
    assertEquals(countReading(count, plan), [1, []]);
    assertEquals(readingEveryFile(here, plan), 1);
  }),
);

Deno.test(
  "PlanPlaceCount compares a cell's file again when the plan's settings of it change",
  inTempDir((directory) => {
    const plan = planOfReadyCells();
    const [a] = plan.cells;
    const store = new ResultStore(directory);
    const count = new PlanPlaceCount(store);
    store.put(a.key, settingsOf(plan, a), storedCellResult());
    assertEquals(count.finished(plan), 1);
    // A replanned cell (a selection refreshed) with other settings than the stored ones.
    const other = { ...a, seed: a.seed + 1 };
    const replanned = { ...plan, cells: [other, ...plan.cells.slice(1)] };
    assertEquals(readingEveryFile(store, replanned), 0);
    assertEquals(count.finished(replanned), 0);
    assertEquals(count.finished(plan), 1);
  }),
);

Deno.test(
  "PlanPlaceCount counts no cell of a waiting cell's key, and none once the folder is gone",
  inTempDir((directory) => {
    const plan = planOfReadyCells();
    const [a] = plan.cells;
    const store = new ResultStore(`${directory}/cells`);
    const count = new PlanPlaceCount(store);
    store.put(a.key, settingsOf(plan, a), storedCellResult());
    const waiting: ExperimentPlan = { ...plan, cells: [{ ...a, waitsFor: ["a selection"] }] };
    assertEquals(count.finished(waiting), 0);
    Deno.removeSync(`${directory}/cells`, { recursive: true });
    assertEquals(count.finished(plan), 0);
  }),
);

Deno.test(
  "PlanPlaceCount: a store folder that cannot be listed (no read permission, only search) still counts its cells",
  inTempDir((directory) => {
    const plan = planOfReadyCells();
    const [a] = plan.cells;
    const store = new ResultStore(directory);
    store.put(a.key, settingsOf(plan, a), storedCellResult());
    // A stand-in: as root (CI's containers) no permission bit makes a real listing fail.
    const unlistable = (): never => {
      throw new Deno.errors.PermissionDenied("Permission denied (os error 13)");
    };
    const count = new PlanPlaceCount(store);
    assertEquals(withDenoStandIns({ readDirSync: unlistable }, () => count.finished(plan)), 1);
    assertEquals(readingEveryFile(store, plan), 1);
  }),
);
