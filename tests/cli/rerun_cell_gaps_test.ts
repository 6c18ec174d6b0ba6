/**
 * scripts/rerun_cell.ts's verdict and `--write`, on copies of the quick record of record: a rerun
 * within tolerance of its record (another environment) passes, one that differs fails, and
 * `--write` replaces the stored result by the rerun's and keeps the key and settings. Found by
 * mutation round FA (FA27, FA28, FA31, FA34, FA35): the only rerun a test made was bit-identical,
 * of a seed-0 record not scored for attribution, and none wrote.
 */
import { assert, assertEquals } from "@std/assert";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import { runScript } from "./_run_script.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The cheap quick cell tests/experiments/reproducibility_test.ts reruns too. */
const RECORD = `${root}${RECORDS_DIR.quick}/cells/` +
  "quick__Synthetic__historyLength=15__numItems=120__numUsers=160__Demure-SASRec__trial=0__seed=0.json";

interface Stored {
  key: string;
  settings: Record<string, unknown>;
  result: CellResult;
}

/** `rerun_cell.ts ...args` in a subprocess with the record's backend and thread count. */
function rerunCell(args: string[], record: Stored) {
  const { environment } = record.result;
  return runScript("scripts/rerun_cell.ts", args, ["-A"], {
    DEMURE_BLAS_THREADS: String(environment.blasThreads),
    DEMURE_BACKEND: environment.backend,
  });
}

Deno.test("rerun_cell: within tolerance exits 0, differs exits 1, --write stores the rerun's result", async () => {
  const record = JSON.parse(Deno.readTextFileSync(RECORD)) as Stored;
  const folder = await Deno.makeTempDir({ prefix: "rerun_cell_verdict_" });
  try {
    /** A copy of the record made on another architecture, its test NDCG@10 moved by `by`. */
    const copy = (name: string, by: number, settings = record.settings) => {
      const path = `${folder}/${name}.json`;
      const result = {
        ...record.result,
        environment: { ...record.result.environment, arch: "elsewhere" },
        test: { ...record.result.test, "NDCG@10": record.result.test["NDCG@10"] + by },
      };
      Deno.writeTextFileSync(path, JSON.stringify({ ...record, settings, result }, null, 1));
      return path;
    };
    const near = copy("near", 1e-4);
    const far = copy("far", 0.5);
    // Scored for attribution, which the record is not: the rerun reads the file's setting (FA31).
    const scored = { ...record.settings, scoreAttribution: true };
    const written = copy("written", 0.5, scored);
    // The record's metrics under another seed: the rerun trains with the file's seed (FA34), and
    // seed 1 draws other metrics than the record's seed 0.
    const reseeded = copy("reseeded", 0, { ...record.settings, seed: record.result.seed + 1 });
    const [nearRun, farRun, writeRun, reseededRun] = await Promise.all([
      rerunCell([near], record),
      rerunCell([far], record),
      rerunCell(["--write", written], record),
      rerunCell([reseeded], record),
    ]);
    const check = (run: { stdout: string }) => JSON.parse(run.stdout.trim().split("\n")[0]);
    assertEquals([nearRun.code, check(nearRun).status], [0, "within tolerance"], nearRun.stderr);
    assertEquals([farRun.code, check(farRun).status], [1, "differs"], farRun.stderr);
    // --write: the check first, then the file replaced by the rerun's result (the record's
    // metrics, the record's environment), with the key and settings it had.
    assertEquals([writeRun.code, check(writeRun).status], [0, "differs"], writeRun.stderr);
    assertEquals(writeRun.stdout.trim().split("\n")[1], `wrote ${written}`);
    const stored = JSON.parse(Deno.readTextFileSync(written)) as Stored;
    assertEquals([stored.key, stored.settings], [record.key, scored]);
    assert(stored.result.attribution !== undefined, "scored for attribution");
    assertEquals(record.result.attribution, undefined);
    // Everything the rerun computes from the settings (not its timings, provenance text or
    // environment): as the record has it (FA35).
    const computed = (result: CellResult) => {
      const { system, dataset, seed, valid, test, users, bestEpoch, epochsRun } = result;
      return { system, dataset, seed, valid, test, users, bestEpoch, epochsRun };
    };
    assertEquals(computed(stored.result), computed(record.result));
    assertEquals(stored.result.environment.arch, record.result.environment.arch);
    assertEquals([reseededRun.code, check(reseededRun).status], [1, "differs"], reseededRun.stderr);
    assert(!Deno.readTextFileSync(far).includes(`"arch": "${record.result.environment.arch}"`));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
