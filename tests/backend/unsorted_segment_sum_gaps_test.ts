/**
 * Edges of the host UnsortedSegmentSum kernel that the 2-D cases miss (mutation round OB): a row
 * is everything after the ids' axes, so a 1-D x sums scalars and a 3-D x with 1-D ids sums whole
 * [2, 2] blocks; the last segment counts and an id equal to numSegments is dropped; zero segments
 * give an empty output.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerUnsortedSegmentSum } from "../../lib/backend/kernels/unsorted_segment_sum.ts";

registerUnsortedSegmentSum();

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`UnsortedSegmentSum(${backend}) of a 1-D x sums scalars; id numSegments - 1 counts, numSegments is dropped`, async () => {
    await tf.setBackend(backend);
    const x = tf.tensor1d([1, 2, 4, 8, 16]);
    const ids = tf.tensor1d([3, 0, 3, 4, 1], "int32");
    const out = tf.unsortedSegmentSum(x, ids, 4);
    assertEquals(out.shape, [4]);
    assertEquals(Array.from(out.dataSync()), [2, 16, 0, 5]);
    tf.dispose([x, ids, out]);
  });

  Deno.test(`UnsortedSegmentSum(${backend}) of a 3-D x with 1-D ids sums whole [2, 2] blocks`, async () => {
    await tf.setBackend(backend);
    const x = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]);
    const ids = tf.tensor1d([1, 0, 1], "int32");
    const out = tf.unsortedSegmentSum(x, ids, 2);
    assertEquals(out.shape, [2, 2, 2]);
    assertEquals(Array.from(out.dataSync()), [5, 6, 7, 8, 10, 12, 14, 16]);
    tf.dispose([x, ids, out]);
  });

  Deno.test(`UnsortedSegmentSum(${backend}) into zero segments is empty, every row dropped`, async () => {
    await tf.setBackend(backend);
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const ids = tf.tensor1d([0, 1], "int32");
    const out = tf.engine().runKernel("UnsortedSegmentSum", { x, segmentIds: ids }, {
      numSegments: 0,
    }) as tf.Tensor;
    assertEquals(out.shape, [0, 2]);
    assertEquals(Array.from(out.dataSync()), []);
    tf.dispose([x, ids, out]);
  });
}
