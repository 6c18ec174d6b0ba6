/**
 * Edges of the host kernels that the randomised comparisons miss: a mean over an axis of size 2
 * is divided by 2 like any other, and the Slice kernel itself (reached without tf.slice's own
 * check) refuses a block that ends past the input.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Mean (host, ${backend}) over axes of size 2 and 1`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor2d([[1, 3], [10, 20]]);
    assertEquals(Array.from(tf.mean(x, -1).dataSync()), [2, 15]);
    assertEquals(Array.from(tf.mean(x, 0).dataSync()), [5.5, 11.5]);
    assertEquals(Array.from(tf.mean(tf.reshape(x, [4, 1]), -1).dataSync()), [1, 3, 10, 20]);
    tf.dispose(x);
  });

  Deno.test(`Slice kernel (host, ${backend}) refuses a block that ends past the input`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const slice = (begin: number[], size: number[]) =>
      tf.engine().runKernel("Slice", { x }, { begin, size }) as tf.Tensor;
    assertEquals(Array.from(slice([1, 1], [1, 2]).dataSync()), [5, 6]);
    assertThrows(() => slice([1, 1], [1, 3]), Error, "outside the input shape");
    assertThrows(() => slice([0, 0], [3, 1]), Error, "outside the input shape");
    tf.dispose(x);
  });
}
