/**
 * The figure captions of notebooks 02-06, worded from the records: the split and ranking protocol
 * of the results drawn, the seeds behind each mean and error bar, the epoch whose weights are
 * tested, the selected value of a sweep, the model and users an explanation rests on. Results of
 * two protocols, or a record without one, are refused rather than captioned with one protocol.
 * And every figure the notebooks 02-06 display carries a caption.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { TrainedCellModel } from "../../lib/experiments/cell_model.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import {
  attributedBatchCaption,
  attributionBarsCaption,
  evaluationProtocolText,
  explainedModelCaption,
  seedsText,
  sensitivityCaption,
  systemsBarsCaption,
  trainingRunCaption,
} from "../../lib/notebook/mod.ts";
import { storedCellResult } from "../experiments/_cell_result.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { cycleDataset } from "../models/_fixtures.ts";
import { finishedRun, RECORD_LOSS } from "../experiments/_finished_run.ts";
import { attributionRow, lambdaCurve, seedsRow, sensitivityPoint } from "./_summary_rows.ts";

const LOO = "leave-one-out by time: last item test, second-to-last validation, rest training";
/** A split made by the library (its protocol lines in today's wording) of 4 users, 6 items. */
const SPLIT = leaveOneOutSplit(cycleDataset(4, 6, 5));

function result(
  system: string,
  seed: number,
  { dataset = "MovieLens", ranking = "history_excluded", split = LOO } = {},
): CellResult {
  return {
    ...storedCellResult(),
    system,
    dataset,
    seed,
    bestEpoch: 7 + seed,
    epochsRun: 12 + seed,
    maxEpochs: 200,
    protocol: {
      model: system,
      dataset: "d",
      split: ["dataset d", "5-core filtering", split],
      loss: system === "Pop" ? "none" : RECORD_LOSS,
      ranking: `full ranking over all 100 items, history items ${
        ranking === "history_excluded" ? "excluded" : "KEPT as candidates"
      } [${ranking}]`,
      rankingProtocol: ranking,
      stage: "test",
      seed,
    },
  } as CellResult;
}

const row = (system: string, seeds: number[], dataset = "MovieLens") =>
  seedsRow(system, seeds, ["NDCG@10"], dataset);

Deno.test("evaluationProtocolText: the six parts, from the records' cards", () => {
  assertEquals(
    evaluationProtocolText([result("Pop", 0), result("SASRec-MM", 1)]),
    "Protocol. Data: MovieLens (d; 5-core filtering). " +
      `Split: ${LOO}. Loss: L_rec = ${RECORD_LOSS}; Pop is not trained (no loss). ` +
      "Ranking: full ranking over all items of the dataset, history items excluded " +
      "[history_excluded]. Seeds 0, 1: each number a mean ± std over them (sample std; none " +
      "for a single run).",
  );
  assertStringIncludes(
    evaluationProtocolText([result("Pop", 0, { ranking: "history_kept" })]),
    "history items KEPT as candidates [history_kept]",
  );
});

Deno.test("evaluationProtocolText: no results, a record without a protocol, two protocols", () => {
  assertStringIncludes(assertThrows(() => evaluationProtocolText([])).message, "no results");
  const bare = { ...result("Pop", 3), protocol: {} } as CellResult;
  const noSplit = assertThrows(() => evaluationProtocolText([bare])).message;
  assertStringIncludes(noSplit, "Pop on MovieLens, seed 3");
  assertStringIncludes(noSplit, "protocol.split");
  const noRanking = {
    ...result("Pop", 0),
    protocol: { ...result("Pop", 0).protocol, ranking: undefined },
  } as unknown as CellResult;
  assertStringIncludes(
    assertThrows(() => evaluationProtocolText([noRanking])).message,
    "protocol.ranking",
  );
  const mixed =
    assertThrows(() =>
      evaluationProtocolText([result("A", 0), result("B", 0, { ranking: "history_kept" })])
    ).message;
  assertStringIncludes(mixed, "[history_excluded] | full ranking");
  assertStringIncludes(mixed, "[history_kept]");
  const splits =
    assertThrows(() =>
      evaluationProtocolText([result("A", 0), result("B", 0, { split: "leave-one-out: other" })])
    ).message;
  assertStringIncludes(splits, "leave-one-out: other");
});

Deno.test("seedsText: one seed, several seeds", () => {
  assertEquals(seedsText([0]), "seed 0");
  assertEquals(seedsText([0, 1, 4]), "seeds 0, 1, 4");
});

Deno.test("systemsBarsCaption: metrics, dataset, each system's seeds and the protocol of its rows", () => {
  const caption = systemsBarsCaption(
    [row("Pop", [0]), row("SASRec-MM", [0, 1, 2])],
    // A result of another dataset under another ranking is not the rows': it is left out.
    [
      result("Pop", 0),
      result("SASRec-MM", 0),
      result("SASRec-MM", 1),
      result("SASRec-MM", 0, { dataset: "Synthetic", ranking: "history_kept" }),
    ],
    ["NDCG@10", "HR@10"],
  );
  assertStringIncludes(caption, "Test NDCG@10 and HR@10 on MovieLens");
  assertStringIncludes(caption, "(Pop seed 0; SASRec-MM seeds 0, 1, 2)");
  assertStringIncludes(caption, "one standard deviation over them (none for a single run)");
  // Said only where a system has one run: under bars that all have error bars it misleads.
  const allSpread = systemsBarsCaption([row("SASRec-MM", [0, 1])], [result("SASRec-MM", 0)], [
    "NDCG@10",
  ]);
  assertStringIncludes(allSpread, "one standard deviation over them. Protocol.");
  assertStringIncludes(caption, `Split: ${LOO}. Loss: L_rec = ${RECORD_LOSS}`);
  assertStringIncludes(caption, "Ranking: full ranking over all items of the dataset");
  assertStringIncludes(caption, "Seeds 0, 1: each number a mean ± std over them");
  assert(!caption.includes("history_kept"), caption);
});

Deno.test("systemsBarsCaption: rows of two datasets, or no rows, are refused", () => {
  const two =
    assertThrows(() =>
      systemsBarsCaption([row("Pop", [0]), row("Pop", [0], "Synthetic")], [result("Pop", 0)], [
        "NDCG@10",
      ])
    ).message;
  assertStringIncludes(two, "MovieLens, Synthetic");
  assertStringIncludes(
    assertThrows(() => systemsBarsCaption([], [], ["NDCG@10"])).message,
    "got 0",
  );
});

Deno.test("trainingRunCaption: the run, its epochs, the tested epoch and its protocol", () => {
  assertEquals(
    trainingRunCaption(result("SASRec-ID", 2), "Loss of"),
    "Loss of SASRec-ID on MovieLens, seed 2: 14 epochs trained (at most 200); the test uses the " +
      "weights of epoch 9, the best by validation NDCG@10. Protocol. Data: MovieLens (d; 5-core " +
      `filtering). Split: ${LOO}. Loss: L_rec = ${RECORD_LOSS}. Ranking: full ranking over all ` +
      "items of the dataset, history items excluded [history_excluded]. Seed 2: one run per " +
      "number, no mean ± std (no spread over seeds).",
  );
  // A Demure run's record names L_rec alone: from its finished cell the caption names the whole
  // objective; from the bare record it refuses rather than leave the contrastive term out.
  const demure = finishedRun("Demure-SASRec", 0);
  assertStringIncludes(
    trainingRunCaption(demure, "Loss of"),
    `Loss: L_rec = ${RECORD_LOSS}; Demure-SASRec: L_rec, read on the history with the attributed ` +
      "noise (rho 0.3) masked after the warm-up + lambda 0.1 × L_cl, Demure's contrastive InfoNCE",
  );
  assertStringIncludes(
    assertThrows(() => trainingRunCaption(demure.result, "Loss of")).message,
    "Demure-SASRec on MovieLens, seed 0 names L_rec alone",
  );
  // A card that names the whole objective (written since 2026-12-07) is stated as stored, without
  // calling it L_rec.
  const whole = `${RECORD_LOSS} + lambda 0.1 × L_cl, Demure's contrastive InfoNCE (...)`;
  const newCard = {
    ...demure.result,
    protocol: { ...demure.result.protocol, loss: whole },
  } as CellResult;
  const stated = trainingRunCaption(newCard, "Loss of");
  assertStringIncludes(stated, `Loss: Demure-SASRec: ${whole}. Ranking:`);
});

Deno.test("sensitivityCaption: seeds per value, the selected value, the runs' protocol", () => {
  const curve = lambdaCurve([
    sensitivityPoint(0.005, [0, 1, 2], false),
    sensitivityPoint(0.02, [0, 1], true),
    sensitivityPoint(0.1, [0], false),
  ]);
  const caption = sensitivityCaption(curve);
  assertStringIncludes(
    caption,
    "Demure-SASRec's test NDCG@10 on MovieLens at each value of lambda",
  );
  assertStringIncludes(caption, "(0.005: seeds 0, 1, 2; 0.02: seeds 0, 1; 0.1: seed 0)");
  assertStringIncludes(caption, "The ring marks the selected value (0.02)");
  assertStringIncludes(caption, "one standard deviation (none for one seed). The ring");
  const spread = { ...curve, points: curve.points.slice(0, 2) };
  assertStringIncludes(sensitivityCaption(spread), "one standard deviation. The ring");
  assertStringIncludes(caption, `Split: ${LOO}; model input: the most recent 50 items`);
  assertStringIncludes(caption, "Demure-SASRec: L_rec, read on the history with the attributed");
  assertStringIncludes(caption, "Seeds 0, 1, 2: each number a mean ± std over them");
  assertStringIncludes(sensitivityCaption(curve, "test HR@10"), "test HR@10 on MovieLens");
  const none = sensitivityCaption({
    ...curve,
    points: curve.points.map((p) => ({ ...p, selected: false })),
  });
  assertStringIncludes(none, "No point is the selected value.");
  assertStringIncludes(
    assertThrows(() => sensitivityCaption({ ...curve, points: [] })).message,
    "MovieLens curve of lambda has no points",
  );
});

Deno.test("attributionBarsCaption: one seed list when the methods share it, else per method", () => {
  const shared = attributionBarsCaption(
    [attributionRow("gradient_x_input", [1, 2]), attributionRow("occlusion", [1, 2])],
    "Synthetic",
    [1, 2, 3].map((seed) => finishedRun("SASRec-MM", seed, { dataset: "Synthetic" })),
  );
  assertStringIncludes(
    shared,
    "SASRec-MM on Synthetic: each method's ROC-AUC against the planted truth on the test histories",
  );
  assertStringIncludes(shared, "the seeds whose runs were attributed (seeds 1, 2)");
  assertStringIncludes(shared, "one standard deviation over them; 0.5 is chance");
  // The protocol of the attributed runs only: seed 3 was not attributed.
  assertStringIncludes(shared, "Data: Synthetic (");
  assertStringIncludes(shared, "Seeds 1, 2: each number a mean ± std over them");
  const apart = attributionBarsCaption(
    [attributionRow("gradient_x_input", [1, 2]), attributionRow("occlusion", [1])],
    "Synthetic",
    [1, 2].map((seed) => finishedRun("SASRec-MM", seed, { dataset: "Synthetic" })),
  );
  assertStringIncludes(apart, "(gradient × input seeds 1, 2; occlusion seed 1)");
  assertStringIncludes(apart, "over them (none for one seed); 0.5 is chance");
  const two = assertThrows(() =>
    attributionBarsCaption(
      [attributionRow("occlusion", [1]), {
        ...attributionRow("occlusion", [1]),
        system: "Demure-SASRec",
      }],
      "Synthetic",
      [],
    )
  ).message;
  assertStringIncludes(two, "SASRec-MM, Demure-SASRec");
});

Deno.test("explainedModelCaption: the cell's model, its epochs, the attribution and the users", () => {
  const trained = {
    cell: {
      systemName: "Demure-SASRec",
      datasetLabel: "MovieLens",
      seed: 0,
      system: SYSTEMS["Demure-SASRec"],
      training: {},
    },
    data: { split: SPLIT },
    epochs: 44,
    maxEpochs: 200,
  } as unknown as TrainedCellModel;
  const caption = explainedModelCaption(trained, {
    method: "gradient_x_input",
    explain: "recommendation",
    recommendations: new Array(64),
  });
  assertStringIncludes(caption, "Demure-SASRec on MovieLens, seed 0: the weights of its best");
  assertStringIncludes(caption, "(44 epochs trained, at most 200)");
  assertStringIncludes(caption, "gradient × input of the recommended item's loss");
  assertStringIncludes(caption, "the first 64 users of the test split");
  // The split as the library words it today, the whole objective, the ranking behind the
  // recommendation, and one run.
  assertStringIncludes(caption, "Data: MovieLens (cycle-4x6: 4 users, 6 items, 20 interactions");
  assertStringIncludes(caption, `Split: ${LOO}; model input: the most recent 50 items`);
  assertStringIncludes(caption, `Loss: L_rec = ${RECORD_LOSS}; the system's objective: L_rec, `);
  assertStringIncludes(caption, "Ranking: full ranking over all items, the user's history");
  assertStringIncludes(caption, "Seed 0: one run per number, no mean ± std");
  const history = explainedModelCaption(trained, {
    method: "occlusion",
    explain: "history",
    recommendations: new Array(1),
  });
  assertStringIncludes(history, "the history's next-item loss over every position");
  assertStringIncludes(history, "the first 1 user of the test split");
});

Deno.test("attributedBatchCaption: the short run and its batch", () => {
  assertEquals(
    attributedBatchCaption({
      system: "SASRec-MM",
      dataset: "Synthetic",
      seed: 3,
      epochs: 1,
      batchSize: 16,
      method: "gradient_x_input",
      split: SPLIT,
      training: { maxEpochs: 1 },
    }),
    "SASRec-MM on Synthetic, trained 1 epoch at seed 3 (briefly, not a model of the results); " +
      "gradient × input on the training loss of a batch of 16 training histories, shuffled with " +
      "seed 3; one model and one batch (no spread over seeds). Protocol. Data: Synthetic " +
      "(cycle-4x6: 4 users, 6 items, 20 interactions, fingerprint cycle-4-6). Split: " +
      `${LOO}; model input: the most recent 50 items; training reads every 50-item window of ` +
      `the training history. Loss: L_rec = ${RECORD_LOSS}. Ranking: none (nothing is ranked: ` +
      "the training loss of a batch is attributed). Seed 3: one run per number, no mean ± std " +
      "(no spread over seeds).",
  );
});

/** Each `display(...)` call's argument text (balanced parentheses) in a notebook's code cells. */
function displayCalls(notebook: string): string[] {
  const cells = JSON.parse(notebook).cells as { cell_type: string; source: string[] }[];
  const code = cells.filter((cell) => cell.cell_type === "code").map((cell) =>
    cell.source.join("")
  );
  return code.flatMap((source) => {
    const calls: string[] = [];
    for (const match of source.matchAll(/\bdisplay\(/g)) {
      let depth = 0;
      let end = match.index! + "display".length;
      for (; end < source.length; end++) {
        if (source[end] === "(") depth++;
        if (source[end] === ")" && --depth === 0) break;
      }
      calls.push(source.slice(match.index!, end + 1));
    }
    return calls;
  });
}

Deno.test("displayCalls: finds each call whole, nested parentheses included", () => {
  const notebook = JSON.stringify({
    cells: [
      { cell_type: "code", source: ["await display(f(a, g(b)), { caption: c(d) });\n"] },
      { cell_type: "markdown", source: ["display(x)"] },
      { cell_type: "code", source: ["await displayTable(t);\nawait display(h())"] },
    ],
  });
  assertEquals(displayCalls(notebook), [
    "display(f(a, g(b)), { caption: c(d) })",
    "display(h())",
  ]);
});

for (
  const name of [
    "02_baselines",
    "03_demure_step_by_step",
    "04_ablations_sensitivity",
    "05_explanations",
    "06_ground_truth",
  ]
) {
  Deno.test(`notebook ${name}: every figure it displays has a caption`, async () => {
    const notebook = await Deno.readTextFile(
      new URL(`../../notebooks/${name}.ipynb`, import.meta.url),
    );
    const calls = displayCalls(notebook);
    assert(calls.length > 0, `${name} displays no figure`);
    for (const call of calls) assertStringIncludes(call, "caption", `${name}: ${call}`);
  });
}
