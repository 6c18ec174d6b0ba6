/**
 * Host-kernel cases that mutation round mu50c (session 50) found unpinned: the fused layer norm
 * refuses a gain or bias of rank 2 even when its first axis is [dim] (a [dim, 1] gain holds dim
 * values, so the kernel would read it without a word).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { layerNorm, registerLayerNormKernels } from "../../lib/backend/kernels/layer_norm.ts";

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`layerNorm on ${backend}: a [dim, 1] gain or bias is refused, though it holds dim values`, async () => {
    await tf.setBackend(backend);
    registerLayerNormKernels(backend);
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2, 6]]);
      for (
        const [gain, bias, shapes] of [
          [tf.ones([3, 1]), tf.zeros([3]), "gain [3,1] and bias [3]"],
          [tf.ones([3]), tf.zeros([3, 1]), "gain [3] and bias [3,1]"],
        ] as const
      ) {
        const error = assertThrows(() => layerNorm(x, gain, bias));
        assertEquals(
          error.message,
          `layerNorm: ${shapes} must both be [3], the last axis of x [1,3]`,
        );
      }
    });
  });
}
