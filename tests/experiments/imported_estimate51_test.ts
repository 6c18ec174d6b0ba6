/**
 * The first time estimate of an imported dataset's cells scales with what drives their cost: the
 * prepared data's training steps an epoch and its items, against the synthetic benchmark's. Before,
 * every imported cell was estimated as the synthetic benchmark's whatever its size: notebook 08 on
 * the 48-user fixture opened with "about 15.3 min of training" for cells that took about 3 min.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { epochSizeOf } from "../../lib/experiments/_imported_epoch_sizes.ts";
import { formatMinutes } from "../../lib/experiments/_run_plan_lines.ts";
import { StartEstimate } from "../../lib/experiments/_start_estimate.ts";
import {
  estimatedCellSeconds,
  importedCellScale,
  SYNTHETIC_EPOCH_SIZE,
} from "../../lib/experiments/cell_seconds.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { FileDatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { inTempDir } from "./_in_temp_dir.ts";

const TINY: FileDatasetSpec = {
  kind: "file",
  path: new URL("../fixtures/byo/tiny", import.meta.url).pathname,
  format: "recbole",
};

for (const mode of ["quick", "full"] as const) {
  Deno.test(`SYNTHETIC_EPOCH_SIZE.${mode}: the prepared synthetic benchmark's steps an epoch and items, with its cells' trainer settings`, async () => {
    const plan = planExperiments(mode);
    // A cell of the benchmark's own data (not a noise level's) that can train now: in the full
    // plan every main system waits for its selection, so its first trial (the batch size is the
    // mode's, never searched).
    const cell = plan.cells.find((c) =>
      c.dataset.kind === "synthetic" && !("noiseFraction" in c.dataset.config) &&
      c.system.kind === "neural" && !c.scoreAttribution && !c.waitsFor
    )!;
    assert(cell !== undefined);
    const data = await prepareDataset(cell.dataset);
    assertEquals(epochSizeOf(cell, data), { ...SYNTHETIC_EPOCH_SIZE[mode] });
  });
}

Deno.test("importedCellScale: 1 at the benchmark's size, linear in the steps, and MovieLens's size gives the recorded MovieLens/synthetic ratio", () => {
  for (const mode of ["quick", "full"] as const) {
    const own = SYNTHETIC_EPOCH_SIZE[mode];
    assertAlmostEquals(importedCellScale(mode, own), 1, 1e-12);
    const doubled = { ...own, stepsPerEpoch: 2 * own.stepsPerEpoch };
    assertAlmostEquals(importedCellScale(mode, doubled), 2, 1e-12);
    // More items cost more a step, but less than in proportion (a step's other work stays).
    const moreItems = importedCellScale(mode, { ...own, items: 2 * own.items });
    assert(moreItems > 1 && moreItems < 2, `${moreItems}`);
  }
  // MovieLens: 17 steps an epoch, 3,496 items; its recorded cells took, per main system, these
  // multiples of the synthetic ones (FULL_SECONDS); their geometric mean is what the scale gives.
  const ratios = [535 / 70, 480 / 37, 980 / 144, 920 / 168, 1910 / 49];
  const geometricMean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  assertAlmostEquals(
    importedCellScale("full", { stepsPerEpoch: 17, items: 3496 }),
    geometricMean,
    1e-9,
  );
});

Deno.test("estimatedCellSeconds: an imported neural cell with its size is the synthetic figure scaled, at least 1 s; the embedded data and the baselines ignore a size", () => {
  for (const mode of ["quick", "full"] as const) {
    const plan = planExperiments(mode, [0], { dataset: TINY });
    const neural = plan.cells.find((c) => c.dataset.kind === "file" && c.system.kind === "neural")!;
    const baseline = plan.cells.find((c) =>
      c.dataset.kind === "file" && c.system.kind !== "neural"
    )!;
    const own = SYNTHETIC_EPOCH_SIZE[mode];
    const unscaled = estimatedCellSeconds(plan, neural);
    const half = { ...own, stepsPerEpoch: own.stepsPerEpoch / 2 };
    assertEquals(estimatedCellSeconds(plan, neural, own), unscaled);
    assertEquals(estimatedCellSeconds(plan, neural, half), Math.round(unscaled / 2));
    assertEquals(estimatedCellSeconds(plan, neural, { stepsPerEpoch: 0.001, items: 1 }), 1);
    assertEquals(estimatedCellSeconds(plan, baseline, half), estimatedCellSeconds(plan, baseline));
    const synthetic = planExperiments(mode).cells.find((c) =>
      c.dataset.kind === "synthetic" && c.system.kind === "neural"
    )!;
    assertEquals(
      estimatedCellSeconds(plan, synthetic, half),
      estimatedCellSeconds(plan, synthetic),
    );
  }
});

Deno.test(
  "StartEstimate: an imported cell's cost is scaled by its size from the map, one without a size unscaled",
  inTempDir((dir) => {
    const plan = planExperiments("full", [0], { dataset: TINY });
    const neural = plan.cells.filter((c) => c.system.kind === "neural");
    assert(neural.length >= 2);
    // A stand-in size: twice the benchmark's steps, for every neural cell but the first.
    const doubled = { ...SYNTHETIC_EPOCH_SIZE.full, stepsPerEpoch: 10 };
    const sizes = new Map(neural.slice(1).map((cell) => [cell.key, doubled]));
    const store = new ResultStore(dir);
    const unscaled = new StartEstimate(plan, store).expectedSeconds;
    const extra = neural.slice(1).reduce((s, cell) => s + estimatedCellSeconds(plan, cell), 0);
    // Each doubled cell is rounded to whole seconds on its own: within 1 s of twice its figure.
    assertAlmostEquals(
      new StartEstimate(plan, store, sizes).expectedSeconds,
      unscaled + extra,
      neural.length,
    );
    assert(new StartEstimate(plan, store, sizes).expectedSeconds > unscaled + extra / 2);
  }),
);

Deno.test(
  "runPlan: the opening line estimates an imported dataset's cells by its prepared data, prepared once",
  inTempDir(async (dir) => {
    const plan = planExperiments("full", [0], { dataset: TINY });
    const lines: string[] = [];
    await runPlan(plan, { resultsDir: dir, runPending: false, log: (line) => lines.push(line) });
    const data = await prepareDataset(TINY);
    const expected = plan.cells.reduce(
      (s, cell) => s + estimatedCellSeconds(plan, cell, epochSizeOf(cell, data)),
      0,
    );
    const unscaled = plan.cells.reduce((s, cell) => s + estimatedCellSeconds(plan, cell), 0);
    // The 48-user fixture: one batch an epoch of 30 items, against the benchmark's 5 of 493.
    assertEquals(epochSizeOf(plan.cells.find((c) => c.system.kind === "neural")!, data), {
      stepsPerEpoch: 1,
      items: data.split.dataset.numItems,
    });
    assert(expected < unscaled / 4, `${expected} against ${unscaled}`);
    const opening = lines.find((line) => line.includes("cells planned"))!;
    assert(opening.includes(`about ${formatMinutes(expected)} of training`), opening);
    assert(opening.includes("scaled by its batches an epoch and items"), opening);
    assertEquals(lines.filter((line) => line.startsWith(`dataset ${data.label}\n`)).length, 1);
  }),
);
