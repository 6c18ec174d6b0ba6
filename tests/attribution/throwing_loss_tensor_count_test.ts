/**
 * A loss that throws while it is differentiated leaves no tensor behind, through every public
 * entry of the attribution (computeContributions for each method, embeddingGradient,
 * maskGradient): tfjs keeps the inputs of each op it recorded for the backward pass, and a throw
 * before that pass left them alive (3 tensors a call on this loss, 4 for integrated gradients).
 */
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import {
  computeContributions,
  embeddingGradient,
  maskGradient,
} from "../../lib/attribution/mod.ts";
import {
  ATTRIBUTION_METHODS,
  DEFAULT_ATTRIBUTION_CONFIG,
  type LossOfEmbeddings,
} from "../../lib/attribution/types.ts";
import { assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

/** Per-user sum of the masked embeddings, throwing from its `breakAt`-th call on (1-based). */
function breakingLoss(breakAt: number): LossOfEmbeddings {
  let calls = 0;
  return (embeddings, mask) => {
    const loss = tf.sum(tf.mul(embeddings, tf.expandDims(mask, 3)), [1, 2, 3]) as tf.Tensor1D;
    if (++calls >= breakAt) throw new Error(`loss broke at call ${calls}`);
    return loss;
  };
}

Deno.test("a loss that throws while differentiated leaves no tensor, whichever entry ran it", async () => {
  const e = tf.tensor4d([[[[1, 2]], [[3, -1]]]]);
  const w = tf.tensor3d([[[1], [1]]]);
  try {
    for (const method of ATTRIBUTION_METHODS) {
      // Integrated gradients breaks on its second path point too, after the first's backward pass.
      for (const breakAt of method === "integrated_gradients" ? [1, 2] : [1]) {
        await assertRefusalFlat(
          `${method}, loss broken from call ${breakAt}`,
          () =>
            computeContributions(breakingLoss(breakAt), e, w, {
              ...DEFAULT_ATTRIBUTION_CONFIG,
              method,
              integratedGradientsSteps: 3,
            }),
          Error,
          `loss broke at call ${breakAt}`,
        );
      }
    }
    await assertRefusalFlat(
      "embeddingGradient",
      () => embeddingGradient(breakingLoss(1), e, w),
      Error,
      "loss broke at call 1",
    );
    await assertRefusalFlat(
      "maskGradient",
      () => maskGradient(breakingLoss(1), e, w),
      Error,
      "loss broke at call 1",
    );
  } finally {
    tf.dispose([e, w]);
  }
});
