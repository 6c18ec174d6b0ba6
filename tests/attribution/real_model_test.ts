/**
 * The attribution wired to the workspace's real model (SequentialRecommender) through the
 * closure, exactly as the Demure trainer does: both backbones, padding and missing modalities.
 */
import { assert, assertEquals, assertGreater } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeModalities } from "../../lib/attribution/attribute.ts";
import type { LossOfEmbeddings } from "../../lib/attribution/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { tinyDataset } from "../models/_fixtures.ts";
import { spearman } from "./_rank_agreement.ts";

await initBackend({ verbose: false });

const LENGTH = 4;
// Left-padded histories; user 0 has one padding position. Item 0 lacks genre, item 5 lacks text.
const ITEMS = [[0, 0, 1, 2], [1, 2, 3, 4], [2, 3, 4, 5], [5, 0, 1, 2]];
const VALID = [[0, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]];
const TARGETS = [3, 5, 0, 3];

for (const backbone of ["sasrec", "gru4rec"] as const) {
  Deno.test(`attribution on the real ${backbone} model: valid pairs only, agrees with occlusion`, async () => {
    const model = new SequentialRecommender(tinyDataset(), {
      backbone,
      dim: 32,
      maxLength: LENGTH,
    });
    const items = tf.tensor2d(ITEMS, undefined, "int32");
    const valid = tf.tensor2d(VALID);
    const targets = tf.tensor1d(TARGETS, "int32");
    const embeddings = model.embedModalities(items);
    const presence = model.presence(items);
    const weights = tf.mul(presence, tf.expandDims(valid, 2)) as tf.Tensor3D;
    const itemTable = model.itemTable();
    // Per-user cross-entropy of the next item after the last position; inference mode.
    const lossOf: LossOfEmbeddings = (e, w) =>
      tf.tidy(() => {
        const states = model.userStates(model.fuse(e, w, presence), valid, false);
        const last = tf.squeeze(tf.slice(states, [0, LENGTH - 1, 0], [-1, 1, -1]), [1]);
        const logits = tf.matMul(last, itemTable, false, true);
        const picked = tf.sum(tf.mul(logits, tf.oneHot(targets, model.numItems)), 1);
        return tf.sub(tf.logSumExp(logits, 1), picked) as tf.Tensor1D;
      });
    const before = tf.memory().numTensors;
    const gxi = await attributeModalities(lossOf, embeddings, weights);
    const occ = await attributeModalities(lossOf, embeddings, weights, { method: "occlusion" });
    const viaMask = await attributeModalities(lossOf, embeddings, weights, {
      method: "mask_gradient",
    });
    assertEquals(tf.memory().numTensors, before, "tensors leaked");

    const weightValues = weights.dataSync();
    for (let i = 0; i < weightValues.length; i++) {
      assertEquals(gxi.validMask[i], weightValues[i] > 0 ? 1 : 0);
      if (!gxi.validMask[i]) assertEquals([gxi.noiseMask[i], gxi.contributions[i]], [0, 0]);
    }
    // User 0: padding at position 0 (3 pairs) and item 0 without genre: 12 - 3 - 1 = 8 valid.
    assertEquals(gxi.validMask.slice(0, 12).reduce((s, v) => s + v, 0), 8);

    const perUser = LENGTH * 3;
    const agreement = (a: Float32Array, b: Float32Array) =>
      [0, 1, 2, 3].map((user) => {
        const cells = Array.from({ length: perUser }, (_, k) => user * perUser + k)
          .filter((i) => gxi.validMask[i]);
        return spearman(cells.map((i) => a[i]), cells.map((i) => b[i]));
      });
    const mean = (r: number[]) => r.reduce((s, v) => s + v, 0) / r.length;
    const ofGradient = agreement(gxi.contributions, occ.contributions);
    const ofMask = agreement(viaMask.contributions, occ.contributions);
    const show = (r: number[]) => r.map((v) => v.toFixed(3)).join(", ");
    console.log(
      `${backbone}: spearman with occlusion per user: g x i [${show(ofGradient)}], ` +
        `mask gradient [${show(ofMask)}]`,
    );
    // Gradient x input linearises "e -> 0", occlusion measures "w -> 0" through a masked mean
    // that renormalises; they agree only loosely. The mask gradient linearises occlusion itself.
    assertGreater(mean(ofGradient), 0.4);
    assertGreater(mean(ofMask), 0.9);
    assertGreater(mean(ofMask), mean(ofGradient));
    assert(ofMask.every((r) => r > 0.8), `${ofMask}`);
    tf.dispose([items, valid, targets, embeddings, presence, weights, itemTable]);
    model.dispose();
  });
}
