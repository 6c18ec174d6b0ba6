/**
 * The main job started again after a kill (`runPlan` over the same results folder): the cells it
 * stored before the kill are skipped (not trained, their records untouched), and the cell that
 * was half-way resumes from its last epoch checkpoint, not from scratch.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";
import { resumableCellPlan } from "./_resumable_cell.ts";

await initBackend({ verbose: false });

class SimulatedKill extends Error {}

/** The bytes of every file under `folder`, by name. */
function filesUnder(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of Deno.readDirSync(folder)) {
    if (entry.isFile) files[entry.name] = Deno.readTextFileSync(`${folder}/${entry.name}`);
  }
  return files;
}

Deno.test("runPlan started again: a stored cell is skipped, the half-way one resumes from its checkpoint", async () => {
  const { plan, cell: second, full } = resumableCellPlan();
  // Another sweep cell of the same quick plan, without the attribution scoring, run first
  // (`order`: the plan's own order puts the resumable cell first).
  const first = full.cells.find((c) =>
    c.sweep !== undefined && !c.scoreAttribution && c.key !== second.key
  )!;
  const twoCells = { ...plan, cells: [first, second] };
  const dir = Deno.makeTempDirSync();
  try {
    const trained: string[] = [];
    await assertRejects(
      () =>
        runPlan(twoCells, {
          resultsDir: dir,
          order: [first.key],
          log: () => {},
          onEpoch: (cell, progress) => {
            trained.push(`${cell.key}#${progress.epoch}`);
            if (cell.key === second.key && progress.epoch === 2) throw new SimulatedKill();
          },
        }),
      SimulatedKill,
    );
    assertEquals(trained.at(-1), `${second.key}#2`, "killed in the second cell, after epoch 2");
    const stored = filesUnder(cellsDirectory(dir));
    assertEquals(Object.keys(stored).length, 1, "the first cell was stored before the kill");
    const checkpoints = cellCheckpointDir(dir, twoCells, second);
    assertEquals(Deno.statSync(`${checkpoints}/last.json`).isFile, true);

    const again: string[] = [];
    const result = await runPlan(twoCells, {
      resultsDir: dir,
      order: [first.key],
      log: () => {},
      onEpoch: (cell, progress) => again.push(`${cell.key}#${progress.epoch}`),
    });
    assertEquals(result.cells.length, 2, "both cells are in the result");
    // The second cell's epochs from 3 on, one each, and nothing of the first.
    const rest = Array.from({ length: again.length }, (_, i) => `${second.key}#${i + 3}`);
    assertEquals(again, rest, "only the half-way cell's epochs after its checkpoint are trained");
    assertEquals(again.length > 0, true);
    const after = filesUnder(cellsDirectory(dir));
    assertEquals(Object.keys(after).length, 2);
    for (const [name, text] of Object.entries(stored)) {
      assertEquals(after[name], text, `the stored record ${name} is untouched`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
