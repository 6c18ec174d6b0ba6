/**
 * computeContributions and contributionsOfGradient at their edges: the errors name the function
 * the caller called (and the method), an unknown method is refused, and a gradient method's
 * result has no lossChange key. Found by mutation round LG (LG47-LG51).
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  computeContributions,
  contributionsAndMask,
  contributionsOfGradient,
  type EmbeddingGradientMethod,
} from "../../lib/attribution/contributions.ts";
import { type AttributionMethod, DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/types.ts";

await initBackend({ verbose: false });

/** Loss per user: the sum of every masked embedding value, `[batch]`. */
const sumLoss = (emb: tf.Tensor4D, mask: tf.Tensor3D) =>
  tf.sum(tf.mul(emb, tf.expandDims(mask, 3)), [1, 2, 3]) as tf.Tensor1D;

/** [batch 1, position 2, modality 1, dim 2] with both pairs valid. */
function inputs(): { e: tf.Tensor4D; w: tf.Tensor3D } {
  return { e: tf.tensor4d([[[[1, 2]], [[3, -1]]]]), w: tf.tensor3d([[[1], [1]]]) };
}

Deno.test("contributionsOfGradient refuses a method it does not know instead of taking the norm (LG50)", () => {
  const g = tf.tensor4d([[[[3, 4]]]]);
  const e = tf.tensor4d([[[[1, 1]]]]);
  const before = tf.memory().numTensors;
  const error = assertThrows(() =>
    contributionsOfGradient(g, e, "occlusion" as unknown as EmbeddingGradientMethod)
  );
  assertEquals(
    error.message,
    'contributionsOfGradient: unknown method "occlusion"; allowed: "gradient_x_input", "gradient_norm"',
  );
  assertEquals(tf.memory().numTensors, before);
  // The two methods: -g.e and |g|.
  const byInput = contributionsOfGradient(g, e, "gradient_x_input");
  const byNorm = contributionsOfGradient(g, e, "gradient_norm");
  assertEquals([...byInput.dataSync(), ...byNorm.dataSync()], [-7, 5]);
  tf.dispose([g, e, byInput, byNorm]);
});

Deno.test("computeContributions names itself and an unknown method (LG48, LG49)", async () => {
  const { e, w } = inputs();
  const unknown = await assertRejects(() =>
    computeContributions(sumLoss, e, w, {
      ...DEFAULT_ATTRIBUTION_CONFIG,
      method: "saliency" as unknown as AttributionMethod,
    })
  );
  assertEquals(unknown.message, 'computeContributions: unknown method "saliency"');
  const flat = tf.tensor3d([[[1, 2], [3, -1]]]);
  const rank = await assertRejects(() =>
    computeContributions(sumLoss, flat as unknown as tf.Tensor4D, w)
  );
  assertEquals(rank.message.startsWith("computeContributions: embeddings must be"), true);
  tf.dispose([e, w, flat]);
});

Deno.test("a gradient method's loss of another shape names embeddingGradient (LG51)", async () => {
  const { e, w } = inputs();
  const perPosition = (emb: tf.Tensor4D, mask: tf.Tensor3D) =>
    tf.reshape(tf.sum(tf.mul(emb, tf.expandDims(mask, 3)), [2, 3]), [-1]) as tf.Tensor1D;
  for (const method of ["gradient_x_input", "gradient_norm"] as const) {
    const error = await assertRejects(() =>
      computeContributions(perPosition, e, w, { ...DEFAULT_ATTRIBUTION_CONFIG, method })
    );
    assertEquals(
      error.message,
      "embeddingGradient: lossOfEmbeddings must return [batch = 1], got [2]",
    );
  }
  tf.dispose([e, w]);
});

Deno.test("contributionsAndMask gives lossChange for integrated gradients only, no undefined key otherwise (LG47)", async () => {
  const { e, w } = inputs();
  for (
    const method of ["gradient_x_input", "gradient_norm", "mask_gradient", "occlusion"] as const
  ) {
    const result = await contributionsAndMask(sumLoss, e, w, {
      ...DEFAULT_ATTRIBUTION_CONFIG,
      method,
    });
    assertEquals(Object.keys(result).sort(), ["contributions", "mask"], method);
  }
  const integrated = await contributionsAndMask(sumLoss, e, w, {
    ...DEFAULT_ATTRIBUTION_CONFIG,
    method: "integrated_gradients",
  });
  assertEquals(Object.keys(integrated).sort(), ["contributions", "lossChange", "mask"]);
  tf.dispose([e, w]);
});
