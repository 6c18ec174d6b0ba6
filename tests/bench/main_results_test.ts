/**
 * bench/_main_results.ts, which the selection-budget and denoising-choice checks read their rows
 * from: the main-table cells of one system on one dataset, by seed, from the stored results; a
 * cell that has not finished is an error naming it, never a row silently left out.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { finishedCells, planOfResults } from "../../lib/experiments/mod.ts";
import { mainResults, mainTests } from "../../bench/_main_results.ts";
import { RECORDS_FOLDER } from "../../bench/_workloads.ts";

const records = planOfResults("full", RECORDS_FOLDER);
const stored = finishedCells(records, RECORDS_FOLDER);
const keyOf = (seed: number) => `full/MovieLens/Demure-SASRec/seed=${seed}`;

Deno.test("mainResults: the main-table cells of one system on one dataset, by seed", () => {
  const results = mainResults(records, stored, "MovieLens", "Demure-SASRec");
  assertEquals([...results.keys()], [0, 1, 2, 3, 4]);
  for (const [seed, result] of results) assert(result === stored.get(keyOf(seed)), keyOf(seed));
  // The test NDCG@10 of each seed, not the validation's.
  const tests = mainTests(records, stored, "MovieLens", "Demure-SASRec");
  assertEquals([...tests], [...results].map(([seed, r]) => [seed, r.test["NDCG@10"]]));
  assertEquals(
    [...tests.values()].some((ndcg, i) => ndcg !== results.get(i)!.valid["NDCG@10"]),
    true,
  );
  // Another dataset's label, another system: their own cells.
  const synthetic = mainResults(records, stored, "Synthetic", "Demure-SASRec").get(0);
  assert(
    synthetic !== undefined && synthetic === stored.get("full/Synthetic/Demure-SASRec/seed=0"),
  );
  assertEquals(mainResults(records, stored, "MovieLens", "SASRec-MM").size, 5);
});

Deno.test("mainResults: a cell outside the main table is not a row, even under the system's name", () => {
  // Seed 4 taken out of the main table (kept in the ablation only).
  const plan = {
    ...records,
    cells: records.cells.map((cell) =>
      cell.key === keyOf(4)
        ? { ...cell, experiments: cell.experiments.filter((e) => e !== "main") }
        : cell
    ),
  };
  assertEquals([...mainResults(plan, stored, "MovieLens", "Demure-SASRec").keys()], [0, 1, 2, 3]);
});

Deno.test("mainResults: a main-table cell without a result is an error naming it", () => {
  const partial = new Map(stored);
  partial.delete(keyOf(3));
  assertThrows(
    () => mainTests(records, partial, "MovieLens", "Demure-SASRec"),
    Error,
    `${keyOf(3)}: not finished (run this check again)`,
  );
});

// Mutation round ID: rows keyed by the cell's own seed, and a dataset's label matched whole.

Deno.test("mainResults: each row is keyed by its cell's seed, not by its place among the rows", () => {
  // Seed 0 taken out of the main table: the rows are seeds 1..4, each its own seed's result.
  const plan = {
    ...records,
    cells: records.cells.map((cell) =>
      cell.key === keyOf(0) ? { ...cell, experiments: [] as typeof cell.experiments } : cell
    ),
  };
  const results = mainResults(plan, stored, "MovieLens", "Demure-SASRec");
  assertEquals([...results.keys()], [1, 2, 3, 4]);
  for (const [seed, result] of results) assert(result === stored.get(keyOf(seed)), keyOf(seed));
});

Deno.test("mainResults: a variant of the dataset (Synthetic(noiseFraction=0.25)) is not its rows", () => {
  // The noise-level variant's cells put in the main table: still not Synthetic's rows.
  const variant = "full/Synthetic(noiseFraction=0.25)/Demure-SASRec/seed=0";
  const plan = {
    ...records,
    cells: records.cells.map((cell) =>
      cell.key === variant ? { ...cell, experiments: [...cell.experiments, "main" as const] } : cell
    ),
  };
  assert(stored.has(variant));
  const synthetic = mainResults(plan, stored, "Synthetic", "Demure-SASRec");
  assertEquals(synthetic.size, 5);
  assert(synthetic.get(0) === stored.get("full/Synthetic/Demure-SASRec/seed=0"));
});
