/**
 * finishedCells (lib/experiments/stored_cells.ts), pinned where mutation round mu51c found no
 * test: it looks up the cells of the plan it is given, and only those, even though it replans the
 * whole mode with the folder's selection; a view of a part of a plan (a notebook's one table) shows
 * none of the folder's other stored cells.
 */
import { assertEquals } from "@std/assert";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, finishedCells, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";

Deno.test("finishedCells finds the asked plan's cells only, not the folder's other stored cells", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const plan = planExperiments("quick", [0]);
    const [asked, other] = plan.cells.filter((c) => c.system.kind !== "neural" && !c.waitsFor);
    const store = new ResultStore(cellsDirectory(dir));
    store.put(asked.key, settingsOf(plan, asked), storedCellResult());
    store.put(other.key, settingsOf(plan, other), storedCellResult());
    assertEquals([...finishedCells({ ...plan, cells: [asked] }, dir).keys()], [asked.key]);
    assertEquals([...finishedCells(plan, dir).keys()].sort(), [asked.key, other.key].sort());
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
