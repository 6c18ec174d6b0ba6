/**
 * The host GatherV2 kernel (lib/backend/kernels/gather.ts) at edges earlier rounds left: a scalar
 * index, a kernel call that omits batchDims, and an output big enough to grow the wasm heap.
 * Found by mutation round NE (NE01, NE02, NE04, NE30).
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";
import { HEAP_GROWTH_SHAPE, heapGrowthInput, wasmHeapBytes } from "./_wasm_heap.ts";

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`GatherV2(host, ${backend}): a scalar index gives the row itself, and no buffer is left`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const index = tf.scalar(1, "int32");
    const buffers = tf.engine().backend.numDataIds();
    const row = tf.gather(table, index);
    assertEquals(row.shape, [2]);
    assertEquals(Array.from(row.dataSync()), [3, 4]);
    row.dispose();
    assertEquals(tf.engine().backend.numDataIds(), buffers, "only the result was made");
    tf.dispose([table, index]);
  });

  Deno.test(`GatherV2(host, ${backend}): a kernel call without batchDims is the host kernel's`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // batchDims absent is batchDims 0 (`?? 0`): the host kernel takes it, and refuses a bad index
    // by its own message, not the stock kernel's.
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const good = tf.tensor1d([2, 0], "int32");
    const bad = tf.tensor1d([0, 3], "int32");
    const out = tf.engine().runKernel("GatherV2", { x, indices: good }, { axis: 0 }) as tf.Tensor;
    assertEquals(Array.from(out.dataSync()), [5, 6, 1, 2]);
    let message = "";
    try {
      (tf.engine().runKernel("GatherV2", { x, indices: bad }, { axis: 0 }) as tf.Tensor).dataSync();
    } catch (error) {
      message = (error as Error).message;
    }
    assertEquals(message, "GatherV2: index 3 at position 1 is not in [0, 2]");
    tf.dispose([x, good, bad, out]);
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`GatherV2(${backend}) of a bool table keeps bool values and dtype`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const table = tf.tensor2d([[true, false], [false, false], [true, true]], [3, 2], "bool");
    const ids = tf.tensor1d([2, 0, 1], "int32");
    const rows = tf.gather(table, ids);
    assertEquals(rows.dtype, "bool");
    assertEquals(Array.from(rows.dataSync()), [1, 1, 1, 0, 0, 0]);
    tf.dispose([table, ids, rows]);
  });
}

Deno.test("GatherV2(host, wasm) reads the table after its output has grown the wasm heap", async () => {
  await tf.setBackend("wasm");
  registerHostKernels("wasm");
  // A 16 MB output next to a 16 MB table grows the heap; a view of the table taken before the
  // output is allocated is then detached (empty), and the output would hold no table values.
  const [rows, width] = HEAP_GROWTH_SHAPE;
  const table = heapGrowthInput();
  const ids = tf.tensor1d(Array.from({ length: rows }, (_, i) => rows - 1 - i), "int32");
  const before = wasmHeapBytes();
  const out = tf.gather(table, ids);
  tf.dispose([table, ids]);
  assert(wasmHeapBytes() > before, "the output did not grow the heap: this test checks nothing");
  const values = out.dataSync();
  for (const r of [0, 1, rows - 1]) {
    const start = (rows - 1 - r) * width;
    assertEquals(
      [values[r * width], values[r * width + width - 1]],
      [start % 1000, (start + width - 1) % 1000],
    );
  }
  out.dispose();
});
