/**
 * What runPlan's cell runner (`runClaimedCell`) logs for one claimed cell whose training is a
 * stand-in: `report` calls the callbacks runCell would (progress of attribution, evaluations),
 * then the stand-in returns a stored result. Used by the tests of the lines those reports become.
 */
import { assertEquals } from "@std/assert";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { type CellTraining, runClaimedCell } from "../../lib/experiments/_claimed_cell.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";

/** The lines logged while a stand-in training of a neural cell calls `report` on its callbacks. */
export async function linesOfStandInCell(
  report: (callbacks: Parameters<CellTraining>[3]) => void,
): Promise<string[]> {
  const plan = planExperiments("quick", [7]);
  // Any neural cell that reuses no other run.
  const cell = plan.cells.find((c) =>
    c.system.kind === "neural" && !c.waitsFor && c.sameAs === undefined
  )!;
  const train: CellTraining = (_plan, _cell, _data, callbacks) => {
    report(callbacks);
    return Promise.resolve(storedCellResult());
  };
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  const lines: string[] = [];
  try {
    assertEquals(store.claim(cell.key), undefined);
    await runClaimedCell(plan, cell, {
      store,
      datasetOf: () => Promise.resolve({} as PreparedDataset),
      train,
      onEpoch: () => {},
      log: (line) => lines.push(line),
      resultsDir,
    });
    return lines;
  } finally {
    store.release(cell.key);
    Deno.removeSync(resultsDir, { recursive: true });
  }
}
