/**
 * Bring-your-own data at its smallest, from the files to a trained and evaluated model: histories
 * of exactly the length leave-one-out needs (refused by training, naming why), one interaction
 * short of it (refused by the split, naming the user), and a feature file that covers no item or
 * one item (a modality present nowhere, or once), which trains and evaluates to finite numbers.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { attachModality, readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { importFixtures } from "./_import_fixtures.ts";

await initBackend({ verbose: false });

const { write } = importFixtures("byo_tiny_edge49_");
const quiet = { onProgress: () => {} };
const provenance = { source: "test", normalisation: "none" };

/** Trains a small SASRec on `dataset` for 2 epochs and evaluates its test targets. */
async function trainAndTest(dataset: InteractionDataset) {
  const split = leaveOneOutSplit(dataset, { maxLength: 4 });
  const model = new SequentialRecommender(dataset, { dim: 8, maxLength: 4, seed: 1 });
  try {
    const training = await trainModel(model, split, { seed: 0, maxEpochs: 2, batchSize: 8 }, quiet);
    const test = await evaluateRanking(modelScorer(model), split, {
      stage: "test",
      cutoffs: [1, 2],
    });
    return { training, test };
  } finally {
    model.dispose();
  }
}

Deno.test("a sequence file of 3 interactions a user splits, and training refuses it naming why", async () => {
  const base = write({ ".txt": "alice a b c\nbob b c d\n" });
  const dataset = readSequenceFile(`${base}.txt`);
  const split = leaveOneOutSplit(dataset, { maxLength: 4 });
  assertEquals(split.train.map((items) => items.length), [1, 1]);
  const model = new SequentialRecommender(dataset, { dim: 8, maxLength: 4, seed: 1 });
  await assertRejects(
    () => trainModel(model, split, { seed: 0 }, quiet),
    Error,
    `split of dataset ${base}.txt has no training pair: every one of its 2 users has fewer ` +
      "than 2 training items",
  );
  model.dispose();
  // The same through RecBole's atomic files, one user.
  const recbole = write({
    ".inter": "user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t1\nu1\tb\t2\nu1\tc\t3\n",
  });
  const single = readRecBoleAtomic(recbole);
  const one = new SequentialRecommender(single, { dim: 8, maxLength: 4, seed: 1 });
  await assertRejects(
    () => trainModel(one, leaveOneOutSplit(single, { maxLength: 4 }), { seed: 0 }, quiet),
    Error,
    "its one user has fewer than 2 training items",
  );
  one.dispose();
});

Deno.test("a user of 2 interactions is refused by the split, naming the user", () => {
  const base = write({ ".txt": "alice a b c d\nbob b c\n" });
  assertThrows(
    () => leaveOneOutSplit(readSequenceFile(`${base}.txt`), { maxLength: 4 }),
    Error,
    "user bob (index 1) has 2 interactions; leave-one-out needs at least 3",
  );
});

Deno.test("a feature file that covers no item, or one, trains and evaluates to finite numbers", async () => {
  const base = write({
    ".txt": "alice a b c d e\nbob b c d a e\ncarol c a b d e\n",
    ".none": "",
    ".once": "c 2.5\n",
  });
  const dataset = readSequenceFile(`${base}.txt`);
  const nowhere = readDenseFeatures(`${base}.none`, dataset.itemIds, {
    name: "image",
    dim: 2,
    provenance,
  });
  assertEquals(Array.from(nowhere.present), [0, 0, 0, 0, 0]);
  // One item with a one-column feature: standardised over one value (no spread), not 0 / 0.
  const once = readDenseFeatures(`${base}.once`, dataset.itemIds, { name: "year", provenance });
  assertEquals(Array.from(once.present), [0, 0, 1, 0, 0]);
  const withBoth = attachModality(
    attachModality(dataset, nowhere, `${base}.none`),
    once,
    `${base}.once`,
  );
  // Item e is every user's test target and appears nowhere else.
  const { training, test } = await trainAndTest(withBoth);
  for (const epoch of training.history) {
    assertEquals(epoch.steps, 1);
    assert(Number.isFinite(epoch.loss) && epoch.loss > 0, `loss ${epoch.loss}`);
  }
  for (const [name, values] of Object.entries(test.perUser)) {
    for (const value of values) assert(value >= 0 && value <= 1, `${name}: ${value}`);
  }
});
