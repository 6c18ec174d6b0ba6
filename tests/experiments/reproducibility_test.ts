/**
 * Committed results of record reproduce: each cell below is re-run from the settings stored in its
 * file, in a subprocess with the record's backend and BLAS thread count (and the default OpenBLAS
 * kernel set, the records'), and its metrics must equal the committed ones bit for bit (training is
 * deterministic for a seed on one backend, thread count and kernel set). After a deliberate change
 * of the numerics, regenerate a record with
 * `DEMURE_BLAS_THREADS=1 deno run -A scripts/rerun_cell.ts --write <the record>`.
 */
import { assert, assertEquals } from "@std/assert";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

/** Reruns the record at `path` (from the project root) and returns scripts/rerun_cell.ts's check. */
async function rerunRecord(path: string) {
  const root = new URL("../../", import.meta.url).pathname;
  const record = JSON.parse(Deno.readTextFileSync(`${root}${path}`)) as { result: CellResult };
  const { environment } = record.result;
  const inherited = { ...Deno.env.toObject() };
  // The default kernel choice, whatever the shell running the tests asked for.
  delete inherited.OPENBLAS_CORETYPE;
  delete inherited.DEMURE_BLAS_KERNELS;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/rerun_cell.ts", path],
    cwd: root,
    clearEnv: true,
    env: {
      ...inherited,
      DEMURE_BLAS_THREADS: String(environment.blasThreads),
      DEMURE_BACKEND: environment.backend,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert(output.success, `${stdout}\n${new TextDecoder().decode(output.stderr)}`);
  return { stdout, check: JSON.parse(stdout.trim().split("\n").at(-1)!) };
}

/** A cheap synthetic quick cell, Demure-SASRec: the attribution and contrastive views run. */
const QUICK_RECORD = `${RECORDS_DIR.quick}/cells/` +
  "quick__Synthetic__historyLength=15__numItems=120__numUsers=160__Demure-SASRec__trial=0__seed=0.json";

Deno.test("a committed cell re-runs to bit-identical metrics (same backend and threads)", async () => {
  const { stdout, check } = await rerunRecord(QUICK_RECORD);
  assertEquals(check.sameEnvironment, true);
  assertEquals(check.status, "identical", stdout);
  assertEquals(check.maxDifference, 0);
});

/**
 * A cell of the full grid (200-epoch cap, early stopped after 29 epochs, ~35 s): the cheapest one
 * whose bits depend on the OpenBLAS kernel set. On an AVX-512 machine where OpenBLAS picks its own
 * (Cooperlake) kernels, this rerun differed from the record by 1.7e-3 in a validation metric
 * (2026-12-05); with the records' kernels (lib/backend/blas_kernels.ts) it is bit-identical.
 */
const FULL_RECORD = `${RECORDS_DIR.full}/cells/` +
  "full__Synthetic__noiseFraction=0.75__SASRec-MM__seed=0.json";

Deno.test("a full-grid cell re-runs to bit-identical metrics (the records' OpenBLAS kernels)", async () => {
  const { stdout, check } = await rerunRecord(FULL_RECORD);
  assertEquals([check.status, check.maxDifference], ["identical", 0], stdout);
});
