/**
 * The pure parts of bench/denoising_choice_check.ts: its options (the default results folder,
 * `--help` running nothing), its console lines (signs, seed lists, which seeds are whose)
 * and the row it sets against the records. Found by mutation round HB: none of them was pinned.
 */
import { assertAlmostEquals, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type {
  CellResult,
  ExperimentPlan,
  PlannedCell,
  SelectedConfiguration,
} from "../../lib/experiments/mod.ts";
import {
  type BackboneWeightsSelection,
  backboneWeightsSelection,
  checkedOptions,
  type ChoiceRow,
  choiceRow,
  rowLines,
  signed,
  USAGE,
} from "../../bench/denoising_choice_check.ts";

Deno.test("denoising_choice_check: --help states the folder the parser takes by default", () => {
  assertStringIncludes(USAGE, `where the cells go (default ${checkedOptions([])!.resultsDir})`);
});

Deno.test("denoising_choice_check's options: the default folder, --out as given, --help runs nothing", () => {
  assertEquals(checkedOptions([]), { resultsDir: "results/denoising-choice", out: undefined });
  assertEquals(checkedOptions(["--results=results/x", "--out=o.json"]), {
    resultsDir: "results/x",
    out: "o.json",
  });
  // --help is undefined before the folder is checked: a file there is no error with --help.
  assertEquals(checkedOptions(["--help", "--results=README.md"]), undefined);
  assertEquals(checkedOptions(["-h"]), undefined);
  assertThrows(
    () => checkedOptions(["--results=README.md"]),
    Error,
    "--results README.md: not a folder",
  );
});

Deno.test("denoising_choice_check's signed difference: a plus on zero and above, none below", () => {
  assertEquals(signed(0), "+0.0000");
  assertEquals(signed(0.01234), "+0.0123");
  assertEquals(signed(-0.01234), "-0.0123");
});

/** A row whose every number and seed list tells where it was printed. */
function row(recordsSeeds: number[], denoisingSeeds: number[]): ChoiceRow {
  return {
    dataset: "MovieLens",
    system: "Demure-SASRec",
    backbone: "SASRec",
    trials: [],
    recordsChoice: 3,
    denoisingChoice: 5,
    seeds: [1, 2],
    denoising: { mean: 0.1, std: 0.01, n: 2 },
    records: { mean: 0.2, std: 0.02, n: 2 },
    backboneRow: { mean: 0.3, std: 0.03, n: 2 },
    backboneWeightSeeds: { records: recordsSeeds, denoising: denoisingSeeds },
    againstRecords: { meanDifference: -0.1, pValue: 0.0123 },
    againstBackbone: { meanDifference: 0.2, pValue: 0.456 },
  };
}

Deno.test("denoising_choice_check's row lines: each trial with its own numbers and backbone-weights seeds", () => {
  assertEquals(
    rowLines(row([1, 2], [2])),
    "\nMovieLens Demure-SASRec (seeds 1, 2), test NDCG@10: trial 5 0.1000 ± 0.0100 " +
      "(backbone's weights at seeds 2); records' trial 3 0.2000 ± 0.0200 (backbone's weights at " +
      "seeds 1, 2); SASRec 0.3000 ± 0.0300.\n  against the records' row -0.1000 (by seed p = 0.012); " +
      "against SASRec +0.2000 (by seed p = 0.46)",
  );
  const none = rowLines(row([], []));
  assertStringIncludes(none, "trial 5 0.1000 ± 0.0100 (backbone's weights at seeds none)");
  assertStringIncludes(none, "trial 3 0.2000 ± 0.0200 (backbone's weights at seeds none)");
});

/** A main-table or trial result: its test and validation NDCG@10, Demure's or not, best epoch. */
function result(test: number, valid: number, demure: boolean, bestEpoch = 5): CellResult {
  return {
    test: { "NDCG@10": test },
    valid: { "NDCG@10": valid },
    bestEpoch,
    // Epochs 1..2 are the warm-up: a best epoch there is the backbone's weights.
    demure: demure ? { warmupEndedAfterEpoch: 2, attributed: 1, reused: 0, random: 0 } : undefined,
  } as unknown as CellResult;
}

Deno.test("denoising_choice_check's row: the new choice's seeds, each row's own tests and backbone-weights seeds", () => {
  const trials = [0, 1].map((index) => ({ key: `t${index}`, trial: { index } }) as PlannedCell);
  const stored = new Map([["t0", result(0.5, 0.3, true, 1)], ["t1", result(0.6, 0.2, true)]]);
  const selection: BackboneWeightsSelection = {
    dataset: "MovieLens",
    system: "Demure-SASRec",
    backbone: "SASRec",
    trials,
    recordsChoice: 0,
  };
  const fresh = new Map([[1, result(0.3, 0, true, 1)], [2, result(0.5, 0, true)]]);
  // The records hold a seed the check did not run: it is no part of the row.
  const recorded = new Map([
    [1, result(0.2, 0, true, 1)],
    [2, result(0.2, 0, true, 2)],
    [3, result(0.9, 0, true)],
  ]);
  const backboneRow = new Map([[1, result(0.1, 0, false)], [2, result(0.7, 0, false)]]);
  const row = choiceRow(selection, stored, 1, { fresh, recorded, backboneRow });
  assertEquals(row.trials, [
    { trial: 0, valid: 0.3, backboneWeights: true },
    { trial: 1, valid: 0.2, backboneWeights: false },
  ]);
  assertEquals([row.recordsChoice, row.denoisingChoice, row.seeds], [0, 1, [1, 2]]);
  assertEquals(row.backboneWeightSeeds, { records: [1, 2], denoising: [1] });
  assertAlmostEquals(row.denoising.mean, 0.4);
  assertAlmostEquals(row.records.mean, 0.2);
  assertAlmostEquals(row.backboneRow.mean, 0.4);
  assertAlmostEquals(row.againstRecords.meanDifference, 0.2);
  assertAlmostEquals(row.againstBackbone.meanDifference, 0);
});

Deno.test("denoising_choice_check takes the Demure selections whose chosen trial ended with the backbone's weights", () => {
  // Trials of two selections and of another dataset, each key naming its cell.
  const cell = (selection: string, index: number) =>
    ({ key: `${selection}#${index}`, trial: { selection, index } }) as PlannedCell;
  const ml = "MovieLens/Demure-SASRec";
  const records = {
    cells: [
      cell(ml, 0),
      cell("Beauty/Demure-SASRec", 0),
      cell(ml, 1),
      cell("MovieLens/SASRec-MM", 0),
    ],
  } as unknown as ExperimentPlan;
  const stored = new Map([
    [`${ml}#0`, result(0.5, 0.3, true)],
    [`${ml}#1`, result(0.5, 0.4, true, 1)],
    ["Beauty/Demure-SASRec#0", result(0.5, 0.3, true, 1)],
    ["MovieLens/SASRec-MM#0", result(0.5, 0.3, false)],
  ]);
  const choice = (trial: number) => ({ trial }) as SelectedConfiguration;
  const selection = backboneWeightsSelection(
    records,
    stored,
    "MovieLens",
    "Demure-SASRec",
    choice(1),
  );
  assertEquals(selection, {
    dataset: "MovieLens",
    system: "Demure-SASRec",
    backbone: "SASRec-MM",
    trials: [records.cells[0], records.cells[2]],
    recordsChoice: 1,
  });
  // A chosen trial that denoised, and a system that inherits from no backbone: nothing to check.
  assertEquals(
    backboneWeightsSelection(records, stored, "MovieLens", "Demure-SASRec", choice(0)),
    undefined,
  );
  assertEquals(
    backboneWeightsSelection(records, stored, "MovieLens", "SASRec-MM", choice(0)),
    undefined,
  );
});
