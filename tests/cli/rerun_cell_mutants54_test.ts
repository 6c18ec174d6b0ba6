/**
 * scripts/rerun_cell.ts's comparison line names the record's test NDCG@10 as `recorded` and the
 * rerun's as `rerun`: mutation round mu54c found them swappable unseen (the verdict tests read
 * `status` and the exit status only, which a swap leaves alone).
 */
import { assertEquals } from "@std/assert";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import { runScript } from "./_run_script.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The cheap quick cell tests/cli/rerun_cell_gaps_test.ts reruns too. */
const RECORD = `${root}${RECORDS_DIR.quick}/cells/` +
  "quick__Synthetic__historyLength=15__numItems=120__numUsers=160__Demure-SASRec__trial=0__seed=0.json";

Deno.test("rerun_cell: the line's recorded NDCG@10 is the file's, its rerun NDCG@10 the rerun's", async () => {
  const record = JSON.parse(Deno.readTextFileSync(RECORD)) as { result: CellResult };
  const recordedNdcg = record.result.test["NDCG@10"] + 0.5;
  const folder = await Deno.makeTempDir({ prefix: "rerun_cell_fields_mu54c_" });
  try {
    // The record with its test NDCG@10 moved: the rerun (deterministic, the record's backend and
    // threads) computes the record's own value again.
    const path = `${folder}/moved.json`;
    const result = { ...record.result, test: { ...record.result.test, "NDCG@10": recordedNdcg } };
    Deno.writeTextFileSync(path, JSON.stringify({ ...record, result }, null, 1));
    const { environment } = record.result;
    const run = await runScript("scripts/rerun_cell.ts", [path], ["-A"], {
      DEMURE_BLAS_THREADS: String(environment.blasThreads),
      DEMURE_BACKEND: environment.backend,
    });
    const check = JSON.parse(run.stdout.trim().split("\n")[0]);
    assertEquals(
      [run.code, check.status, check.recorded, check.rerun],
      [1, "differs", recordedNdcg, record.result.test["NDCG@10"]],
      run.stderr,
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
