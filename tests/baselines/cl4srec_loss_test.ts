/**
 * The CL4SRec baseline's contrastive term, recomputed from outside on a tiny batch, in both of its
 * forms (a_i and b_i the last states of row i's first and second augmented views, dot product):
 * - `"nt_xent"` (the default, CL4SRec's): lambda * mean over the 2N views of [logsumexp over the
 *   other 2N - 1 views - the pair's similarity], both directions;
 * - `"one_way"` (the records before 2026-12-03): lambda * mean_i [logsumexp_j(a_i . b_j / tau) -
 *   a_i . b_i / tau], N - 1 negatives, one direction.
 * A change to either (one direction for NT-Xent, the first views left out, cosine) must fail here.
 * `similarity: "cosine"` (a diagnosis option, not CL4SRec's) is NT-Xent on cosine similarities.
 * With dropout, each view has its own dropout mask (seeds seed + 101 and seed + 202).
 */
import { assert, assertAlmostEquals, assertEquals, assertGreater, assertThrows } from "@std/assert";
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
import { SettingError } from "../../lib/util/settings.ts";
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
const cosine = (x: number[], y: number[]) => dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
const logSumExp = (values: number[]) => {
  const top = Math.max(...values);
  return top + Math.log(values.reduce((s, v) => s + Math.exp(v - top), 0));
};

/** The hook's term under `config` on `BATCH`, as the trainer calls it at step 0 of epoch 0. */
function hookLoss(model: SequentialRecommender, config: Cl4SRecConfig): number {
  return tf.tidy(() => {
    const out = model.forward(BATCH);
    return cl4srecAuxiliaryLoss(config)({
      ...out,
      model,
      batch: BATCH,
      step: 0,
      epoch: 0,
      recommendationLoss: tf.scalar(0),
      seed: SEED,
    }).dataSync()[0];
  });
}

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

/** The two forms by hand on the views the hook draws with `SEED`, and the hook's value of each. */
function byHand(): {
  oneWay: number;
  ntXent: number;
  ntXentCosine: number;
  hook: Record<"one_way" | "nt_xent" | "nt_xent_cosine", number>;
} {
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
  let ntXentCosine = 0;
  for (let i = 0; i < n; i++) {
    oneWay += logSumExp(b.map((bj) => dot(a[i], bj) / tau)) - dot(a[i], b[i]) / tau;
    for (const [x, y] of [[a, b], [b, a]]) {
      const others = [...y, ...x.filter((_, j) => j !== i)];
      ntXent += logSumExp(others.map((c) => dot(x[i], c) / tau)) - dot(x[i], y[i]) / tau;
      ntXentCosine += logSumExp(others.map((c) => cosine(x[i], c) / tau)) -
        cosine(x[i], y[i]) / tau;
    }
  }
  // The views differ (an augmentation did something), or the test would prove little.
  assert(a.some((row, i) => row.some((v, k) => Math.abs(v - b[i][k]) > 1e-4)), "views differ");
  const hookValue = (change: Partial<Cl4SRecConfig>) => hookLoss(model, { ...CONFIG, ...change });
  const hook = {
    one_way: hookValue({ loss: "one_way" }),
    nt_xent: hookValue({ loss: "nt_xent" }),
    nt_xent_cosine: hookValue({ loss: "nt_xent", similarity: "cosine" }),
  };
  model.dispose();
  return {
    oneWay: CONFIG.weight * oneWay / n,
    ntXent: CONFIG.weight * ntXent / (2 * n),
    ntXentCosine: CONFIG.weight * ntXentCosine / (2 * n),
    hook,
  };
}

const FORMS = byHand();

Deno.test("CL4SRec term, default = lambda * NT-Xent (dot, both views, 2(N - 1) negatives), by hand", () => {
  assertEquals(DEFAULT_CL4SREC_CONFIG.loss, "nt_xent");
  assertGreater(FORMS.ntXent, 1e-3);
  assertAlmostEquals(FORMS.hook.nt_xent, FORMS.ntXent, 1e-5 * (1 + FORMS.ntXent));
});

Deno.test("CL4SRec term, one_way = lambda * one-directional InfoNCE (N - 1 negatives), by hand", () => {
  assertGreater(FORMS.oneWay, 1e-3);
  assertAlmostEquals(FORMS.hook.one_way, FORMS.oneWay, 1e-5 * (1 + FORMS.oneWay));
  // The two forms are different numbers on these views: each assertion above tells them apart.
  assertGreater(Math.abs(FORMS.oneWay - FORMS.ntXent), 1e-3, JSON.stringify(FORMS));
});

Deno.test("CL4SRec term, similarity cosine = lambda * NT-Xent on cosine similarities, by hand", () => {
  assertEquals(DEFAULT_CL4SREC_CONFIG.similarity, "dot");
  assertGreater(FORMS.ntXentCosine, 1e-3);
  assertAlmostEquals(
    FORMS.hook.nt_xent_cosine,
    FORMS.ntXentCosine,
    1e-5 * (1 + FORMS.ntXentCosine),
  );
  assertGreater(Math.abs(FORMS.ntXentCosine - FORMS.ntXent), 1e-3, JSON.stringify(FORMS));
});

Deno.test("CL4SRec loss form: an unknown one is refused, naming the setting and the allowed values", () => {
  assertThrows(
    () => cl4srecAuxiliaryLoss({ loss: "symmetric" as Cl4SRecConfig["loss"] }),
    SettingError,
    "Cl4SRecConfig.loss",
  );
});

Deno.test("CL4SRec term: the two views get their own dropout masks (seeds seed + 101 and seed + 202)", () => {
  // With dropout, two views of one history must differ by more than their augmentations: views
  // that shared a dropout mask would make the positive pair easier than in CL4SRec. Here the
  // augmentation changes nothing (mask, ratio 0), so the two views differ by dropout alone.
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: LENGTH,
    seed: 3,
    sasrec: { dropout: 0.5 },
  });
  const config: Cl4SRecConfig = { ...CONFIG, augmentations: ["mask"], maskRatio: 0 };
  const lastStates = (dropoutSeed: number): number[][] => {
    const views = batchHistories(BATCH).map((items) => ({
      items,
      masked: new Uint8Array(items.length),
    }));
    const packed = packViews(views, LENGTH, model.numModalities);
    const last = tf.tidy(() => {
      const weights = tf.tensor3d(packed.weights, [BATCH.batchSize, LENGTH, model.numModalities]);
      const { states } = model.forward(packed.batch, { weights, training: true, dropoutSeed });
      const slice = tf.slice(states, [0, LENGTH - 1, 0], [BATCH.batchSize, 1, model.config.dim]);
      return tf.reshape(slice, [BATCH.batchSize, model.config.dim]);
    });
    const rows = last.arraySync() as number[][];
    last.dispose();
    return rows;
  };
  const a = lastStates(SEED + 101);
  const b = lastStates(SEED + 202);
  assert(a.some((row, i) => row.some((v, k) => Math.abs(v - b[i][k]) > 1e-4)), "dropout differs");
  const tau = config.temperature;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    for (const [x, y] of [[a, b], [b, a]]) {
      const others = [...y, ...x.filter((_, j) => j !== i)];
      sum += logSumExp(others.map((c) => dot(x[i], c) / tau)) - dot(x[i], y[i]) / tau;
    }
  }
  const expected = config.weight * sum / (2 * a.length);
  const hook = hookLoss(model, config);
  assertAlmostEquals(hook, expected, 1e-5 * (1 + expected));
  model.dispose();
});
