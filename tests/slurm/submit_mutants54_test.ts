/**
 * scripts/slurm/submit.ts, mutation pass 54 (mu54a), against the stand-ins of
 * tests/slurm/_fake_slurm.ts: the plan's count line says how many cells are finished.
 */
import { storedCellResult } from "../experiments/_cell_result.ts";
import { assertEquals, assertStringIncludes } from "@std/assert";
import { fakeSlurm, QUICK_CELLS, submit } from "./_fake_slurm.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";

Deno.test("submit --dry-run counts the finished cells of the plan, and submits the rest", () => {
  // Mutant mu54a X23 (the finished count fixed at 0) said "0 finished" of a folder holding two.
  const slurm = fakeSlurm();
  const resultsDir = `${Deno.makeTempDirSync()}/results`;
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    for (const cell of QUICK_CELLS.slice(0, 2)) {
      store.put(cell.key, settingsOf(planExperiments("quick"), cell), storedCellResult());
    }
    const run = submit(["--dry-run", "--results", resultsDir], slurm);
    assertEquals(run.code, 0, run.stderr);
    const cells = QUICK_CELLS.length;
    assertStringIncludes(
      run.stdout,
      `quick plan: ${cells} cells, 2 finished, 0 queued or running in earlier submissions, ` +
        `${cells - 2} to submit (results: ${resultsDir})\n`,
    );
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
