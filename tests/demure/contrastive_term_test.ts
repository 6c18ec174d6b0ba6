/**
 * Demure's contrastive term on the separate-pass and the training-pass routes, recomputed from
 * outside: lambda * InfoNCE(anchor = full history, positive = denoised history, explicit negative
 * = noise-only history) at temperature tau over the model's last states for the step's views, and
 * its linear scale in lambda.
 */
import { assert, assertAlmostEquals, assertEquals, assertGreater } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { type DemureConfig, resolveDemureConfig } from "../../lib/demure/config.ts";
import { contrastiveTerm, trainingPassContrastive } from "../../lib/demure/_contrastive_term.ts";
import { demureHooks, type DemureTraining } from "../../lib/demure/objective.ts";
import { buildContrastiveViews, type ContrastiveViews } from "../../lib/demure/views.ts";
import { validPairs } from "../../lib/attribution/_pairs.ts";
import { infoNce } from "../../lib/losses/info_nce.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { packRows } from "../../lib/nn/packed_rows.ts";
import { Adam } from "../../lib/train/adam.ts";
import type { AuxiliaryLossContext, TrainerHooks } from "../../lib/train/config.ts";
import { trainStep } from "../../lib/train/step.ts";

import { batch, split, trainer } from "./_one_batch.ts";

await initBackend({ verbose: false });

const SEPARATE: Partial<DemureConfig> = {
  variant: "full",
  attributionSource: "separate_pass",
  warmupSteps: 1,
  everyVisits: 1,
  rho: 0.4,
  // Not the default tau (0.2): a route that ignored the configured tau would then show.
  temperature: 0.5,
};

/** The noise flags and scores the cache holds for `b`'s rows (found by their cache keys). */
function cachedMask(demure: DemureTraining, b: SequenceBatch) {
  const tensors = demure.hooks.checkpointState!.save().tensors;
  const high = tensors.get("demure/keysHigh")!.data;
  const low = tensors.get("demure/keysLow")!.data;
  const noise = tensors.get("demure/noise")!.data;
  const scores = tensors.get("demure/scores")!.data;
  const width = noise.length / high.length;
  const rowOf = new Map<number, number>();
  high.forEach((h, r) => rowOf.set(h * 65536 + low[r], r));
  const noiseMask = new Uint8Array(b.batchSize * width);
  const rowScores = new Float32Array(b.batchSize * width);
  for (let row = 0; row < b.batchSize; row++) {
    const key = b.users[row] * 1024 + (b.windows?.[row] ?? 0);
    const r = rowOf.get(key);
    assert(r !== undefined, `no cache entry for row ${row}`);
    noiseMask.set(noise.subarray(r * width, (r + 1) * width), row * width);
    rowScores.set(scores.subarray(r * width, (r + 1) * width), row * width);
  }
  return { noiseMask, scores: rowScores };
}

/**
 * lambda * InfoNCE of the three views of `noiseMask` at the model's current weights: each view is
 * fused from the batch's E and read by the backbone (dropout 0: training mode is deterministic).
 */
function expectedContrastive(
  model: SequentialRecommender,
  b: SequenceBatch,
  mask: { noiseMask: Uint8Array; scores: Float32Array },
  lambda: number,
  temperature: number,
) {
  const modalities = model.numModalities;
  const shape: [number, number, number] = [b.batchSize, b.length, modalities];
  const presence = model.presenceOf(b.items);
  const valid = validPairs(presence.map((p, i) => p * b.valid[Math.floor(i / modalities)]));
  const views = buildContrastiveViews(valid, mask.noiseMask, shape, { scores: mask.scores });
  const loss = tf.tidy(() => {
    const items = tf.tensor2d(b.items, [b.batchSize, b.length], "int32");
    const validRows = tf.tensor2d(b.valid, [b.batchSize, b.length]);
    const embeddings = model.embedModalities(items, model.encodeAllItems());
    const present = model.presence(items);
    const packing = packRows(b.valid, b.batchSize, b.length);
    const state = (view: Float32Array) =>
      model.lastStates(
        model.fuse(embeddings, tf.tensor3d(view, shape), present),
        validRows,
        true,
        0,
        packing,
      );
    const contrastive = infoNce(state(views.anchor), state(views.positive), {
      temperature,
      negatives: tf.expandDims(state(views.negative), 1) as tf.Tensor3D,
    });
    return tf.mul(contrastive, lambda);
  });
  const value = loss.dataSync()[0];
  loss.dispose();
  return { value, positive: views.positive, noise: mask.noiseMask };
}

// The training pass (dL_rec/dE tapped from the recommendation pass) needs denoiseInput false; its
// first mask after the warm-up is attributed apart, as on the separate pass, and its contrastive
// term runs all three views in its own stacked pass: the same value at dropout 0.
const ROUTES = [
  { attributionSource: "separate_pass", denoiseInput: true },
  { attributionSource: "separate_pass", denoiseInput: false },
  { attributionSource: "training_pass", denoiseInput: false },
] as const;

for (const { attributionSource, denoiseInput } of ROUTES) {
  Deno.test(`${attributionSource} (denoiseInput ${denoiseInput}): the auxiliary loss is lambda * InfoNCE(anchor, positive, noise-only negative)`, async () => {
    const model = new SequentialRecommender(split.dataset, {
      dim: 8,
      maxLength: 4,
      seed: 1,
      sasrec: { dropout: 0 },
    });
    const lambda = 0.7;
    const demure = demureHooks(model, { ...SEPARATE, lambda, denoiseInput, attributionSource });
    const adam = new Adam();
    let expected: ReturnType<typeof expectedContrastive> | undefined;
    let readMask: number[] | undefined;
    const hooks: TrainerHooks = {
      ...demure.hooks,
      // Runs before the step's forward pass: the weights are those the auxiliary loss sees.
      inputMask: async (b, step) => {
        const mask = await demure.hooks.inputMask!(b, step);
        if (step === 1) {
          expected = expectedContrastive(model, b, cachedMask(demure, b), lambda, 0.5);
          readMask = mask ? Array.from(await mask.data()) : undefined;
        }
        return mask;
      },
    };
    const losses = [];
    for (let step = 0; step < 2; step++) {
      losses.push(await trainStep({ model, optimizer: adam, batch, step, config: trainer, hooks }));
    }
    assert(expected !== undefined);
    assertEquals(losses[0].auxiliary, 0, "warm-up");
    assertGreater(expected.noise.filter((flag) => flag === 1).length, 0, "some noise");
    // The recommendation pass read the positive view exactly when L_rec is denoised.
    assertEquals(readMask, denoiseInput ? Array.from(expected.positive) : undefined);
    assertGreater(expected.value, 0);
    assertAlmostEquals(losses[1].auxiliary, expected.value, 1e-5 * (1 + expected.value));
    adam.dispose();
    model.dispose();
  });
}

Deno.test("the auxiliary loss scales with lambda: lambda 1 gives twice lambda 0.5 at the first step after warm-up", async () => {
  // Up to the end of the warm-up both runs train alike (no contrastive term), so at step 1 the
  // weights, the attributed masks and the dropout are the same: only lambda differs.
  const firstAuxiliary = async (lambda: number) => {
    const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
    const demure = demureHooks(model, { ...SEPARATE, lambda });
    const adam = new Adam();
    const auxiliary: number[] = [];
    for (let step = 0; step < 2; step++) {
      const losses = await trainStep({
        model,
        optimizer: adam,
        batch,
        step,
        config: trainer,
        hooks: demure.hooks,
      });
      auxiliary.push(losses.auxiliary);
    }
    adam.dispose();
    model.dispose();
    return auxiliary;
  };
  const [warmHalf, half] = await firstAuxiliary(0.5);
  const [warmOne, one] = await firstAuxiliary(1);
  assertEquals([warmHalf, warmOne], [0, 0]);
  assertGreater(half, 0);
  assertAlmostEquals(one, 2 * half, 1e-5 * one);
});

/**
 * A hand-checkable stand-in for the model: the fusion sums the weighted modalities, the backbone
 * returns each row's last fused position. Batch 2, one position, modalities 2, dim 2.
 */
const stubModel = {
  fuse: (embeddings: tf.Tensor4D, weights: tf.Tensor3D) =>
    tf.sum(tf.mul(embeddings, tf.expandDims(weights, 3)), 2) as tf.Tensor3D,
  lastStates: (fused: tf.Tensor3D) => {
    const [rows, length, dim] = fused.shape;
    return tf.reshape(tf.slice(fused, [0, length - 1, 0], [rows, 1, dim]), [rows, dim]);
  },
} as unknown as SequentialRecommender;

/**
 * The contrastive term and its gradients with respect to the modality embeddings E and the
 * recommendation pass's states, on the stand-in: E[b, 0] = (e_b, 0) with e_0 = (1, 0) and
 * e_1 = (0, 1) (modality 1 is all zeros), and the recommendation pass's states (e_0, e_1) too.
 * Views: anchor keeps both modalities, positive only modality 0, negative only modality 1.
 */
function stubTermAndGradients(
  term: (context: AuxiliaryLossContext, views: ContrastiveViews) => tf.Scalar,
) {
  const stubBatch = {
    users: Int32Array.of(0, 1),
    items: Int32Array.of(1, 2),
    valid: Float32Array.of(1, 1),
    batchSize: 2,
    length: 1,
  } as SequenceBatch;
  const views: ContrastiveViews = {
    anchor: Float32Array.of(1, 1, 1, 1),
    positive: Float32Array.of(1, 0, 1, 0),
    negative: Float32Array.of(0, 1, 0, 1),
    shape: [2, 1, 2],
    restoredPositive: 0,
    restoredNegative: 0,
  };
  const embeddings = tf.tensor4d([[[[1, 0], [0, 0]]], [[[0, 1], [0, 0]]]]);
  const states = tf.tensor3d([[[1, 0]], [[0, 1]]]);
  const presence = tf.ones([2, 1, 2]) as tf.Tensor3D;
  // + 0 * (sum(states) + sum(E)): tf.grads refuses an input off the path, and the training
  // pass's term does not read the states (its gradient there must be exactly 0).
  const { value, grads } = tf.valueAndGrads((e: tf.Tensor, h: tf.Tensor) =>
    tf.add(
      tf.mul(tf.add(tf.sum(h), tf.sum(e)), 0),
      term({
        embeddings: e as tf.Tensor4D,
        states: h as tf.Tensor3D,
        presence,
        weights: presence,
        fused: h as tf.Tensor3D,
        itemTable: tf.zeros([3, 2]),
        model: stubModel,
        batch: stubBatch,
        step: 0,
        epoch: 0,
        recommendationLoss: tf.scalar(0),
        seed: 5,
      }, views),
    ) as tf.Scalar
  )([embeddings, states]);
  const result = {
    value: value.dataSync()[0],
    byE: Array.from(grads[0].dataSync()),
    byStates: Array.from(grads[1].dataSync()),
  };
  tf.dispose([value, ...grads, embeddings, states, presence]);
  return result;
}

Deno.test("contrastive term by hand: value, and where its gradient flows (E of the views, the anchor's states; never the tapped pass on the training pass)", () => {
  // tau 1, lambda 1, in-batch negatives only. Every anchor a_b and positive p_b is e_b, so the
  // cosine matrix is the identity and L = mean_b [log(e + 1) - 1] = log(1 + e) - 1. With
  // c = 1 / (2 (1 + e)) (softmax weight of the off-diagonal logit over the batch of 2):
  // dL/da_0 = c (p_1 - cos(a_0, p_1) a_0) = (0, c), dL/da_1 = (c, 0); dL/dp_0 = (0, c), dL/dp_1 = (c, 0).
  const config = resolveDemureConfig({ lambda: 1, temperature: 1, noiseViewAsNegative: false });
  const value = Math.log(1 + Math.E) - 1; // 0.31326...
  const c = 1 / (2 * (1 + Math.E)); // 0.13447...
  const before = tf.memory().numTensors;
  const cases = [
    {
      // Anchor = the recommendation pass's states (their gradient flows: no stop-gradient);
      // positive = the positive view, run from E: modality 0 only gets a gradient.
      route: "separate pass, L_rec on the full history",
      term: (x: AuxiliaryLossContext, v: ContrastiveViews) =>
        contrastiveTerm(stubModel, config, x, v, false),
      byE: [0, c, 0, 0, c, 0, 0, 0],
      byStates: [0, c, c, 0],
    },
    {
      // Positive = the recommendation pass's states (it read the denoised history); anchor = the
      // anchor view from E, which keeps both modalities: both get dL/da_b.
      route: "separate pass, L_rec denoised",
      term: (x: AuxiliaryLossContext, v: ContrastiveViews) =>
        contrastiveTerm(stubModel, config, x, v, true),
      byE: [0, c, 0, c, c, 0, c, 0],
      byStates: [0, c, c, 0],
    },
    {
      // Anchor and positive both from E (modality 0 gets dL/da_b + dL/dp_b = 2c, modality 1
      // dL/da_b); the tapped recommendation pass's states get nothing.
      route: "training pass",
      term: (x: AuxiliaryLossContext, v: ContrastiveViews) =>
        trainingPassContrastive(stubModel, config, x, v),
      byE: [0, 2 * c, 0, c, 2 * c, 0, c, 0],
      byStates: [0, 0, 0, 0],
    },
  ];
  for (const { route, term, byE, byStates } of cases) {
    const got = stubTermAndGradients(term);
    assertAlmostEquals(got.value, value, 1e-6, `${route}: value`);
    got.byE.forEach((g, i) => assertAlmostEquals(g, byE[i], 1e-6, `${route}: dL/dE at ${i}`));
    got.byStates.forEach((g, i) =>
      assertAlmostEquals(g, byStates[i], 1e-6, `${route}: dL/dstates at ${i}`)
    );
  }
  assertEquals(tf.memory().numTensors, before, "tensors left behind");
});
