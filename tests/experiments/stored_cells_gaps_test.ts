/**
 * checkStoredData reads a dataset only for what it checks: a finished cell of an imported dataset.
 * A stored cell of a generated dataset is never a reason to prepare (generate) its data.
 */
import { assertEquals } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, checkStoredData, settingsOf } from "../../lib/experiments/stored_cells.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";

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
