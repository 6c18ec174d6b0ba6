/**
 * The host GatherV2 kernel copies rows longer than 256 values with one `TypedArray.set` (shorter
 * ones with a loop): every value of a long row must arrive, on every axis.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { gatherRows } from "../../lib/backend/kernels/gather.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";

/** A [rows, width] table whose value at (r, k) is r * 1000 + k + 1 (never 0). */
function table(rows: number, width: number): Float32Array {
  return Float32Array.from({ length: rows * width }, (_, i) =>
    Math.floor(i / width) * 1000 +
    (i % width) + 1);
}

/** Row r of {@linkcode table}. */
function row(r: number, width: number): number[] {
  return Array.from({ length: width }, (_, k) => r * 1000 + k + 1);
}

Deno.test("gatherRows: rows of 300 values (the long-row path) arrive whole", () => {
  const out = new Float32Array(4 * 300).fill(-1);
  gatherRows(table(3, 300), Int32Array.of(2, 0, 2, 1), 1, 3, 300, out);
  assertEquals(Array.from(out), [...row(2, 300), ...row(0, 300), ...row(2, 300), ...row(1, 300)]);
  // At the boundary: 257 values take the long path, 256 the loop.
  for (const width of [256, 257]) {
    const short = new Float32Array(2 * width).fill(-1);
    gatherRows(table(3, width), Int32Array.of(1, 2), 1, 3, width, short);
    assertEquals(Array.from(short), [...row(1, width), ...row(2, width)], `width ${width}`);
  }
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`GatherV2(host, ${backend}) on a [3, 300] table and on axis 1 of [2, 3, 300]`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const values = table(3, 300);
    const x = tf.tensor2d(values, [3, 300]);
    const ids = tf.tensor1d([1, 2, 0, 1], "int32");
    const rows = tf.gather(x, ids);
    assertEquals(rows.shape, [4, 300]);
    assertEquals(Array.from(rows.dataSync()), [
      ...row(1, 300),
      ...row(2, 300),
      ...row(0, 300),
      ...row(1, 300),
    ]);
    // [2, 3, 300] (outer 2, inner 300): gather along axis 1 picks rows 2 and 0 of each block.
    const cube = tf.tensor3d(table(6, 300), [2, 3, 300]);
    const picked = tf.gather(cube, tf.tensor1d([2, 0], "int32"), 1);
    assertEquals(picked.shape, [2, 2, 300]);
    assertEquals(Array.from(picked.dataSync()), [
      ...row(2, 300),
      ...row(0, 300),
      ...row(5, 300),
      ...row(3, 300),
    ]);
    tf.dispose([x, ids, rows, cube, picked]);
  });
}
