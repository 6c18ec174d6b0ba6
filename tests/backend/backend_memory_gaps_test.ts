/**
 * The memory accessor of the host kernels (`_backend_memory.ts`) where mutation round AD found
 * behaviour no test pinned: int32 is a host dtype, the cpu backend's float32 or int32 tensors kept
 * in another array type are read as an array of their own dtype (OpenBLAS reads the bytes), and on
 * wasm an output's values are looked up when asked for, after a later allocation grew the heap.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { isHostDtype, memoryFor } from "../../lib/backend/kernels/_backend_memory.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";
import { registerBlasKernels } from "../../lib/backend/kernels/blas_matmul.ts";
import { loadOpenBlas } from "../../lib/backend/kernels/_openblas.ts";

Deno.test("isHostDtype takes float32 and int32 only", () => {
  assertEquals(
    ["float32", "int32", "bool", "complex64", "string"].map(isHostDtype),
    [true, true, false, false, false],
  );
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`an int32 table goes through the host gather (${backend}): its index refusal`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const ints = tf.tensor1d([10, 20, 30], "int32");
    const indices = tf.tensor1d([3], "int32");
    assertThrows(() => tf.gather(ints, indices).dataSync(), Error, "index 3 at position 0");
    tf.dispose([ints, indices]);
  });
}

Deno.test("cpu: tensors kept in another array type are read as an array of their dtype", async () => {
  await tf.setBackend("cpu");
  // The cpu backend's casts without encoding loss keep the input's array: a float32 tensor from
  // bool or int32 holds a Uint8Array or an Int32Array, an int32 one from bool a Uint8Array.
  const memory = memoryFor("cpu", tf.backend());
  tf.tidy(() => {
    const bools = tf.tensor1d([true, false, true], "bool");
    const cases: [tf.Tensor, typeof Float32Array | typeof Int32Array][] = [
      [tf.cast(bools, "float32"), Float32Array],
      [tf.cast(tf.tensor1d([1, 0, 1], "int32"), "float32"), Float32Array],
      [tf.cast(bools, "int32"), Int32Array],
    ];
    for (const [tensor, type] of cases) {
      const values = memory.read(tensor);
      assert(values instanceof type, `${tensor.dtype} read as ${values.constructor.name}`);
      assertEquals(Array.from(values), [1, 0, 1]);
    }
  });
});

Deno.test({
  name: "cpu: OpenBLAS matMul of a float32 tensor cast from bool reads its values, not its bytes",
  ignore: loadOpenBlas() === undefined,
  fn: async () => {
    await tf.setBackend("cpu");
    registerBlasKernels("cpu");
    tf.tidy(() => {
      const a = tf.cast(tf.tensor2d([[true, false], [true, true]], undefined, "bool"), "float32");
      const b = tf.tensor2d([[1, 2], [3, 4]]);
      assertEquals(Array.from(tf.matMul(a, b).dataSync()), [1, 2, 4, 6]);
    });
  },
});

Deno.test("wasm: an output's values are looked up when asked for, after later allocations", () => {
  // A heap as the wasm backend's: growing it detaches every view made before. The kernels
  // allocate all outputs first, then call values(): a view kept from allocate() would be empty.
  const heap = new WebAssembly.Memory({ initial: 1 });
  const places = new Map<object, { offset: number; size: number }>();
  let end = 0;
  const backend = {
    makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo {
      const size = shape.reduce((x, y) => x * y, 1);
      const dataId = {};
      places.set(dataId, { offset: end, size });
      end += 4 * size;
      if (end > heap.buffer.byteLength) {
        heap.grow(Math.ceil((end - heap.buffer.byteLength) / 65536));
      }
      return { dataId, shape, dtype };
    },
    typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array {
      const { offset, size } = places.get(info.dataId as object)!;
      return info.dtype === "int32"
        ? new Int32Array(heap.buffer, offset, size)
        : new Float32Array(heap.buffer, offset, size);
    },
  };
  const memory = memoryFor("wasm", backend);
  const first = memory.allocate([4], "float32");
  const second = memory.allocate([2, 65536], "int32"); // grows the heap
  first.values().set([1, 2, 3, 4]);
  second.values().fill(7);
  assertEquals(Array.from(memory.read(first.info)), [1, 2, 3, 4]);
  assertEquals(memory.read(second.info).length, 2 * 65536);
});

Deno.test("cpu: a tensor with no values array is refused, naming its dtype, not read as empty", () => {
  // Found by mutation round JM (JM12): a kernel given an empty array would write zeros where the
  // input's values should be. A fake backend stands in for a cpu tensor whose values are not kept.
  const backend = {
    data: { get: () => ({ values: undefined }) },
    makeTensorInfo: () => ({ dataId: {}, shape: [], dtype: "float32" }),
  };
  const memory = memoryFor("cpu", backend);
  for (const dtype of ["float32", "int32"] as const) {
    assertThrows(
      () => memory.read({ dataId: {}, shape: [2], dtype }),
      Error,
      `cpu tensor of dtype ${dtype} has no readable values`,
    );
  }
});
