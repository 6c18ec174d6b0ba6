/**
 * `bench/mask_schedule_check.ts`'s option parsing and rows, in-process (mutation round HA): its
 * defaults, the records it chooses and refuses to choose, and how a row sets the rerun against the
 * records. Nothing is trained: the rows are built from made-up results of the recorded cells.
 */
import {
  assertAlmostEquals,
  assertEquals,
  assertStrictEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import {
  type CellPair,
  checkedOptions,
  scheduleRow,
  USAGE,
} from "../../bench/mask_schedule_check.ts";
import type { CellResult } from "../../lib/experiments/mod.ts";

Deno.test("mask_schedule_check: --help states the defaults the parser takes", () => {
  const options = checkedOptions([])!;
  // The datasets and systems as the default run chose them, from its cells' plan keys.
  const parts = (from: number, to: number) =>
    [
      ...new Set(options.chosen.map((cell) => cell.key.split("/").slice(from, to).join("/"))),
    ].join(",");
  const text = USAGE.replace(/\s+/g, " ");
  assertStringIncludes(text, `everyVisits of the rerun (default ${options.visits};`);
  assertStringIncludes(text, `datasets of the records (default ${parts(1, 2)})`);
  assertStringIncludes(text, `separate-pass Demure records (default ${parts(2, -1)})`);
  assertStringIncludes(text, `where the rerun cells go (default ${options.resultsDir})`);
});

Deno.test("mask_schedule_check: the defaults choose the recorded MovieLens cells at everyVisits 2", () => {
  assertStrictEquals(checkedOptions(["--help"]), undefined);
  const options = checkedOptions([])!;
  assertEquals(
    {
      visits: options.visits,
      resultsDir: options.resultsDir,
      out: options.out,
      reportOnly: options.reportOnly,
    },
    { visits: 2, resultsDir: "results/mask-schedule", out: undefined, reportOnly: false },
  );
  assertEquals(
    [...new Set(options.chosen.map((cell) => cell.key.split("/").slice(1, -1).join("/")))],
    ["MovieLens/Demure-SASRec[denoiseInput=flipped]", "MovieLens/AttributionOnly-SASRec"],
  );
  // Each distinct run once: no cell that is the same run as another.
  assertEquals(options.chosen.filter((cell) => cell.sameAs !== undefined), []);
  assertEquals(checkedOptions(["--visits=1000", "--report-only", "--out=x.json"])!.visits, 1000);
  assertEquals(checkedOptions(["--visits=1"])!.visits, 1);
});

Deno.test("mask_schedule_check: a system without a separate-pass record names those there are", () => {
  const error = assertThrows(() => checkedOptions(["--systems=X"]));
  assertEquals(
    error.message,
    "--systems: no separate-pass Demure record X on MovieLens (there are: " +
      "Demure-SASRec/trial=1, Demure-GRU4Rec/trial=1, Demure-SASRec, Demure-GRU4Rec, " +
      "Demure-SASRec[denoiseInput=flipped], Demure-SASRec[granularity=pair], " +
      "Demure-SASRec[noiseViewAsNegative=false], AttributionOnly-SASRec, " +
      "Demure-SASRec[lambda=0.005], Demure-SASRec[lambda=0.1], Demure-SASRec[warmupEpochs=0], " +
      "Demure-SASRec[warmupEpochs=4])",
  );
  // A record of another dataset is not one of the chosen dataset's.
  const synthetic = assertThrows(() =>
    checkedOptions(["--datasets=Synthetic", "--systems=Demure-SASRec[lambda=0.005]"])
  );
  assertStringIncludes(
    synthetic.message,
    "record Demure-SASRec[lambda=0.005] on Synthetic (there are: Demure-SASRec/trial=1, " +
      "Demure-SASRec/trial=2,",
  );
  assertEquals(synthetic.message.includes("lambda=0.005,"), false);
  const twice = assertThrows(() =>
    checkedOptions(["--systems=AttributionOnly-SASRec,AttributionOnly-SASRec"])
  );
  assertEquals(twice.message, '--systems: "AttributionOnly-SASRec" given twice');
});

/** A made-up result: test and validation NDCG@10, masks attributed and reused, an ROC-AUC. */
function result(test: number, valid: number, auc?: number): CellResult {
  return {
    test: { "NDCG@10": test },
    valid: { "NDCG@10": valid },
    bestEpoch: Math.round(test * 100),
    trainSeconds: 60,
    demure: { attributed: 3, reused: 2 },
    ...(auc === undefined ? {} : {
      attribution: [{ method: "gradient_x_input", userModalityRocAuc: auc }],
    }),
  } as unknown as CellResult;
}

Deno.test("mask_schedule_check: a row sets the rerun (checked) against the records, by seed", () => {
  const cells = checkedOptions([])!.chosen.filter((cell) =>
    cell.key.includes("/AttributionOnly-SASRec/")
  );
  const pairs: CellPair[] = cells.slice(0, 3).map((cell, i) => ({
    cell,
    before: result(0.1 + i * 0.01, 0.2, 0.9),
    after: result(0.12 + i * 0.02, 0.3, i === 0 ? undefined : 0.8),
  }));
  const row = scheduleRow("MovieLens/AttributionOnly-SASRec", pairs, 3);
  assertEquals([row.dataset, row.system, row.visits], ["MovieLens", "AttributionOnly-SASRec", 3]);
  assertEquals(row.recordedVisits, 1);
  assertEquals(row.seeds, cells.slice(0, 3).map((cell) => cell.seed));
  assertEquals(row.perSeed[1].test, [0.12 + 0.02, 0.1 + 0.01]); // rerun, then record
  assertEquals(row.perSeed[1].valid, [0.3, 0.2]);
  assertEquals(row.perSeed[0].userModalityRocAuc, undefined); // the rerun scored none
  assertAlmostEquals(row.test.checked.mean, 0.14, 1e-12);
  assertAlmostEquals(row.test.records.mean, 0.11, 1e-12);
  assertAlmostEquals(row.test.meanDifference, 0.03, 1e-12);
  assertEquals(row.test.pValue > 0 && row.test.pValue < 0.05, true);
  assertAlmostEquals(row.valid.checked.mean, 0.3, 1e-12);
  assertEquals(row.userModalityRocAuc?.checked.n, 2);
  assertAlmostEquals(row.userModalityRocAuc!.checked.mean, 0.8, 1e-12);
  assertAlmostEquals(row.userModalityRocAuc!.records.mean, 0.9, 1e-12);
  // Two seeds are enough for the paired t-test.
  const two = scheduleRow("MovieLens/AttributionOnly-SASRec", pairs.slice(0, 2), 3);
  assertEquals(Number.isFinite(two.test.pValue), true);
  assertAlmostEquals(two.test.meanDifference, 0.025, 1e-12);
  // One seed: its difference, and no p-value.
  const one = scheduleRow("MovieLens/AttributionOnly-SASRec", pairs.slice(0, 1), 3);
  assertAlmostEquals(one.test.meanDifference, 0.02, 1e-12);
  assertEquals(Number.isNaN(one.test.pValue), true);
  assertEquals(one.userModalityRocAuc, undefined);
});
