/**
 * Gaps found by mutation round MH in attributeModalities: a refused input names attributeModalities
 * (not another caller of the shared check), and leaves no tensor behind.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeModalities } from "../../lib/attribution/attribute.ts";

await initBackend({ verbose: false });

Deno.test("attributeModalities: embeddings or a mask of the wrong shape are refused naming attributeModalities (MH27)", async () => {
  const e = tf.ones([2, 3, 2, 4]) as tf.Tensor4D;
  const flat = tf.ones([2, 3, 2]) as unknown as tf.Tensor4D;
  const wrongMask = tf.ones([2, 3, 3]) as tf.Tensor3D;
  const loss = (x: tf.Tensor4D) => tf.sum(x, [1, 2, 3]) as tf.Tensor1D;
  try {
    const before = tf.memory().numTensors;
    const shapeError = await assertRejects(() => attributeModalities(loss, e, wrongMask));
    assertEquals(
      shapeError.message,
      "attributeModalities: mask must be [batch, position, modality] = [2,3,2], got [2,3,3]",
    );
    const rankError = await assertRejects(() => attributeModalities(loss, flat, wrongMask));
    assertEquals(
      rankError.message,
      "attributeModalities: embeddings must be [batch, position, modality, dim], got shape [2,3,2]",
    );
    assertEquals(tf.memory().numTensors, before, "no tensor left by a refusal");
  } finally {
    tf.dispose([e, flat, wrongMask]);
  }
});
