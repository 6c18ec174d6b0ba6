/**
 * The host Transpose and Cast kernels (lib/backend/kernels/transpose_cast.ts) at edges earlier
 * rounds left: a tensor whose every dim is 1, same-dtype casts of int32 and bool, and a permuted
 * copy big enough to grow the wasm heap. Found by mutation round NE (NE06, NE09, NE10).
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";
import { HEAP_GROWTH_SHAPE, heapGrowthInput, wasmHeapBytes } from "./_wasm_heap.ts";

const dataIdOf = (t: tf.Tensor) => (t as unknown as { dataId: object }).dataId;

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Transpose(host, ${backend}) of a tensor of size-1 dims only shares its input`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // No dim of size above 1 moves at all: the memory order is kept, so no copy is made.
    const x = tf.tensor3d([[[7]]]);
    const y = tf.transpose(x, [2, 0, 1]);
    assert(dataIdOf(y) === dataIdOf(x), "shared, not copied");
    assertEquals([y.shape, Array.from(y.dataSync())], [[1, 1, 1], [7]]);
    tf.dispose([x, y]);
  });

  Deno.test(`Cast(host, ${backend}) to the same dtype shares int32 and bool too, keeping the dtype`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    for (
      const x of [
        tf.tensor1d([3, -4], "int32"),
        tf.tensor1d([true, false], "bool"),
        tf.tensor1d([0.5, 2]),
      ]
    ) {
      const y = tf.cast(x, x.dtype);
      assert(dataIdOf(y) === dataIdOf(x), `${x.dtype} shared, not copied`);
      assertEquals(y.dtype, x.dtype);
      x.dispose();
      assertEquals(y.dataSync().length, 2, `${y.dtype} outlives its input`);
      y.dispose();
    }
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Transpose(${backend}) of a bool tensor keeps bool values and dtype`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor2d([[true, false, false], [true, true, false]], [2, 3], "bool");
    const y = tf.transpose(x);
    assertEquals(y.dtype, "bool");
    assertEquals(Array.from(y.dataSync()), [1, 1, 0, 1, 0, 0]);
    tf.dispose([x, y]);
  });
}

Deno.test("Transpose(host, wasm) reads its input after its output has grown the wasm heap", async () => {
  await tf.setBackend("wasm");
  registerHostKernels("wasm");
  // A 16 MB output next to a 16 MB input grows the heap; a view of the input taken before the
  // output is allocated is then detached (empty), and the output would hold no input values.
  const [rows, width] = HEAP_GROWTH_SHAPE;
  const x = heapGrowthInput();
  const before = wasmHeapBytes();
  const y = tf.transpose(x); // [width, rows]: y[c][r] = x[r][c]
  x.dispose();
  assert(wasmHeapBytes() > before, "the output did not grow the heap: this test checks nothing");
  const values = y.dataSync();
  for (const [c, r] of [[0, 1], [5, 0], [width - 1, rows - 1]]) {
    assertEquals(values[c * rows + r], (r * width + c) % 1000, `y[${c}][${r}]`);
  }
  y.dispose();
});
