import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { popularityScorer } from "../../lib/baselines/popularity.ts";
import { itemKnnScorer, itemTransitionSimilarities } from "../../lib/baselines/item_knn.ts";
import {
  augmentView,
  batchHistories,
  cl4srecAuxiliaryLoss,
  cropView,
  DEFAULT_CL4SREC_CONFIG,
  maskView,
  packViews,
  reorderView,
} from "../../lib/baselines/cl4srec.ts";
import { padLeft } from "../../lib/data/protocol/batcher.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { createRng } from "../../lib/util/random.ts";
import { auxiliaryContext, cycleDataset, leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("Pop counts training items only and ranks every user the same", async () => {
  const split = leaveOneOut(tinyDataset());
  // train: [0,1,2] [1,2,3] [2,3,4] [3,4,5] -> counts 1,2,3,3,2,1
  const scorer = popularityScorer(split);
  const scores = await scorer.score({
    users: Int32Array.of(0, 1),
    items: new Int32Array(2),
    valid: Float32Array.of(1, 1),
    batchSize: 2,
    length: 1,
  });
  assertEquals(Array.from(scores), [1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1]);
  // The name labels the baseline's rows in results and the evaluation protocol.
  assertEquals(scorer.name, "Pop");
  assertEquals(scorer.numItems, 6);
});

Deno.test("Pop and item-kNN refuse a training item id outside the dataset's items", () => {
  const split = leaveOneOut(tinyDataset());
  for (const bad of [split.dataset.numItems, -1]) {
    const train = split.train.map((sequence) => sequence.slice());
    train[1][2] = bad;
    const handBuilt = { ...split, train };
    const error = assertThrows(() => popularityScorer(handBuilt), RangeError);
    assertStringIncludes(error.message, `item id ${bad} at training position 2`);
    assertStringIncludes(error.message, `0 .. ${split.dataset.numItems - 1}`);
    assertStringIncludes(error.message, `user ${split.dataset.userIds[1]}`);
    // The dataset is named, with its item count (the split may be one of several built by hand).
    assertStringIncludes(
      error.message,
      `(dataset ${split.dataset.name} has ${split.dataset.numItems} items)`,
    );
    assertThrows(() => itemTransitionSimilarities(handBuilt), RangeError, `item id ${bad}`);
  }
});

Deno.test("item-kNN: hand-computed cosine transition similarities; learns a cycle", async () => {
  const split = leaveOneOut(tinyDataset());
  const sims = itemTransitionSimilarities(split, {
    window: 1,
    historyItems: 1,
    decay: 1,
    shrink: 0,
    popularityTieBreak: false,
  });
  // 2 -> 3 occurs twice (users 1, 2); counts n2 = 3, n3 = 3: 2 / sqrt(9)
  assertAlmostEquals(sims[2].get(3)!, 2 / 3, 1e-12);
  assertAlmostEquals(sims[0].get(1)!, 1 / Math.sqrt(2), 1e-12);
  assertEquals(sims[3].has(2), false); // directed
  const cycle = leaveOneOut(cycleDataset(12, 10, 8));
  const result = await evaluateRanking(
    itemKnnScorer(cycle, { window: 1, historyItems: 1 }),
    cycle,
    {
      stage: "test",
      cutoffs: [1],
    },
  );
  assertEquals(result.metrics["HR@1"], 1);
});

Deno.test("CL4SRec augmentations are pure, and two views of one history differ", () => {
  const input = Int32Array.from([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  const before = input.slice();
  const rng = createRng(3);
  const crop = cropView(input, 0.6, rng);
  assertEquals(crop.items.length, 6);
  const start = input.indexOf(crop.items[0]);
  assertEquals(Array.from(crop.items), Array.from(input.subarray(start, start + 6)));
  const mask = maskView(input, 0.3, rng);
  assertEquals(mask.masked.reduce((a, b) => a + b, 0), 3);
  assertEquals(Array.from(mask.items), Array.from(input));
  const reorder = reorderView(input, 0.6, rng);
  assertEquals([...reorder.items].sort(), [...input].sort());
  assertEquals(input, before); // nothing touched the input
  let differing = 0;
  for (let i = 0; i < 20; i++) {
    const a = augmentView(input, DEFAULT_CL4SREC_CONFIG, rng);
    const b = augmentView(input, DEFAULT_CL4SREC_CONFIG, rng);
    if (
      JSON.stringify([Array.from(a.items), Array.from(a.masked)]) !==
        JSON.stringify([Array.from(b.items), Array.from(b.masked)])
    ) differing++;
    assert(a.items.buffer !== input.buffer && b.items.buffer !== a.items.buffer);
  }
  assert(differing >= 18, `views differed in ${differing}/20 pairs`);
  assertEquals(input, before);
});

Deno.test("packViews: left padding and zero weights on masked positions", () => {
  const packed = packViews([{ items: Int32Array.of(4, 5), masked: Uint8Array.of(1, 0) }], 3, 2);
  assertEquals(Array.from(packed.batch.items), [0, 4, 5]);
  assertEquals(Array.from(packed.batch.valid), [0, 1, 1]);
  assertEquals(Array.from(packed.weights), [1, 1, 0, 0, 1, 1]);
});

Deno.test("packViews: a view longer than the batch keeps its most recent items and their masks", () => {
  // The last state (what the contrastive loss reads) must be the view's most recent item; the mask
  // of each kept item travels with it.
  const packed = packViews(
    [{ items: Int32Array.of(1, 2, 3, 4, 5), masked: Uint8Array.of(1, 0, 0, 1, 0) }],
    3,
    1,
  );
  assertEquals(Array.from(packed.batch.items), [3, 4, 5]);
  assertEquals(Array.from(packed.batch.valid), [1, 1, 1]);
  assertEquals(Array.from(packed.weights), [1, 0, 1]);
});

Deno.test("CL4SRec trains through the auxiliary hook without leaking tensors", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const losses: number[] = [];
  const before = tf.memory().numTensors;
  const result = await trainModel(model, split, { maxEpochs: 2, batchSize: 4, patience: 10 }, {
    onProgress: (p) => losses.push(p.auxiliaryLoss),
    auxiliaryLoss: cl4srecAuxiliaryLoss({ weight: 0.5 }),
  });
  assertEquals(result.epochsRun, 2);
  for (const aux of losses) assert(Number.isFinite(aux) && aux > 0);
  assertEquals(tf.memory().numTensors, before);
  assertNotEquals(losses[0], losses[1]);
  model.dispose();
});

Deno.test("CL4SRec at weight 0 trains exactly like its backbone (the baseline adds only its term)", async () => {
  // A CL4SRec-MM run below its backbone must come from the contrastive term, not from the views'
  // random draws or dropout seeds disturbing the recommendation pass: at lambda 0 the weights after
  // training equal the plain model's, bit for bit.
  const split = leaveOneOut(tinyDataset(), 10);
  const train = async (hooks: Parameters<typeof trainModel>[3]) => {
    const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 5 });
    await trainModel(model, split, { maxEpochs: 2, batchSize: 4, patience: 10, seed: 5 }, hooks);
    const weights = model.trainableVariables().map((v) => Array.from(v.dataSync()));
    model.dispose();
    return weights;
  };
  const plain = await train({});
  const weightZero = await train({ auxiliaryLoss: cl4srecAuxiliaryLoss({ weight: 0 }) });
  const weighted = await train({ auxiliaryLoss: cl4srecAuxiliaryLoss({ weight: 0.5 }) });
  assertEquals(weightZero, plain);
  assertNotEquals(weighted, plain);
});

/** A split whose training sequences are `train` (over 3 items); only those are read. */
function knnSplit(train: number[][]) {
  return { ...leaveOneOut(cycleDataset(2, 3, 4)), train: train.map((s) => Int32Array.from(s)) };
}

const KNN = { window: 2, historyItems: 1, decay: 1, shrink: 0, popularityTieBreak: false };

Deno.test("item-kNN: co-occurrence weighted 1 / distance within the window", () => {
  // train [0,1,2] and [2]: counts n0 = 1, n1 = 1, n2 = 2. Window 2 after item 0: item 1 at
  // distance 1 (C = 1), item 2 at distance 2 (C = 1/2). sim = C / sqrt(n_i n_j).
  const sims = itemTransitionSimilarities(knnSplit([[0, 1, 2], [2]]), KNN);
  assertAlmostEquals(sims[0].get(2)!, 0.5 / Math.sqrt(1 * 2), 1e-12);
  assertAlmostEquals(sims[0].get(1)!, 1 / Math.sqrt(1 * 1), 1e-12);
  assertAlmostEquals(sims[1].get(2)!, 1 / Math.sqrt(1 * 2), 1e-12);
});

Deno.test("item-kNN: shrink is added to the cosine denominator", () => {
  const sims = itemTransitionSimilarities(knnSplit([[0, 1, 2], [2]]), { ...KNN, shrink: 1 });
  assertAlmostEquals(sims[0].get(2)!, 0.5 / (Math.sqrt(1 * 2) + 1), 1e-12);
  assertAlmostEquals(sims[0].get(1)!, 1 / (Math.sqrt(1 * 1) + 1), 1e-12);
});

Deno.test("item-kNN: the older history item votes with weight decay", async () => {
  const split = knnSplit([[0, 1, 2], [2]]);
  const scorer = itemKnnScorer(split, { ...KNN, historyItems: 2, decay: 0.5 });
  // History [.., 0, 1]: last = 1 (weight 1), previous = 0 (weight 0.5).
  const scores = await scorer.score({
    users: Int32Array.of(0),
    items: Int32Array.of(0, 0, 1),
    valid: Float32Array.of(0, 1, 1),
    batchSize: 1,
    length: 3,
  });
  const s01 = 1; // 1 / sqrt(1 * 1)
  const s02 = 0.5 / Math.SQRT2;
  const s12 = 1 / Math.SQRT2;
  assertAlmostEquals(scores[0], 0, 1e-7); // nothing leads to item 0
  assertAlmostEquals(scores[1], 0.5 * s01, 1e-7);
  assertAlmostEquals(scores[2], s12 + 0.5 * s02, 1e-7);
});

Deno.test("item-kNN: only the last historyItems valid items vote; padding never votes", async () => {
  const split = knnSplit([[0, 1, 2], [2]]);
  const s12 = 1 / Math.SQRT2;
  // Two valid items, historyItems 1: item 0 (one step back) must not vote, or item 1 would score.
  const lastOnly = await itemKnnScorer(split, { ...KNN, historyItems: 1, decay: 0.5 }).score({
    users: Int32Array.of(0),
    items: Int32Array.of(0, 1),
    valid: Float32Array.of(1, 1),
    batchSize: 1,
    length: 2,
  });
  assertEquals(Array.from(lastOnly, (s) => Math.round(s * 1e6) / 1e6), [0, 0, 0.707107]);
  // One valid item behind two padding positions (item id 0 there), historyItems 3: the padding is
  // not item 0, so it adds nothing (item 0 would add 0.5 * sim(0, 1) to item 1).
  const padded = await itemKnnScorer(split, { ...KNN, historyItems: 3, decay: 0.5 }).score({
    users: Int32Array.of(0),
    items: Int32Array.of(0, 0, 1),
    valid: Float32Array.of(0, 0, 1),
    batchSize: 1,
    length: 3,
  });
  assertAlmostEquals(padded[0], 0, 1e-7);
  assertAlmostEquals(padded[1], 0, 1e-7);
  assertAlmostEquals(padded[2], s12, 1e-7);
});

Deno.test("item-kNN: neighbours are item ids only, and the tie-break prior is 1e-6 * n_j / max n", async () => {
  // A window reaching past a sequence's end must not add a neighbour that is no item.
  const split = knnSplit([[0, 1, 2], [2]]);
  for (const row of itemTransitionSimilarities(split, { ...KNN, window: 5 })) {
    for (const [j, sim] of row) assert(Number.isInteger(j) && j >= 0 && j < 3 && sim > 0, `${j}`);
  }
  // Item 2 leads nowhere: its scores are the prior alone (counts 1, 1, 2; max 2).
  const scores = await itemKnnScorer(split, { ...KNN, popularityTieBreak: true }).score({
    users: Int32Array.of(0),
    items: Int32Array.of(2),
    valid: Float32Array.of(1),
    batchSize: 1,
    length: 1,
  });
  assertAlmostEquals(scores[0], 0.5e-6, 1e-12);
  assertAlmostEquals(scores[1], 0.5e-6, 1e-12);
  assertAlmostEquals(scores[2], 1e-6, 1e-12);
});

Deno.test("CL4SRec crop: every start from the first to the last window is drawn", () => {
  const items = Int32Array.from({ length: 10 }, (_, i) => i);
  const rng = createRng(11);
  const starts = new Set<number>();
  for (let i = 0; i < 400; i++) starts.add(cropView(items, 0.6, rng).items[0]);
  // keep floor(0.6 * 10) = 6 items: the start is 0..4 (the last window is 4..9).
  assertEquals([...starts].sort((a, b) => a - b), [0, 1, 2, 3, 4]);
});

Deno.test("CL4SRec auxiliary loss scales linearly with its weight lambda", () => {
  const split = leaveOneOut(tinyDataset(), 6);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 6 });
  const batch = {
    users: Int32Array.of(0, 1, 2, 3),
    items: Int32Array.from(split.train.flatMap((s) => [0, 0, 0, ...s])),
    valid: Float32Array.from(split.train.flatMap((s) => [0, 0, 0, ...s.map(() => 1)])),
    batchSize: 4,
    length: 6,
  };
  const loss = (weight: number) =>
    tf.tidy(() => {
      const out = model.forward(batch);
      const context = auxiliaryContext(model, batch, out, 17);
      return cl4srecAuxiliaryLoss({ weight })(context).dataSync()[0];
    });
  const half = loss(0.5);
  assert(half > 1e-3, `loss ${half}`);
  assertAlmostEquals(half, 5 * loss(0.1), 1e-5);
  model.dispose();
});

Deno.test("batchHistories: each row's real items in order, its left padding left out", () => {
  const batch = padLeft([0, 1], [Int32Array.of(4, 2, 5), Int32Array.of(3, 1, 0, 2, 6)], 5);
  assertEquals(batchHistories(batch).map((items) => Array.from(items)), [
    [4, 2, 5],
    [3, 1, 0, 2, 6],
  ]);
});

Deno.test("item-kNN: a repeated item is its own neighbour (directed co-occurrence counts i -> i)", () => {
  // train [0, 0, 1]: n0 = 2, n1 = 1. After the first 0: 0 at distance 1, 1 at distance 2; after
  // the second 0: 1 at distance 1. C[0][0] = 1, C[0][1] = 1/2 + 1.
  const sims = itemTransitionSimilarities(knnSplit([[0, 0, 1]]), KNN);
  assertAlmostEquals(sims[0].get(0)!, 1 / 2, 1e-12);
  assertAlmostEquals(sims[0].get(1)!, 1.5 / Math.SQRT2, 1e-12);
});

Deno.test("item-kNN: a row's history never reaches into the row before it", async () => {
  // Rows of one item each and historyItems 3: row 1 (item 1) is scored from item 1 alone, as if it
  // were the only row; reading back past its first position took row 0's item 0 as history.
  const scorer = itemKnnScorer(knnSplit([[0, 1, 2], [2]]), { ...KNN, historyItems: 3 });
  const batch = (items: number[]) => ({
    users: Int32Array.from(items, (_, row) => row),
    items: Int32Array.from(items),
    valid: new Float32Array(items.length).fill(1),
    batchSize: items.length,
    length: 1,
  });
  const both = await scorer.score(batch([0, 1]));
  const alone = await scorer.score(batch([1]));
  assertEquals(Array.from(both.subarray(3)), Array.from(alone));
  assertEquals(Array.from(alone, (s) => Math.round(s * 1e6) / 1e6), [0, 0, 0.707107]);
});

Deno.test("item-kNN: the scorer's similarities use its own window and shrink, and its name says them", async () => {
  // train [0, 1, 2], [2]: from history [0], item 2 (two steps after 0) scores only with window 2.
  const split = knnSplit([[0, 1, 2], [2]]);
  const history = {
    users: Int32Array.of(0),
    items: Int32Array.of(0),
    valid: Float32Array.of(1),
    batchSize: 1,
    length: 1,
  };
  const near = await itemKnnScorer(split, { ...KNN, window: 1 }).score(history);
  const wide = await itemKnnScorer(split, { ...KNN, window: 2, shrink: 1 }).score(history);
  assertAlmostEquals(near[2], 0, 1e-12);
  assertAlmostEquals(wide[1], 1 / (1 + 1), 1e-7);
  assertAlmostEquals(wide[2], 0.5 / (Math.SQRT2 + 1), 1e-7);
  assertEquals(
    itemKnnScorer(split, { window: 2, historyItems: 4, decay: 0.25 }).name,
    "item-kNN(window 2, last 4, decay 0.25)",
  );
});

Deno.test("item-kNN: the tie-break prior is 1e-6 for the most frequent item, even when it occurs once", async () => {
  // train [0, 1, 2]: every item once, max n = 1; history [2] leads nowhere, so the scores are the
  // prior alone: 1e-6 * 1 / 1 each (a floor of 2 on max n halved them).
  const scorer = itemKnnScorer(knnSplit([[0, 1, 2]]), { ...KNN, popularityTieBreak: true });
  const scores = await scorer.score({
    users: Int32Array.of(0),
    items: Int32Array.of(2),
    valid: Float32Array.of(1),
    batchSize: 1,
    length: 1,
  });
  for (const score of scores) assertAlmostEquals(score, 1e-6, 1e-12);
});

Deno.test("item-kNN: the default window of 3 reaches the third item after, weighted 1/3, by hand", () => {
  // train [0, 1, 2, 1]: counts n0 = 1, n1 = 2, n2 = 1. Window 3 after item 0: 1 at distance 1,
  // 2 at distance 2, 1 again at distance 3, so C[0][1] = 1 + 1/3 and C[0][2] = 1/2. After item 1
  // (t = 1): 2 at 1, 1 at 2; after item 2: 1 at 1. sim = C / sqrt(n_i n_j), shrink 0.
  const sims = itemTransitionSimilarities(knnSplit([[0, 1, 2, 1]]));
  assertAlmostEquals(sims[0].get(1)!, (4 / 3) / Math.SQRT2, 1e-12);
  assertAlmostEquals(sims[0].get(2)!, 0.5, 1e-12);
  assertAlmostEquals(sims[1].get(2)!, 1 / Math.SQRT2, 1e-12);
  assertAlmostEquals(sims[1].get(1)!, 0.5 / 2, 1e-12);
  assertAlmostEquals(sims[2].get(1)!, 1 / Math.SQRT2, 1e-12);
  assertEquals(sims[2].has(2), false);
});

Deno.test("item-kNN: the tie-break prior's max n counts item 0 (a real item, not padding)", async () => {
  // train [0, 0, 1]: n0 = 2, n1 = 1, n2 = 0; item 1 leads nowhere, so history [1] scores the
  // prior alone: 1e-6 * n_j / 2. A max taken over items 1.. (as if id 0 were padding) was 1 and
  // gave item 0 2e-6.
  const scorer = itemKnnScorer(knnSplit([[0, 0, 1]]), { ...KNN, popularityTieBreak: true });
  const scores = await scorer.score({
    users: Int32Array.of(0),
    items: Int32Array.of(1),
    valid: Float32Array.of(1),
    batchSize: 1,
    length: 1,
  });
  assertAlmostEquals(scores[0], 1e-6, 1e-12);
  assertAlmostEquals(scores[1], 0.5e-6, 1e-12);
  assertAlmostEquals(scores[2], 0, 1e-12);
});

Deno.test("Pop counts every training interaction, also those older than the window a model reads", async () => {
  // maxLength 2 cuts what a sequential model reads, not the training data: the counts stay
  // 1, 2, 3, 3, 2, 1 (train [0,1,2] [1,2,3] [2,3,4] [3,4,5]); counting each user's last two items
  // only gave 0, 1, 2, 2, 2, 1.
  const scores = await popularityScorer(leaveOneOut(tinyDataset(), 2)).score({
    users: Int32Array.of(0),
    items: new Int32Array(1),
    valid: Float32Array.of(1),
    batchSize: 1,
    length: 1,
  });
  assertEquals(Array.from(scores), [1, 2, 3, 3, 2, 1]);
});

Deno.test("item-kNN: a history item votes for itself with its self-similarity (a repeat is a neighbour)", async () => {
  // train [0, 0, 1]: C[0][0] = 1, C[0][1] = 1/2 + 1; n0 = 2, n1 = 1. History [0]: item 0 scores
  // s00 = 1 / sqrt(2 * 2) = 1/2, item 1 scores 1.5 / sqrt(2). The ranking protocol, not the
  // scorer, decides whether history items are candidates (history_excluded by default).
  const scores = await itemKnnScorer(knnSplit([[0, 0, 1]]), KNN).score({
    users: Int32Array.of(0),
    items: Int32Array.of(0),
    valid: Float32Array.of(1),
    batchSize: 1,
    length: 1,
  });
  assertAlmostEquals(scores[0], 0.5, 1e-7);
  assertAlmostEquals(scores[1], 1.5 / Math.SQRT2, 1e-7);
  assertAlmostEquals(scores[2], 0, 1e-12);
});

Deno.test("item-kNN builds on a catalogue of 200 000 items (no spread of the counts into Math.max)", () => {
  // Math.max(1, ...counts) passed one argument per item: from about 130 000 items on it threw
  // "Maximum call stack size exceeded" before any scoring. Items 3.. occur in no sequence.
  const small = knnSplit([[0, 1, 2], [2]]);
  const wide = { ...small, dataset: { ...small.dataset, numItems: 200_000 } };
  const scorer = itemKnnScorer(wide, { ...KNN, popularityTieBreak: true });
  assertEquals(scorer.numItems, 200_000);
});
