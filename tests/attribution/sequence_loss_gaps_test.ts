/**
 * sequenceLossOf's closure keeps the tensor count flat outside any tidy of the caller (found by
 * mutation round OA).
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { sequenceLossOf, withNextItemTargets } from "../../lib/attribution/sequence_loss.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { tinyDataset, TWO_PADDED_HISTORIES } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("sequenceLossOf: each call of the loss adds its [batch] loss and nothing else", () => {
  const batch = TWO_PADDED_HISTORIES;
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3, seed: 2 });
  const items = tf.tensor2d(batch.items, [2, 3], "int32");
  const presence = model.presence(items);
  const embeddings = model.embedModalities(items);
  const itemTable = model.itemTable();
  const weights = tf.onesLike(presence) as tf.Tensor3D;
  try {
    const lossOf = sequenceLossOf(
      model,
      withNextItemTargets(batch, Int32Array.of(3, 0)),
      presence,
      itemTable,
    );
    // Attribution calls it inside its own tidy; a bench or an explanation may not: the closure's
    // own tidy must free the states, logits and per-position losses.
    tf.dispose(lossOf(embeddings, weights)); // a first call may build the model's caches
    const before = tf.memory().numTensors;
    for (let call = 0; call < 2; call++) {
      const loss = lossOf(embeddings, weights);
      assertEquals(loss.shape, [2]);
      assertEquals(tf.memory().numTensors, before + 1, `call ${call}: only the loss is new`);
      loss.dispose();
    }
    assertEquals(tf.memory().numTensors, before);
  } finally {
    tf.dispose([items, presence, embeddings, itemTable, weights]);
    model.dispose();
  }
});
