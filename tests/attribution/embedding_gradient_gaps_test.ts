/**
 * Edges of embeddingGradient / maskGradient the other attribution tests leave open (mutation round
 * MF): what the rank error names when the mask has another shape, a scalar loss, and the batch of
 * one.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { embeddingGradient, maskGradient } from "../../lib/attribution/embedding_gradient.ts";

await initBackend({ verbose: false });

/** sum over (p, m, d) of E * w: per user, dL/dE = w and dL/dw = sum_d E. */
const linear = (emb: tf.Tensor4D, mask: tf.Tensor3D) =>
  tf.sum(tf.mul(emb, tf.expandDims(mask, 3)), [1, 2, 3]) as tf.Tensor1D;

Deno.test("embeddingGradient's rank error names the embeddings' shape, not the mask's", async () => {
  const flat = tf.zeros([2, 2, 3]) as unknown as tf.Tensor4D;
  const w = tf.ones([2, 2, 2]) as tf.Tensor3D;
  await assertRejects(
    () => embeddingGradient(linear, flat, w),
    Error,
    "embeddingGradient: embeddings must be [batch, position, modality, dim], got shape [2,2,3]",
  );
  tf.dispose([flat, w]);
});

Deno.test("a scalar loss (summed over the users) is refused by both gradients, without a leak", async () => {
  // One number for the whole batch would still differentiate, and each user's row would look
  // right; only its shape says it is not one loss per user.
  const e = tf.ones([2, 1, 2, 3]) as tf.Tensor4D;
  const w = tf.ones([2, 1, 2]) as tf.Tensor3D;
  const total = (emb: tf.Tensor4D, mask: tf.Tensor3D) =>
    tf.sum(linear(emb, mask)) as unknown as tf.Tensor1D;
  const before = tf.memory().numTensors;
  for (
    const [where, run] of [["embeddingGradient", embeddingGradient], [
      "maskGradient",
      maskGradient,
    ]] as const
  ) {
    await assertRejects(
      () => run(total, e, w),
      Error,
      `${where}: lossOfEmbeddings must return [batch = 2], got []`,
    );
  }
  assertEquals(tf.memory().numTensors, before, "no tensor left behind");
  tf.dispose([e, w]);
});

Deno.test("a batch of one: dL/dE is the mask and dL/dw the summed embedding", async () => {
  const e = tf.tensor4d([[[[1, 2], [3, -4]]]]); // [1, 1, 2, 2]
  const w = tf.tensor3d([[[1, 0.5]]]);
  const byE = await embeddingGradient(linear, e, w);
  const byW = await maskGradient(linear, e, w);
  assertEquals(Array.from(byE.gradient), [1, 1, 0.5, 0.5]);
  assertEquals(Array.from(byW.gradient), [3, -1]);
  assertEquals(Array.from(byE.loss), [1 + 2 + 0.5 * (3 - 4)]);
  assertEquals(Array.from(byW.loss), Array.from(byE.loss));
  tf.dispose([e, w]);
});
