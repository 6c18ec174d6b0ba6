/**
 * Memory over long work in one process: a finished `runPlan` keeps nothing of its cells reachable
 * once its caller drops the outcome. The cells' results, the prepared dataset (kept for the run by
 * `datasetPreparer`, returned in the outcome) and the outcome itself must all be collectable, and
 * no claim stays listed as held; a module-level list of results, a heartbeat timer or a listener
 * left per cell would keep them for the life of a kernel that runs plan after plan. Checked in a
 * child process with `--expose-gc` by counting survivors (tests/_released_after_gc.ts).
 */
import { assertEquals } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { EXPOSE_GC_ENV } from "../_released_after_gc.ts";

const CHILD = `
import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
import { tf } from ${projectModule("lib/backend/tf.ts")};
import { runPlan } from ${projectModule("lib/experiments/mod.ts")};
import { HELD_CLAIMS } from ${projectModule("lib/experiments/_claim_files.ts")};
import { quickSasrecCell } from ${projectModule("tests/experiments/_quick_sasrec_cell.ts")};
import { survivorsAfterGc } from ${projectModule("tests/_released_after_gc.ts")};
await initBackend({ verbose: false });
const { plan, cell } = quickSasrecCell();
const pop = plan.cells.find((c) => c.dataset.label === cell.dataset.label && c.seed === cell.seed && c.systemName === "Pop");
async function run() {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const outcome = await runPlan({ ...plan, cells: [cell, pop] }, { resultsDir, log: () => {} });
    const [dataset] = [...outcome.datasets.values()];
    return {
      cells: outcome.cells.length,
      refs: {
        outcome: new WeakRef(outcome),
        dataset: new WeakRef(dataset),
        split: new WeakRef(dataset.split),
        "neural cell": new WeakRef(outcome.byKey.get(cell.key)),
        "Pop cell": new WeakRef(outcome.byKey.get(pop.key)),
      },
    };
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}
const first = await run();
const second = await run();
console.log(JSON.stringify({
  cells: [first.cells, second.cells],
  survivors: [await survivorsAfterGc(first.refs), await survivorsAfterGc(second.refs)],
  heldClaims: HELD_CLAIMS.size,
  tensors: tf.memory().numTensors,
}));
`;

Deno.test("a finished runPlan keeps nothing reachable: its outcome, cells and prepared dataset are collected", async () => {
  const report = await evalInSubprocess<{
    cells: number[];
    survivors: string[][];
    heldClaims: number;
    tensors: number;
  }>(CHILD, EXPOSE_GC_ENV);
  assertEquals(report.cells, [2, 2], "both runs finished both cells");
  assertEquals(report.survivors, [[], []]);
  assertEquals(report.heldClaims, 0, "no claim stays listed as held");
  assertEquals(report.tensors, 0, "every cell's model disposed");
});

const CELL_CHILD = `
import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
import { tf } from ${projectModule("lib/backend/tf.ts")};
import { prepareDataset } from ${projectModule("lib/experiments/datasets.ts")};
import { runCell } from ${projectModule("lib/experiments/run_cell.ts")};
import { SYSTEMS } from ${projectModule("lib/experiments/systems.ts")};
import { survivorsAfterGc } from ${projectModule("tests/_released_after_gc.ts")};
await initBackend({ verbose: false });
const path = ${JSON.stringify(new URL("../fixtures/byo/tiny.txt", import.meta.url).pathname)};
const data = await prepareDataset({ kind: "file", path, format: "sequence" });
// Demure masks from its second step on (its default warm-up outlasts these 6 steps).
const demure = { ...SYSTEMS["Demure-SASRec"], demure: { variant: "full", warmupSteps: 1 } };
// Inside a function: a local of the module's own top-level frame (the last loop's result) stays
// reachable until the module ends, which would read as a survivor.
async function cells() {
  const refs = {};
  let masked = 0;
  for (const [name, system] of [["Demure-SASRec", demure], ["SASRec-MM", SYSTEMS["SASRec-MM"]]]) {
    const result = await runCell(data, system, name, {
      seed: 0,
      model: { dim: 8 },
      training: { maxEpochs: 3, patience: 10, batchSize: 16, maxBatchesPerEpoch: 2 },
      onProgress: () => {},
    });
    refs[name] = new WeakRef(result);
    refs[name + " history"] = new WeakRef(result.history);
    masked += result.demure?.attributed ?? 0;
  }
  return { refs, masked };
}
const { refs, masked } = await cells();
console.log(JSON.stringify({ masked, survivors: await survivorsAfterGc(refs), tensors: tf.memory().numTensors }));
`;

Deno.test("runCell keeps nothing of a finished Demure or backbone cell reachable", async () => {
  const report = await evalInSubprocess<{ masked: number; survivors: string[]; tensors: number }>(
    CELL_CHILD,
    EXPOSE_GC_ENV,
  );
  assertEquals(report.masked > 0, true, "the Demure cell attributed masks");
  assertEquals(report.survivors, []);
  assertEquals(report.tensors, 0);
});
