/**
 * A committed result of record reproduces: one cheap synthetic cell (quick settings, Demure-SASRec,
 * so the attribution and the contrastive views are exercised) is re-run from the settings stored
 * in its file, in a subprocess with the record's backend and BLAS thread count, and its metrics
 * must equal the committed ones bit for bit (training is deterministic for a seed on one backend
 * and thread count). After a deliberate change of the numerics, regenerate the record with
 * `DEMURE_BLAS_THREADS=1 deno run -A scripts/rerun_cell.ts --write <the record>`.
 */
import { assert, assertEquals } from "@std/assert";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

const RECORD = `${RECORDS_DIR.quick}/cells/` +
  "quick__Synthetic__historyLength=15__numItems=120__numUsers=160__Demure-SASRec__trial=0__seed=0.json";

Deno.test("a committed cell re-runs to bit-identical metrics (same backend and threads)", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const record = JSON.parse(Deno.readTextFileSync(`${root}${RECORD}`)) as { result: CellResult };
  const { environment } = record.result;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/rerun_cell.ts", RECORD],
    cwd: root,
    env: {
      DEMURE_BLAS_THREADS: String(environment.blasThreads),
      DEMURE_BACKEND: environment.backend,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert(output.success, `${stdout}\n${new TextDecoder().decode(output.stderr)}`);
  const check = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assertEquals(check.sameEnvironment, true);
  assertEquals(check.status, "identical", stdout);
  assertEquals(check.maxDifference, 0);
});
