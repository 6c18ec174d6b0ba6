/**
 * The pure parts of bench/denoising_choice_check.ts: its options (the default results folder,
 * `--help` running nothing) and its console lines (signs, seed lists, which seeds are whose).
 * Found by mutation round HB: none of them was pinned.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  checkedOptions,
  type ChoiceRow,
  rowLines,
  signed,
} from "../../bench/denoising_choice_check.ts";

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
