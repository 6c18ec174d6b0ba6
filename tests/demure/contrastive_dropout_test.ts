/**
 * The contrastive term's views draw their own dropout masks, not the recommendation pass's: with
 * no noise (positive view = anchor view) and dropout on, the positive state read by the views'
 * pass differs from the anchor state the recommendation pass gave, so L_cl is not InfoNCE(h, h).
 * GRU4Rec, whose last state is the last row of its states whatever the batch's shape, so that a
 * pass that reused the recommendation pass's seed would reproduce its state exactly.
 */
import { assert, assertAlmostEquals, assertEquals, assertGreater } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import { contrastiveTerm, trainingPassContrastive } from "../../lib/demure/_contrastive_term.ts";
import { hashSeeds } from "../../lib/util/random.ts";
import { validMaskOf } from "../../lib/demure/_batch_pairs.ts";
import { buildContrastiveViews } from "../../lib/demure/views.ts";
import { infoNce } from "../../lib/losses/info_nce.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { auxiliaryContext } from "../models/_fixtures.ts";
import { batch, split } from "./_one_batch.ts";

await initBackend({ verbose: false });

/** The GRU4Rec model of these tests at dropout `rate`, and the batch's views without noise. */
function modelAndViews(rate: number) {
  const model = new SequentialRecommender(split.dataset, {
    backbone: "gru4rec",
    dim: 8,
    maxLength: 4,
    seed: 1,
    gru4rec: { dropout: rate },
  });
  const shape: [number, number, number] = [batch.batchSize, batch.length, model.numModalities];
  const validMask = validMaskOf(model, batch);
  const views = buildContrastiveViews(validMask, new Uint8Array(validMask.length), shape);
  return { model, shape, views };
}

/** [the contrastive term, InfoNCE(anchor state, anchor state)] at GRU dropout `rate`. */
function termAndSelfPair(rate: number): [number, number] {
  const { model, views } = modelAndViews(rate);
  const config = resolveDemureConfig({ lambda: 1, temperature: 0.5, noiseViewAsNegative: false });
  const seed = 91;
  const values = tf.tidy(() => {
    const out = model.forward(batch, { training: true, dropoutSeed: seed });
    const context = auxiliaryContext(model, batch, out, seed);
    const term = contrastiveTerm(model, config, context, views, false);
    const [b, length, dim] = out.states.shape;
    const anchor = tf.reshape(tf.slice(out.states, [0, length - 1, 0], [b, 1, dim]), [b, dim]);
    const selfPair = infoNce(anchor as tf.Tensor2D, anchor as tf.Tensor2D, { temperature: 0.5 });
    return tf.stack([term, selfPair]);
  });
  const [term, selfPair] = values.dataSync();
  values.dispose();
  model.dispose();
  return [term, selfPair];
}

Deno.test("contrastive term: the views' pass draws dropout apart from the recommendation pass (positive = anchor view)", () => {
  const before = tf.memory().numTensors;
  // Without dropout the positive view of a noise-free batch is the anchor: InfoNCE(h, h).
  const [plain, plainSelf] = termAndSelfPair(0);
  assertAlmostEquals(plain, plainSelf, 1e-5);
  // With dropout the two passes see different masks: the positive state is not the anchor's.
  const [dropped, droppedSelf] = termAndSelfPair(0.5);
  assertGreater(Math.abs(dropped - droppedSelf), 1e-3);
  assertEquals(tf.memory().numTensors, before, "tensors left behind");
});

Deno.test("contrastive term: the views' pass is a training pass, not the inference-mode states", () => {
  // A views' pass in inference mode (no dropout) would give a positive state that does not
  // depend on the step: InfoNCE(h, inference state of the positive view) exactly.
  const { model, shape, views } = modelAndViews(0.5);
  const config = resolveDemureConfig({ lambda: 1, temperature: 0.5, noiseViewAsNegative: false });
  const values = tf.tidy(() => {
    const out = model.forward(batch, { training: true, dropoutSeed: 91 });
    const context = auxiliaryContext(model, batch, out, 91);
    const term = contrastiveTerm(model, config, context, views, false);
    const [b, length, dim] = out.states.shape;
    const anchor = tf.reshape(tf.slice(out.states, [0, length - 1, 0], [b, 1, dim]), [b, dim]);
    const inference = model.lastStates(
      model.fuse(context.embeddings, tf.tensor3d(views.positive, shape), context.presence),
      tf.tensor2d(batch.valid, [b, length]),
      false,
    );
    const withInference = infoNce(anchor as tf.Tensor2D, inference, { temperature: 0.5 });
    return tf.stack([term, withInference]);
  });
  const [term, withInference] = values.dataSync();
  values.dispose();
  model.dispose();
  assertGreater(Math.abs(term - withInference), 1e-3);
});

Deno.test("contrastive term: the views' pass runs the negative view only when it is a negative", () => {
  // Without noiseViewAsNegative the noise-only view is unused: it must not be run (a pass of 2B
  // rows instead of B, whose dropout would also differ from a pass of B).
  const { model, views } = modelAndViews(0);
  const rows: number[] = [];
  const lastStates = model.lastStates.bind(model);
  model.lastStates = (fused, ...rest) => {
    rows.push(fused.shape[0]);
    return lastStates(fused, ...rest);
  };
  for (const noiseViewAsNegative of [false, true]) {
    const config = resolveDemureConfig({ noiseViewAsNegative });
    tf.tidy(() => {
      const out = model.forward(batch, { training: true, dropoutSeed: 91 });
      contrastiveTerm(model, config, auxiliaryContext(model, batch, out, 91), views, false);
    });
  }
  assertEquals(rows, [batch.batchSize, 2 * batch.batchSize]);
  model.dispose();
});

Deno.test("contrastive term: on both routes the views run as one packed training pass, seeded apart from the recommendation pass", () => {
  // The separate-pass route stacks the views it still needs (B rows, 2B with the negative), the
  // training-pass route all of them (2B, 3B): only those the step uses, as one pass in training
  // mode, packed over its stacked rows, whose dropout seed is hashSeeds(seed, 1) on both routes
  // (not the recommendation pass's seed: its masks would repeat that pass's).
  const { model, views } = modelAndViews(0);
  const calls: { rows: number; training: boolean; seed?: number; packed?: number }[] = [];
  const lastStates = model.lastStates.bind(model);
  model.lastStates = (fused, valid, training, dropoutSeed, packing) => {
    calls.push({ rows: fused.shape[0], training, seed: dropoutSeed, packed: packing?.batch });
    return lastStates(fused, valid, training, dropoutSeed, packing);
  };
  for (const noiseViewAsNegative of [false, true]) {
    const config = resolveDemureConfig({ noiseViewAsNegative });
    tf.tidy(() => {
      const out = model.forward(batch, { training: true, dropoutSeed: 91 });
      const context = auxiliaryContext(model, batch, out, 91);
      contrastiveTerm(model, config, context, views, false);
      trainingPassContrastive(model, config, context, views);
    });
  }
  const seed = hashSeeds(91, 1);
  assert(seed !== 91);
  const pass = (copies: number) => {
    const rows = copies * batch.batchSize;
    return { rows, training: true, seed, packed: rows };
  };
  assertEquals(calls, [pass(1), pass(2), pass(2), pass(3)]);
  model.dispose();
});

Deno.test("contrastive term: the views' pass leaves the batch's padding out of every stacked copy", () => {
  // The fixture's rows are left-padded, [0, 0, 1, 1] each: every copy of the batch in the
  // stacked pass must carry those padding flags (and a packing of the same rows), not ones.
  assertEquals(Array.from(batch.valid), [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
  const { model, views } = modelAndViews(0);
  const calls: { valid: number[]; slots: number[] }[] = [];
  const lastStates = model.lastStates.bind(model);
  model.lastStates = (fused, valid, training, dropoutSeed, packing) => {
    calls.push({ valid: Array.from(valid.dataSync()), slots: Array.from(packing?.slots ?? []) });
    return lastStates(fused, valid, training, dropoutSeed, packing);
  };
  const config = resolveDemureConfig({ noiseViewAsNegative: true });
  tf.tidy(() => {
    const out = model.forward(batch, { training: true, dropoutSeed: 91 });
    const context = auxiliaryContext(model, batch, out, 91);
    contrastiveTerm(model, config, context, views, false); // positive + negative: 2 copies
    trainingPassContrastive(model, config, context, views); // anchor + positive + negative: 3
  });
  const stacked = (copies: number) => {
    const rows = copies * batch.batchSize;
    const valid = Array.from({ length: rows }, () => [0, 0, 1, 1]).flat();
    // Real slots numbered 1, 2, ... in row order (two per row); padding 0.
    const slots = valid.map((flag, i) => flag ? 1 + 2 * Math.floor(i / 4) + (i % 4) - 2 : 0);
    return { valid, slots };
  };
  assertEquals(calls, [stacked(2), stacked(3)]);
  model.dispose();
});
