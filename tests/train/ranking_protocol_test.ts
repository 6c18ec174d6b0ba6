import { assertEquals, assertLess } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { parseRankingProtocol, type RankingProtocol } from "../../lib/eval/protocol.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const { split } = await prepareDataset({
  kind: "file",
  path: new URL("../fixtures/byo/tiny.txt", import.meta.url).pathname,
  format: "sequence",
});

Deno.test("validation (early stopping) ranks under the trainer's ranking protocol", async () => {
  const validationOf = async (ranking: RankingProtocol) => {
    const model = new SequentialRecommender(split.dataset, { dim: 8, seed: 2 });
    const seen: EpochProgress[] = [];
    await trainModel(
      model,
      split,
      { maxEpochs: 1, batchSize: 16, maxBatchesPerEpoch: 1, ranking },
      {
        onProgress: (p) => seen.push(p),
      },
    );
    const both = {
      history_excluded: (await evaluateRanking(modelScorer(model), split, {
        stage: "valid",
        ranking: "history_excluded",
      })).metrics,
      history_kept: (await evaluateRanking(modelScorer(model), split, {
        stage: "valid",
        ranking: "history_kept",
      })).metrics,
    };
    model.dispose();
    return { reported: seen[0].validation!, both };
  };
  for (const ranking of ["history_excluded", "history_kept"] as const) {
    const { reported, both } = await validationOf(ranking);
    assertEquals(reported, both[ranking]);
    // Keeping history items as candidates can only push targets down.
    assertLess(both.history_kept.MRR, both.history_excluded.MRR);
  }
});

Deno.test("a ranking protocol outside the named ones is refused with the allowed values", () => {
  let message = "";
  try {
    parseRankingProtocol("recbole", "--ranking");
  } catch (error) {
    message = (error as Error).message;
  }
  assertEquals(message, '--ranking: "recbole" is not one of history_excluded, history_kept');
});

Deno.test("modelScorer names the backbone and modalities on the protocol card, or takes a name", () => {
  // The card's model line comes from here: a GRU4Rec reported as SASRec (or the other way round)
  // would mislabel every result. The fixture has 3 modalities (id, dense text, multi-hot genre),
  // joined with "+" in the encoders' order.
  const dataset = tinyDataset();
  const sasrec = new SequentialRecommender(dataset, { dim: 8, seed: 2 });
  const gru = new SequentialRecommender(dataset, { backbone: "gru4rec", dim: 8, seed: 2 });
  assertEquals(modelScorer(sasrec).name, "SASRec(id+text+genre)");
  assertEquals(modelScorer(gru).name, "GRU4Rec(id+text+genre)");
  assertEquals(modelScorer(gru, "mine").name, "mine");
  assertEquals(modelScorer(sasrec).numItems, dataset.numItems);
  sasrec.dispose();
  gru.dispose();
});

Deno.test("modelScorer's scores are the model's scoreLast rows unchanged: every item, item 0 too", async () => {
  // The scorer is the only path from a model to evaluateRanking. Item id 0 is a real item (padding
  // is marked by valid = 0, not by an item id), so a scorer that blanked or dropped item 0's column,
  // or shifted a row, would move every rank silently. Compared bit for bit with scoreLast.
  const dataset = tinyDataset();
  const model = new SequentialRecommender(dataset, { dim: 8, seed: 2 });
  const { batch } = evaluationBatches(leaveOneOut(dataset), "test", 4)[0];
  const expected = model.scoreLast(batch);
  const direct = Array.from(await expected.data());
  expected.dispose();
  const scored = await modelScorer(model).score(batch);
  assertEquals(scored.length, batch.batchSize * dataset.numItems);
  assertEquals(Array.from(scored), direct);
  // Not a vacuous match: item 0 of the first row is scored, not 0.
  assertEquals(direct[0] !== 0, true);
  model.dispose();
});
