/**
 * compareWithRecord: bit-identical reruns are "identical"; elsewhere (another backend, thread
 * count, architecture or OpenBLAS kernel set) a rerun within RERUN_TOLERANCE of every recorded
 * metric is "within tolerance", and a missing or larger difference "differs".
 * verificationSubset: the main table's runnable cells at each dataset's first seed.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  compareWithRecord,
  RERUN_TOLERANCE,
  verificationSubset,
} from "../../lib/experiments/verify.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import type { CellEnvironment, CellResult } from "../../lib/experiments/run_cell.ts";
import { storedCellResult } from "./_cell_result.ts";

const here: CellEnvironment = {
  backend: "wasm",
  blasThreads: 1,
  os: "linux",
  arch: "x86_64",
  deno: "2",
};

function result(
  test: number,
  environment: CellEnvironment = here,
  valid: Record<string, number> = { "NDCG@10": 0.2, "HR@10": 0.4 },
): CellResult {
  const stored = storedCellResult(0.2, test);
  return { ...stored, valid, test: { "NDCG@10": test }, environment };
}

Deno.test("compareWithRecord: same environment: identical, or differs however small the gap", () => {
  const identical = compareWithRecord("k", result(0.3), result(0.3));
  assertEquals(
    [identical.status, identical.sameEnvironment, identical.maxDifference],
    ["identical", true, 0],
  );
  assertEquals([identical.recorded, identical.rerun], [0.3, 0.3]);
  const drifted = compareWithRecord("k", result(0.3), result(0.301));
  assertEquals([drifted.status, drifted.sameEnvironment], ["differs", true]);
  assert(Math.abs(drifted.maxDifference - 0.001) < 1e-12);
});

Deno.test("compareWithRecord: another environment: within tolerance up to and at the limit", () => {
  for (
    const other of [
      { ...here, blasThreads: 2 },
      { ...here, backend: "cpu" },
      { ...here, arch: "aarch64" },
    ]
  ) {
    const close = compareWithRecord("k", result(0.3), result(0.302, other));
    assertEquals([close.status, close.sameEnvironment], ["within tolerance", false], other.arch);
  }
  // Exactly at the tolerance (0 and 0.005 differ by exactly RERUN_TOLERANCE) still passes.
  const atLimit = compareWithRecord(
    "k",
    result(0),
    result(RERUN_TOLERANCE, { ...here, blasThreads: 2 }),
  );
  assertEquals([atLimit.status, atLimit.maxDifference], ["within tolerance", RERUN_TOLERANCE]);
  const far = compareWithRecord("k", result(0.3), result(0.31, { ...here, blasThreads: 2 }));
  assertEquals(far.status, "differs");
});

Deno.test("compareWithRecord: the validation metrics count, and a metric the rerun lacks differs", () => {
  const other = { ...here, blasThreads: 2 };
  const validOff = compareWithRecord(
    "k",
    result(0.3),
    result(0.3, other, { "NDCG@10": 0.2, "HR@10": 0.45 }),
  );
  assertEquals(validOff.status, "differs");
  assert(Math.abs(validOff.maxDifference - 0.05) < 1e-12);
  const missing = compareWithRecord("k", result(0.3), result(0.3, here, { "NDCG@10": 0.2 }));
  assertEquals(missing.status, "differs");
  // Infinity, not NaN: scripts/reproduce.ts prints the difference, and the rerun lacking a
  // metric is as far from its record as a rerun can be.
  assertEquals(missing.maxDifference, Infinity);
  const missingElsewhere = compareWithRecord(
    "k",
    result(0.3),
    result(0.3, other, { "NDCG@10": 0.2 }),
  );
  assertEquals([missingElsewhere.status, missingElsewhere.maxDifference], ["differs", Infinity]);
  // A diverged rerun (a NaN metric) is as far, whichever stage and metric come after it.
  const diverged = compareWithRecord(
    "k",
    result(0.3),
    result(0.3, other, { "NDCG@10": Number.NaN, "HR@10": 0.4 }),
  );
  assertEquals([diverged.status, diverged.maxDifference], ["differs", Infinity]);
  const none = compareWithRecord("k", undefined, result(0.3));
  assertEquals([none.status, none.recorded, none.rerun], ["no record", undefined, 0.3]);
});

Deno.test("verificationSubset: main-table cells at each dataset's first seed, none that wait", () => {
  const plan = planExperiments("full");
  const subset = verificationSubset(plan);
  assert(subset.length > 0);
  const main = cellsOf(plan, "main");
  const expected = main.filter((cell) =>
    !cell.waitsFor && cell.seed === plan.datasets[cell.dataset.kind].seeds[0]
  );
  assertEquals(subset.map((c) => c.key), expected.map((c) => c.key));
  for (const kind of new Set(main.map((c) => c.dataset.kind))) {
    const first = plan.datasets[kind].seeds[0];
    assert(subset.some((c) => c.dataset.kind === kind), kind);
    assert(subset.every((c) => c.dataset.kind !== kind || c.seed === first), kind);
  }
});

Deno.test("compareWithRecord: another OpenBLAS kernel set is another environment; a record without one is not", () => {
  const haswell = { ...here, blasKernels: "9b2841e5" };
  const skylake = { ...here, blasKernels: "031787c5" };
  const across = compareWithRecord("k", result(0.3, haswell), result(0.302, skylake));
  assertEquals([across.status, across.sameEnvironment], ["within tolerance", false]);
  const same = compareWithRecord("k", result(0.3, haswell), result(0.302, haswell));
  assertEquals([same.status, same.sameEnvironment], ["differs", true]);
  // Records made before the kernel set was recorded: judged on backend, threads and architecture.
  const older = compareWithRecord("k", result(0.3, here), result(0.302, skylake));
  assertEquals([older.status, older.sameEnvironment], ["differs", true]);
});

Deno.test("compareWithRecord: a rerun on tfjs's own kernels is another environment than a record made with OpenBLAS", () => {
  // A rerun names its kernel set whenever OpenBLAS ran its products: without one, tfjs's ran.
  const haswell = { ...here, blasKernels: "9b2841e5" };
  const stock = compareWithRecord("k", result(0.3, haswell), result(0.302, here));
  assertEquals([stock.status, stock.sameEnvironment], ["within tolerance", false]);
});

Deno.test("compareWithRecord: without a record, no difference and no environment to share", () => {
  // scripts/reproduce.ts prints maxDifference and "(other environment)" for every check: a cell
  // without a record must not read as a difference of 0 or as the record's environment.
  const none = compareWithRecord("k", undefined, result(0.3));
  assertEquals(none.key, "k");
  assert(Number.isNaN(none.maxDifference), `maxDifference ${none.maxDifference}`);
  assertEquals(none.sameEnvironment, false);
});

Deno.test("compareWithRecord: in the same environment one ulp apart is no longer identical", () => {
  // Bit-identical means equal: a rounding-sized drift in the same environment is a change of the
  // numerics, the thing the check exists to catch.
  const next = 0.3 + Number.EPSILON / 4;
  assert(next !== 0.3, "the fixture differs by one ulp");
  const drift = compareWithRecord("k", result(0.3), result(next));
  assertEquals([drift.status, drift.sameEnvironment], ["differs", true]);
});

Deno.test("RERUN_TOLERANCE: the tolerance the README promises a rerun elsewhere", () => {
  // The README tells a reader what a rerun in another environment must meet; the check must
  // apply that number, not another.
  const readme = Deno.readTextFileSync(new URL("../../README.md", import.meta.url))
    .replace(/\s+/g, " ");
  assertStringIncludes(readme, `a rerun passes within ${RERUN_TOLERANCE} on every metric`);
  assertEquals(RERUN_TOLERANCE, 0.005);
});

Deno.test("verificationSubset: the first seed as the plan lists them, not the smallest", () => {
  // A plan of seeds [5, 1] lists seed 5 first: the subset reruns the cells of seed 5.
  const plan = planExperiments("full", [5, 1]);
  const seeds = new Set(verificationSubset(plan).map((cell) => cell.seed));
  assertEquals([...seeds], [5]);
});

Deno.test("compareWithRecord: a rerun bit-identical in another environment is identical, not within tolerance", () => {
  // Found by mutation round NF (NF02): the status reads the numbers first; the environment only
  // decides whether a non-zero difference may pass.
  const elsewhere = compareWithRecord("k", result(0.3), result(0.3, { ...here, blasThreads: 2 }));
  assertEquals(
    [elsewhere.status, elsewhere.sameEnvironment, elsewhere.maxDifference],
    ["identical", false, 0],
  );
});

Deno.test("compareWithRecord: a metric only the rerun has is not compared; the record's metrics decide", () => {
  // Found by mutation round NF (NF03): a metric added since a record was made must not turn its
  // rerun into "differs" (the record holds nothing to compare it with).
  const rerun = result(0.3);
  const extended = { ...rerun, test: { ...rerun.test, "MRR@10": 0.1 } };
  const check = compareWithRecord("k", result(0.3), extended);
  assertEquals([check.status, check.maxDifference], ["identical", 0]);
});

Deno.test("compareWithRecord: the OS and the Deno version are no part of the environment", () => {
  // Found by mutation round NF (NF04, NF05): the environment is backend, BLAS threads,
  // architecture and kernel set; a rerun on another OS or Deno release must still be bit-identical.
  for (const other of [{ ...here, os: "darwin" }, { ...here, deno: "2.9.9" }]) {
    const check = compareWithRecord("k", result(0.3), result(0.302, other));
    assertEquals([check.status, check.sameEnvironment], ["differs", true], JSON.stringify(other));
  }
});

Deno.test("compareWithRecord: a check with a record carries the cell's key", () => {
  // Found by mutation round NF (NF06): scripts/reproduce.ts prints each check under its key.
  const key = "full/Synthetic/SASRec-MM/seed=0";
  assertEquals(compareWithRecord(key, result(0.3), result(0.31)).key, key);
  assertEquals(compareWithRecord(key, result(0.3), result(0.3)).key, key);
});
