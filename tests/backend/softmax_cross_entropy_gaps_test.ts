/**
 * Edges of softmaxCrossEntropy the other softmax tests leave open (mutation round MF): logits far
 * beyond exp's float32 range on both paths, float ids refused by our message on the composite path
 * too, and one item per row.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  registerSoftmaxCrossEntropyKernel,
  softmaxCrossEntropy,
} from "../../lib/backend/kernels/softmax_cross_entropy.ts";
import { lossAndGradient } from "./_softmax_by_hand.ts";

const FUSED = "DemureSoftmaxCrossEntropy";

/** Runs `check` with the fused kernel unregistered (the composite path), then registers it again. */
async function withoutFused(check: () => Promise<void> | void): Promise<void> {
  await initBackend({ verbose: false });
  const backend = tf.getBackend() as "wasm" | "cpu";
  tf.unregisterKernel(FUSED, backend);
  try {
    await check();
  } finally {
    registerSoftmaxCrossEntropyKernel(backend);
  }
}

Deno.test("softmaxCrossEntropy of one item per row is 0 with gradient 0, on both paths", async () => {
  // A single class: log-sum-exp of one logit is the logit itself, softmax is 1, one-hot is 1.
  const rows = [[5], [-300], [1e4]];
  const check = async (expectFused: boolean) => {
    const { kernels, loss, gradient } = await lossAndGradient(rows, [0, 0, 0], [1, 2, 3]);
    assertEquals(kernels.includes(FUSED), expectFused, "which path ran");
    assertEquals(Array.from(loss), [0, 0, 0]);
    assertEquals(gradient.map((row) => Math.abs(row[0])), [0, 0, 0]);
  };
  await initBackend({ verbose: false });
  await check(true);
  await withoutFused(() => check(false));
});
