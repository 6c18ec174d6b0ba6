/**
 * A process killed between storing a cell and removing its epoch checkpoints left the checkpoint
 * folder for good: a stored cell never runs again, so nothing came back to it. The next run
 * removes it (keeping the best model of a first-seed cell, as a finished cell does), unless a live
 * process holds the cell's claim (it is storing the cell and removes them itself). The folders of
 * cells whose settings changed since are reported, not removed: those settings may come back.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { checkpointExists } from "../../lib/checkpoint/checkpoint.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import { runOneCell } from "../../lib/experiments/cell_command.ts";
import { cellModelDir } from "../../lib/experiments/cell_model.ts";
import { replanWith } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { storedCellResult } from "./_cell_result.ts";
import { resumableCellPlan, runKilledAfterEpoch, storedCellPlan } from "./_resumable_cell.ts";

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

Deno.test("checkpoint folders of no cell of the plan (settings changed since) are reported with their size, and kept", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = storedCellPlan(resultsDir);
    // The cell's folder from a run with another epoch cap (another hash of its settings)...
    const maxEpochs = (cell.training.maxEpochs ?? 3) + 1;
    const changed = { ...cell, training: { ...cell.training, maxEpochs } };
    const orphan = cellCheckpointDir(resultsDir, plan, changed);
    Deno.mkdirSync(orphan, { recursive: true });
    Deno.writeFileSync(`${orphan}/last.w.bin`, new Uint8Array(1_500_000));
    // ... and the folder of a cell of the plan that this run (a subset) does not ask for.
    const full = replanWith(plan, plan.selected);
    const other = full.cells.find((c) => c.system.kind === "neural" && c.key !== cell.key)!;
    const planned = cellCheckpointDir(resultsDir, full, other);
    Deno.mkdirSync(planned, { recursive: true });

    const lines: string[] = [];
    await runPlan(plan, { resultsDir, log: (line) => lines.push(line) });
    // Before, nothing said so: they stayed unnoticed.
    const reported = lines.filter((line) => line.includes("belong to no cell of this plan"));
    assertEquals(reported.length, 1, lines.join("\n"));
    assertStringIncludes(reported[0], `1 checkpoint folder(s) under ${resultsDir}/checkpoints `);
    assertStringIncludes(reported[0], `: ${orphan.slice(orphan.lastIndexOf("/") + 1)} (1.5 MB);`);
    assertStringIncludes(reported[0], `delete them (rm -r ${resultsDir}/checkpoints/<folder>)`);
    assert(pathExists(orphan), "kept: a run with those settings again resumes it");
    assert(pathExists(planned), "a planned cell's folder is neither reported nor touched");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
