/**
 * A grid cell checkpoints every epoch: a run killed mid-cell resumes that cell from its last
 * epoch (not from scratch) and stores the numbers of an uninterrupted run; the checkpoints are
 * removed once the cell is stored.
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { resumableCellPlan, runKilledAfterEpoch } from "./_resumable_cell.ts";

await initBackend({ verbose: false });

Deno.test("runPlan: a kill mid-cell loses at most one epoch; the resumed cell equals an uninterrupted one", async () => {
  const { plan, cell } = resumableCellPlan();
  const straightDir = Deno.makeTempDirSync();
  const killedDir = Deno.makeTempDirSync();
  const epochsSeen: number[] = [];
  try {
    const straight = await runPlan(plan, { resultsDir: straightDir, log: () => {} });
    await runKilledAfterEpoch(plan, killedDir, 2);
    const checkpoints = cellCheckpointDir(killedDir, plan, cell);
    assert(Deno.statSync(`${checkpoints}/last.json`).isFile, "the cell checkpointed its epochs");
    const resumed = await runPlan(plan, {
      resultsDir: killedDir,
      log: () => {},
      onEpoch: (_, progress) => epochsSeen.push(progress.epoch),
    });
    assertEquals(epochsSeen, [3], "only the epoch after the last checkpoint is trained again");
    const [a] = straight.cells;
    const [b] = resumed.cells;
    assertEquals(b.test, a.test);
    assertEquals(b.valid, a.valid);
    assertEquals(b.history.map((h) => h.loss), a.history.map((h) => h.loss));
    assertEquals(b.demure, a.demure);
    // The epochs before the resume count (the cap-bound and best-epoch reports read them), and
    // the per-epoch noise rates are kept for every epoch.
    assertEquals([a.epochsRun, b.epochsRun], [a.history.length, a.history.length]);
    assertEquals(a.noiseRateByEpoch?.length, a.history.length);
    assertEquals(b.noiseRateByEpoch, a.noiseRateByEpoch);
    assertEquals(
      [...Deno.readDirSync(`${killedDir}/checkpoints`)].length,
      0,
      "checkpoints of a stored cell are removed",
    );
  } finally {
    Deno.removeSync(straightDir, { recursive: true });
    Deno.removeSync(killedDir, { recursive: true });
  }
});
