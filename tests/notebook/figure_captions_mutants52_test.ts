/**
 * Wording of the figure captions (lib/notebook/figure_captions.ts) that a hand mutation round
 * (session 52, mu52c) changed without any test noticing. Each test names the mutant it kills.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  attributedBatchCaption,
  attributionBarsCaption,
  attributionTableCaption,
  sensitivityCaption,
  systemsBarsCaption,
  systemsTableCaption,
} from "../../lib/notebook/mod.ts";
import { finishedRun } from "../experiments/_finished_run.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { cycleDataset } from "../models/_fixtures.ts";
import {
  attributionRow,
  lambdaCurve,
  meanOver,
  seedsRow,
  sensitivityPoint,
} from "./_summary_rows.ts";

const row = (system: string, seeds: number[]) =>
  seedsRow(system, seeds, ["NDCG@10", "HR@10", "MRR"]);

// Mutants of listText: `names.length <= 1` -> `< 1` (one metric read " and NDCG@10"), and the
// names before the last joined by " and " instead of ", ".
Deno.test("systemsBarsCaption: one metric is named alone; three read 'A, B and C'", () => {
  const rows = [row("Pop", [0, 1])];
  const results = [finishedRun("Pop", 0), finishedRun("Pop", 1)];
  assertStringIncludes(
    systemsBarsCaption(rows, results, ["NDCG@10"]),
    "Test NDCG@10 on MovieLens:",
  );
  assertStringIncludes(
    systemsBarsCaption(rows, results, ["NDCG@10", "HR@10", "MRR"]),
    "Test NDCG@10, HR@10 and MRR on MovieLens:",
  );
});

// Mutants: `&& systems.has(result.system)` left out of the results a systems caption reads.
Deno.test("systemsBarsCaption and systemsTableCaption: the protocol is of the rows' systems, another system's runs left out", () => {
  const rows = [row("Pop", [0])];
  // A run of another system on the same dataset, at another seed, with a loss: not the rows'.
  const results = [finishedRun("Pop", 0), finishedRun("SASRec-MM", 1)];
  for (
    const caption of [
      systemsBarsCaption(rows, results, ["NDCG@10"]),
      systemsTableCaption(rows, results),
    ]
  ) {
    assertStringIncludes(caption, "Loss: Pop is not trained (no loss). Ranking:");
    assertStringIncludes(caption, "Seed 0: one run per number");
    assert(!caption.includes("SASRec-MM") && !caption.includes("Seeds 0, 1"), caption);
  }
});

// Mutant: `shows === undefined ? "" : `${shows}. `` -> `shows ?? ""` in systemsTableCaption.
Deno.test("systemsTableCaption: what the table shows is a sentence of its own before the rest", () => {
  const rows = [row("Pop", [0])];
  const caption = systemsTableCaption(rows, [finishedRun("Pop", 0)], "The main table");
  assertEquals(
    caption.startsWith("The main table. Test metrics on MovieLens, each"),
    true,
    caption,
  );
  assertEquals(
    systemsTableCaption(rows, [finishedRun("Pop", 0)]).startsWith("Test metrics on MovieLens"),
    true,
  );
});

// Mutant: the protocol of a sensitivity curve read from its first point's runs alone.
Deno.test("sensitivityCaption: the protocol's seeds are those of every point's runs", () => {
  const point = (value: number, seeds: number[]) =>
    sensitivityPoint(value, seeds, value === 0.02, meanOver(0.1, seeds.length));
  const curve = lambdaCurve([point(0.005, [0]), point(0.02, [1, 2])]);
  assertStringIncludes(sensitivityCaption(curve), "Seeds 0, 1, 2: each number");
});

// Mutant: `result.system === system &&` left out of the runs an attribution caption reads.
Deno.test("attribution captions: the protocol is of the attributed system's runs, another system's left out", () => {
  const rows = [attributionRow("gradient_x_input", [0], meanOver(0.7))];
  // Pop at the same seed on the same data: no loss, where SASRec-MM's card names L_rec.
  const results = [finishedRun("SASRec-MM", 0), finishedRun("Pop", 0)];
  for (
    const caption of [
      attributionBarsCaption(rows, "MovieLens", results),
      attributionTableCaption(rows, "MovieLens", results),
    ]
  ) {
    assert(!caption.includes("Pop"), caption);
  }
});

// Mutant: `epochs === 1 ? "" : "s"` -> `""` in attributedBatchCaption (the tests had one epoch).
Deno.test("attributedBatchCaption: several epochs read in the plural", () => {
  const caption = attributedBatchCaption({
    system: "SASRec-MM",
    dataset: "Synthetic",
    seed: 3,
    epochs: 10,
    batchSize: 16,
    method: "gradient_x_input",
    split: leaveOneOutSplit(cycleDataset(4, 6, 5)),
    training: { maxEpochs: 10 },
  });
  assertStringIncludes(caption, "SASRec-MM on Synthetic, trained 10 epochs at seed 3 (briefly");
});
