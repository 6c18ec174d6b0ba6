/**
 * attributeBatch's error paths: the four input tensors it builds are freed whichever step throws
 * (found by mutation round OA).
 */
import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { attributeBatch } from "../../lib/attribution/attribute_batch.ts";
import { withNextItemTargets } from "../../lib/attribution/sequence_loss.ts";
import type { AttributionConfig } from "../../lib/attribution/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { tinyDataset, TWO_PADDED_HISTORIES } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const batch = TWO_PADDED_HISTORIES;

Deno.test("attributeBatch frees its inputs when the loss cannot be built or the config is refused", async () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3, seed: 2 });
  try {
    const withTargets = withNextItemTargets(batch, Int32Array.of(3, 0));
    // The first call may build what the model keeps (its item encoder's caches); count from there.
    await attributeBatch(model, withTargets, { method: "occlusion" });
    const before = tf.memory().numTensors;
    // No targets: sequenceLossOf throws after the inputs exist (it once ran outside the try).
    await assertRejects(
      () => attributeBatch(model, batch, { method: "occlusion" }),
      Error,
      "sequenceLossOf: the batch carries no targets",
    );
    assertEquals(tf.memory().numTensors, before, "no targets: tensors leaked");
    // A refused config: attributeModalities throws; the inputs still go (freed in `finally`).
    const bogus = { method: "bogus" } as unknown as Partial<AttributionConfig>;
    await assertRejects(() => attributeBatch(model, withTargets, bogus), Error, "bogus");
    assertEquals(tf.memory().numTensors, before, "refused config: tensors leaked");
    // Integrated gradients, the one method the other leak test does not run, leaves none either.
    await attributeBatch(model, withTargets, {
      method: "integrated_gradients",
      integratedGradientsSteps: 2,
    });
    assertEquals(tf.memory().numTensors, before, "integrated gradients: tensors leaked");
  } finally {
    model.dispose();
  }
});

Deno.test("attributeBatch reads padding from the batch's valid flags, not from item id 0", async () => {
  // Item 0 is a real item (it has modalities); here it sits at real positions, and a padding
  // position holds another id: only `valid` says which is which.
  const mixed: SequenceBatch = {
    users: Int32Array.of(0, 1),
    items: Int32Array.of(4, 1, 0, 3, 0, 5),
    valid: Float32Array.of(0, 1, 1, 1, 1, 1),
    batchSize: 2,
    length: 3,
  };
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3, seed: 2 });
  try {
    const presence = model.presenceOf(mixed.items);
    const modalities = model.numModalities;
    assertEquals(presence[2 * modalities], 1, "item 0 has its first modality");
    const result = await attributeBatch(model, withNextItemTargets(mixed, Int32Array.of(3, 0)), {
      method: "occlusion",
    });
    const expected = Array.from(
      presence,
      (p, i) => (mixed.valid[Math.floor(i / modalities)] > 0 ? p : 0),
    );
    assertEquals(Array.from(result.validMask), expected);
  } finally {
    model.dispose();
  }
});
