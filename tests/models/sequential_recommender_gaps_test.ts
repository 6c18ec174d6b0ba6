/**
 * SequentialRecommender edges a third mutation pass (round LC) found unpinned: what the heads
 * error says is allowed (the divisor of which dim), and the mask `forward` uses by default.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import {
  resolveModelConfig,
  SequentialRecommender,
} from "../../lib/models/sequential_recommender.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset, TWO_FULL_HISTORIES } from "./_fixtures.ts";

await initBackend({ verbose: false });

const BATCH: SequenceBatch = TWO_FULL_HISTORIES;

Deno.test("ModelConfig: heads that do not divide dim are refused, the allowed range naming dim's value", () => {
  // "a divisor of ModelConfig.dim" alone leaves the reader to look dim up (it may be a default).
  for (
    const [input, allowed] of [[{ sasrec: { heads: 3 } }, 64], [
      { dim: 10, sasrec: { heads: 4 } },
      10,
    ]] as const
  ) {
    const error = assertThrows(() => resolveModelConfig(input), SettingError) as SettingError;
    assertEquals(error.setting, "ModelConfig.sasrec.heads");
    assertEquals(error.allowed, `a divisor of ModelConfig.dim (${allowed})`);
  }
});

Deno.test("forward without weights fuses with, and hands back, w = 1 everywhere (not the presence)", () => {
  // w is the masking hook and P the data: the default mask is all ones even at a modality an item
  // lacks (items 0 and 5 each lack one); P alone hides those. A default of w = P would fuse the
  // same but hand Demure a mask that already hides what is missing.
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  try {
    tf.tidy(() => {
      const out = model.forward(BATCH);
      assertEquals(out.weights.shape, [2, 6, 3]);
      assert(out.weights.dataSync().every((v) => v === 1), "default w is all ones");
      assert(out.presence.dataSync().some((v) => v === 0), "the fixture can tell: some P is 0");
    });
  } finally {
    model.dispose();
  }
});

Deno.test("the model's steps leave exactly their result behind (defaults included), for both backbones", () => {
  // The trainer and Demure call these every step: an intermediate left outside a tidy (the item
  // encodings, a default presence, GRU4Rec's full states) would pile up one per step.
  for (const backbone of ["sasrec", "gru4rec"] as const) {
    const model = new SequentialRecommender(tinyDataset(), { backbone, dim: 8, maxLength: 6 });
    const items = tf.tensor2d(BATCH.items, [2, 6], "int32");
    const valid = tf.tensor2d(BATCH.valid, [2, 6]);
    const weights = tf.ones([2, 6, 3]) as tf.Tensor3D;
    const embeddings = model.embedModalities(items);
    const fused = model.fuse(embeddings, weights);
    try {
      const steps: Record<string, () => tf.Tensor> = {
        embedModalities: () => model.embedModalities(items),
        fuse: () => model.fuse(embeddings, weights),
        itemTable: () => model.itemTable(),
        userStates: () => model.userStates(fused, valid, true, 1),
        lastStates: () => model.lastStates(fused, valid, true, 1),
      };
      for (const [name, step] of Object.entries(steps)) {
        const before = tf.memory().numTensors;
        const out = step();
        assertEquals(tf.memory().numTensors, before + 1, `${backbone} ${name}`);
        out.dispose();
      }
    } finally {
      tf.dispose([items, valid, weights, embeddings, fused]);
      model.dispose();
    }
  }
});

Deno.test("lastStates takes SASRec's last-row path in training too (its own masks), not userStates' last row", () => {
  // Demure's contrastive views train through lastStates: the last-row path drops the last
  // block's outputs with masks over [batch, dim], the full path over [real positions, dim], so a
  // switch to the full path in training would change every training number. At inference the
  // two agree.
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: 6,
    sasrec: { dropout: 0.5 },
  });
  try {
    tf.tidy(() => {
      const { fused } = model.forward(BATCH);
      const valid = tf.tensor2d(BATCH.valid, [2, 6]);
      const lastRow = (training: boolean) =>
        tf.reshape(tf.slice(model.userStates(fused, valid, training, 7), [0, 5, 0], [2, 1, 8]), [
          2,
          8,
        ]).dataSync();
      const inference = model.lastStates(fused, valid, false, 7).dataSync();
      lastRow(false).forEach((v, i) => assertAlmostEquals(inference[i], v, 1e-5));
      const trained = model.lastStates(fused, valid, true, 7).dataSync();
      const full = lastRow(true);
      assert(trained.some((v, i) => Math.abs(v - full[i]) > 1e-3), "the last-row path's masks");
    });
  } finally {
    model.dispose();
  }
});
