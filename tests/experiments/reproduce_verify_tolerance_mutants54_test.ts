/**
 * The verification of the records (`deno task reproduce` in a folder of records) on a rerun within
 * tolerance of a record from another environment: its line says "within tolerance (other
 * environment)", it counts as a match and the run exits 0. The tests of the verification all had
 * reruns that differ from their records, so a verification that printed no "(other
 * environment)", or counted a rerun within tolerance as a mismatch (exit 1), passed them
 * (mutation round 54, scripts/reproduce.ts:599 and :605).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { recordResultsPlan } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { RERUN_TOLERANCE } from "../../lib/experiments/verify.ts";
import { RUN_FOLDERS } from "../../scripts/reproduce_options.ts";
import { storedCellResult } from "./_cell_result.ts";
import { reproduceIn } from "./_reproduce_in.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("the verification: a rerun within tolerance of a record of another environment is said so and matches, exit 0", async () => {
  const plan = planExperiments("full");
  const cell = plan.cells.find((c) => c.key === "full/Synthetic/Pop/seed=0")!;
  const cwd = await Deno.makeTempDir({ prefix: "records_tolerance_" });
  try {
    const records = new ResultStore(cellsDirectory(`${cwd}/results-of-record/full`));
    recordResultsPlan(plan, `${cwd}/results-of-record/full`);
    await Deno.copyFile(`${root}README.md`, `${cwd}/README.md`);
    const verify = () =>
      reproduceIn(cwd, ["--workers=1"], { denoFlags: ["--config", `${root}deno.json`] });
    // A first verification against a record of other metrics: it leaves the rerun's own.
    records.put(cell.key, settingsOf(plan, cell), storedCellResult());
    const first = await verify();
    assertEquals(first.code, 1, first.stderr);
    const rerun = new ResultStore(cellsDirectory(`${cwd}/${RUN_FOLDERS.verify}`))
      .get<CellResult>(cell.key, settingsOf(plan, cell))!;
    // The record: the rerun's test NDCG@10, its validation NDCG@10 off by half the tolerance, and
    // no environment (so not the rerun's).
    const valid = rerun.valid["NDCG@10"] + RERUN_TOLERANCE / 2;
    records.put(cell.key, settingsOf(plan, cell), storedCellResult(valid, rerun.test["NDCG@10"]));
    const { code, stdout, stderr } = await verify();
    assertEquals(code, 0, `${stdout}\n${stderr}`);
    assertStringIncludes(stdout, `\n${cell.key} | within tolerance (other environment) | `);
    assertStringIncludes(
      stdout,
      "\n1 of 1 reruns match their records (0 bit-identical); 0 without a record\n",
    );
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
