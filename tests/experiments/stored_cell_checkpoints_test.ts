/**
 * A process killed between storing a cell and removing its epoch checkpoints left the checkpoint
 * folder for good: a stored cell never runs again, so nothing came back to it. The next run
 * removes it (keeping the best model of a first-seed cell, as a finished cell does), unless a live
 * process holds the cell's claim (it is storing the cell and removes them itself).
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { checkpointExists } from "../../lib/checkpoint/checkpoint.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import { runOneCell } from "../../lib/experiments/cell_command.ts";
import { cellModelDir } from "../../lib/experiments/cell_model.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { storedCellResult } from "./_cell_result.ts";
import { resumableCellPlan, runKilledAfterEpoch } from "./_resumable_cell.ts";

await initBackend({ verbose: false });

/**
 * Under `resultsDir`: the one-cell plan's cell stored while its checkpoint folder stays, as a
 * kill right after the result was stored leaves them.
 */
async function storedWithLeftover(resultsDir: string) {
  const { plan, cell } = resumableCellPlan();
  await runKilledAfterEpoch(plan, resultsDir, 2);
  const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
  assert(checkpointExists(`${checkpoints}/best`), "the cell checkpointed its epochs");
  const store = new ResultStore(cellsDirectory(resultsDir));
  store.put(cell.key, settingsOf(plan, cell), storedCellResult());
  return { plan, cell, checkpoints, store };
}

Deno.test("a stored cell's leftover checkpoint folder is removed by the next run, not while its claim is held", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell, checkpoints, store } = await storedWithLeftover(resultsDir);
    const trained: number[] = [];
    const rerun = (lines: string[]) =>
      runPlan(plan, {
        resultsDir,
        log: (line) => lines.push(line),
        onEpoch: (_, progress) => trained.push(progress.epoch),
      });

    // A live process holds the claim (it is storing the cell right now): its folder is left to it.
    const holder = {
      pid: 1,
      hostname: Deno.hostname(),
      since: new Date().toISOString(),
      heartbeat: new Date().toISOString(),
      token: "a live process storing the cell",
    };
    Deno.writeTextFileSync(store.claimPathOf(cell.key), JSON.stringify(holder));
    await rerun([]);
    assert(pathExists(checkpoints), "left to the process that holds the claim");
    Deno.removeSync(store.claimPathOf(cell.key));

    const lines: string[] = [];
    await rerun(lines);
    assertEquals(trained, [], "the stored cell is not trained again");
    // Before, the folder stayed for good (and a first-seed cell's best model was never kept).
    assertEquals(pathExists(checkpoints), false, `still there:\n${lines.join("\n")}`);
    assertEquals([...Deno.readDirSync(`${resultsDir}/checkpoints`)], []);
    assert(lines.some((line) => line.includes(`removed ${checkpoints}`)), lines.join("\n"));
    assertEquals(cell.seed, plan.seeds[0], "a first-seed cell: its best model is kept");
    assert(checkpointExists(`${cellModelDir(resultsDir, cell)}/best`), "the best model is kept");
    assertEquals(store.claimOf(cell.key), undefined, "the claim is given back");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a batch task of a stored cell removes the cell's leftover checkpoint folder", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell, checkpoints } = await storedWithLeftover(resultsDir);
    // What a requeued Slurm task (reproduce --cell) runs: the cell is finished, nothing trains.
    const { ranNow } = await runOneCell(plan, cell, { resultsDir, log: () => {}, job: "7_1" });
    assertEquals(ranNow, false);
    assertEquals(pathExists(checkpoints), false, "the leftover checkpoint folder is removed");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
