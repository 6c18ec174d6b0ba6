/**
 * The CL4SRec baseline's contrastive term, recomputed from outside on a tiny batch: lambda *
 * mean_i [logsumexp_j(a_i . b_j / tau) - a_i . b_i / tau], a_i and b_j the last states of the
 * first and second augmented views (dot product; each anchor has the other rows' second views as
 * its N - 1 negatives, one direction). The results of record were made with this form, so a change
 * to it (a symmetric loss, the other rows' first views as negatives, cosine) must fail here.
 */
import { assert, assertAlmostEquals, assertGreater } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  augmentView,
  batchHistories,
  cl4srecAuxiliaryLoss,
  type Cl4SRecConfig,
  DEFAULT_CL4SREC_CONFIG,
  packViews,
} from "../../lib/baselines/cl4srec.ts";
import { padLeft } from "../../lib/data/protocol/batcher.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { createRng } from "../../lib/util/random.ts";
import { tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const LENGTH = 10;
const SEED = 29;
const CONFIG: Cl4SRecConfig = { ...DEFAULT_CL4SREC_CONFIG, weight: 0.5, temperature: 0.7 };

/** Four histories of 8 items over the tiny dataset's 6 items (multi-modal, some missing). */
const BATCH = padLeft(
  [0, 1, 2, 3],
  [[0, 1, 2, 3, 4, 5, 0, 1], [1, 2, 3, 4, 5, 0, 1, 2], [2, 3, 4, 5, 0, 1, 2, 3], [
    5,
    4,
    3,
    2,
    1,
    0,
    5,
    4,
  ]].map((h) => Int32Array.from(h)),
  LENGTH,
);

const dot = (x: number[], y: number[]) => x.reduce((s, v, k) => s + v * y[k], 0);
const logSumExp = (values: number[]) => {
  const top = Math.max(...values);
  return top + Math.log(values.reduce((s, v) => s + Math.exp(v - top), 0));
};

/** The last states of one augmented view of every row, drawn from `rng` as the hook draws them. */
function viewStates(model: SequentialRecommender, rng: ReturnType<typeof createRng>): number[][] {
  const views = batchHistories(BATCH).map((items) => augmentView(items, CONFIG, rng));
  const packed = packViews(views, LENGTH, model.numModalities);
  const states = tf.tidy(() => {
    const weights = tf.tensor3d(packed.weights, [BATCH.batchSize, LENGTH, model.numModalities]);
    // Dropout 0: training mode equals inference, so the hook's dropout seeds do not matter.
    const { states } = model.forward(packed.batch, { weights });
    const last = tf.slice(states, [0, LENGTH - 1, 0], [BATCH.batchSize, 1, model.config.dim]);
    return tf.reshape(last, [BATCH.batchSize, model.config.dim]);
  });
  const rows = (states.arraySync() as number[][]).map((row) => row.slice());
  states.dispose();
  return rows;
}

Deno.test("CL4SRec term = lambda * one-directional InfoNCE (dot, N - 1 in-batch negatives), by hand", () => {
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: LENGTH,
    seed: 3,
    sasrec: { dropout: 0 },
  });
  const rng = createRng(SEED); // the hook's: first view of every row, then second
  const a = viewStates(model, rng);
  const b = viewStates(model, rng);
  const tau = CONFIG.temperature;
  const n = a.length;
  let oneWay = 0;
  let ntXent = 0; // SimCLR / CL4SRec: both directions, other rows' two views as 2(N - 1) negatives
  for (let i = 0; i < n; i++) {
    oneWay += logSumExp(b.map((bj) => dot(a[i], bj) / tau)) - dot(a[i], b[i]) / tau;
    for (const [x, y] of [[a, b], [b, a]]) {
      const others = [...y, ...x.filter((_, j) => j !== i)];
      ntXent += logSumExp(others.map((c) => dot(x[i], c) / tau)) - dot(x[i], y[i]) / tau;
    }
  }
  const expected = CONFIG.weight * oneWay / n;
  const actual = tf.tidy(() => {
    const out = model.forward(BATCH);
    return cl4srecAuxiliaryLoss(CONFIG)({
      ...out,
      model,
      batch: BATCH,
      step: 0,
      epoch: 0,
      recommendationLoss: tf.scalar(0),
      seed: SEED,
    }).dataSync()[0];
  });
  assertGreater(expected, 1e-3);
  assertAlmostEquals(actual, expected, 1e-5 * (1 + expected));
  // The views differ (an augmentation did something), and the NT-Xent form is another number.
  assert(a.some((row, i) => row.some((v, k) => Math.abs(v - b[i][k]) > 1e-4)), "views differ");
  const other = CONFIG.weight * ntXent / (2 * n);
  assertGreater(Math.abs(actual - other), 1e-3, `one-way ${actual}, NT-Xent ${other}`);
  model.dispose();
});
