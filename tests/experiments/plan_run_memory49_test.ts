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
