/**
 * SequentialRecommender's own wiring, around the backbones: the dropout seed a model starts with
 * and the one lastStates is given, the presence `fuse` takes when none is given, the mask
 * `forward` hands back (a copy of its own), the weights `scoreLast` scores under, and a resolved
 * config that does not share the caller's list.
 */
import { assert, assertAlmostEquals, assertEquals, assertNotEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import {
  resolveModelConfig,
  SequentialRecommender,
} from "../../lib/models/sequential_recommender.ts";
import { tinyDataset, TWO_FULL_HISTORIES } from "./_fixtures.ts";

await initBackend({ verbose: false });

const BATCH: SequenceBatch = TWO_FULL_HISTORIES;

/** A mask that drops the text modality (the second of id, text, genre) at every position. */
function dropText(): tf.Tensor3D {
  return tf.tensor3d(
    Array.from({ length: 12 * 3 }, (_, k) => (k % 3 === 1 ? 0 : 1)),
    [2, 6, 3],
  );
}

const flat = (tensor: tf.Tensor) => Array.from(tensor.dataSync());

Deno.test("a new model's dropout seed is its config seed; setDropoutSeed replaces it", () => {
  // The trainer sets a seed before every step; a forward in training mode without one (a
  // notebook's) draws the masks of the model's seed, as ForwardOptions.dropoutSeed documents.
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: 6,
    seed: 9,
    sasrec: { dropout: 0.5 },
  });
  try {
    const states = (options: { dropoutSeed?: number }) =>
      tf.tidy(() => flat(model.forward(BATCH, { training: true, ...options }).states));
    const unseeded = states({});
    assertEquals(unseeded, states({ dropoutSeed: 9 }));
    assertNotEquals(unseeded, states({ dropoutSeed: 0 }), "seeds 9 and 0 draw other masks");
    model.setDropoutSeed(4);
    assertEquals(states({}), states({ dropoutSeed: 4 }));
  } finally {
    model.dispose();
  }
});

Deno.test("lastStates draws the dropout masks of the seed it is given, not the model's", () => {
  // Demure's contrastive views pass their own seed: the recommendation pass's masks (the model's
  // seed, set per step) would make a view's positive pair easier.
  for (const backbone of ["sasrec", "gru4rec"] as const) {
    const model = new SequentialRecommender(tinyDataset(), {
      backbone,
      dim: 8,
      maxLength: 6,
      sasrec: { dropout: 0.5 },
      gru4rec: { dropout: 0.5 },
    });
    try {
      tf.tidy(() => {
        const { fused } = model.forward(BATCH);
        const valid = tf.tensor2d(BATCH.valid, [2, 6]);
        const last = (seed?: number) => flat(model.lastStates(fused, valid, true, seed));
        model.setDropoutSeed(5);
        const own = last(5);
        model.setDropoutSeed(6);
        assertEquals(last(5), own, backbone);
        assertNotEquals(last(), own, `${backbone}: seeds 5 and 6 draw other masks`);
      });
    } finally {
      model.dispose();
    }
  }
});

Deno.test("fuse without a presence fuses every modality (presence all ones)", () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  try {
    const [given, defaulted] = tf.tidy(() => {
      const out = model.forward(BATCH);
      const weights = dropText();
      return [
        flat(model.fuse(out.embeddings, weights, tf.onesLike(weights))),
        flat(model.fuse(out.embeddings, weights)),
      ];
    });
    assert(given.some((v) => Math.abs(v) > 1e-3), "the fused rows are not zero");
    assertEquals(defaulted, given);
  } finally {
    model.dispose();
  }
});

Deno.test("forward hands back the mask it fused with; scoreLast scores under its weights", () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  try {
    tf.tidy(() => {
      const weights = dropText();
      const out = model.forward(BATCH, { weights });
      assertEquals(flat(out.weights), flat(weights));
      // The masked scores: the last state of the masked forward times the item table.
      const last = tf.reshape(tf.slice(out.states, [0, 5, 0], [2, 1, 8]), [2, 8]);
      const want = flat(tf.matMul(last, out.itemTable, false, true));
      const scores = flat(model.scoreLast(BATCH, weights));
      want.forEach((value, k) => assertAlmostEquals(scores[k], value, 1e-5, `score ${k}`));
      // ...which are not the unmasked ones (else the check above could not see the weights).
      const plain = flat(model.scoreLast(BATCH));
      assert(plain.some((value, k) => Math.abs(value - scores[k]) > 1e-4), "the mask matters");
    });
  } finally {
    model.dispose();
  }
});

Deno.test("forward's outputs are its own: disposing them leaves the caller's mask", () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  const weights = dropText();
  try {
    tf.dispose(Object.values(model.forward(BATCH, { weights })));
    assert(!weights.isDisposed, "the caller's mask was disposed with the outputs");
  } finally {
    weights.dispose();
    model.dispose();
  }
});

Deno.test("resolveModelConfig keeps its own copy of the modality list", () => {
  const modalities = ["id", "text"];
  const config = resolveModelConfig({ modalities });
  modalities.push("genre");
  assertEquals(config.modalities, ["id", "text"]);
});
