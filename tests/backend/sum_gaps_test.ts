/**
 * Edges of the host Sum and Mean kernels (mutation round OB): an empty axis list reduces nothing
 * (as tfjs's stock kernels do), and which reductions the host kernel keeps and which it hands to
 * the stock kernel, seen through a stand-in stock kernel that records its calls.
 */
import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";
import { makeMeanKernel, makeSumKernel } from "../../lib/backend/kernels/sum.ts";

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Sum and Mean (host, ${backend}) over an empty axis list keep every value`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    for (const keepDims of [false, true]) {
      const sum = tf.sum(x, [], keepDims), mean = tf.mean(x, [], keepDims);
      assertEquals(sum.shape, [2, 3]);
      assertEquals(Array.from(sum.dataSync()), [1, 2, 3, 4, 5, 6]);
      assertEquals(mean.shape, [2, 3]);
      assertEquals(Array.from(mean.dataSync()), [1, 2, 3, 4, 5, 6]);
      tf.dispose([sum, mean]);
    }
    x.dispose();
  });
}

/** Calls the kernel `make` builds on cpu, with a stock kernel that records that it ran. */
function runWithSpy(
  make: typeof makeSumKernel,
  x: tf.Tensor,
  axis: number[],
  keepDims: boolean,
): { stockCalls: number; shape: number[]; values: number[] } {
  let stockCalls = 0;
  const stock: tf.KernelFunc = (args) => {
    stockCalls++;
    return tf.getKernel("Sum", "cpu")!.kernelFunc(args);
  };
  const backend = tf.backend();
  const info = make("cpu", stock)({ inputs: { x }, backend, attrs: { axis, keepDims } });
  assert(!Array.isArray(info));
  const values = Array.from(backend.readSync(info.dataId) as Float32Array);
  backend.disposeData(info.dataId);
  return { stockCalls, shape: info.shape, values };
}

Deno.test("Sum and Mean kernels (host, cpu) keep a reduction over size-1 axes only; non-contiguous axes go to the stock kernel", async () => {
  await tf.setBackend("cpu");
  const x = tf.tensor3d([[[1, 2]], [[3, 4]]]); // [2, 1, 2]
  for (const make of [makeSumKernel, makeMeanKernel]) {
    const ones = runWithSpy(make, x, [1], true);
    assertStrictEquals(ones.stockCalls, 0, "size-1 axis: the host kernel");
    assertEquals(ones.shape, [2, 1, 2]);
    assertEquals(ones.values, [1, 2, 3, 4]);
  }
  const y = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]); // [2, 2, 2]
  const split = runWithSpy(makeSumKernel, y, [0, 2], false);
  assertStrictEquals(split.stockCalls, 1, "axes 0 and 2: the stock kernel");
  assertEquals(split.shape, [2]);
  assertEquals(split.values, [14, 22]);
  tf.dispose([x, y]);
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Mean kernel (host, ${backend}): an axis past the rank is refused in Mean's name`, async () => {
    // The refusal said "Sum:" from the Mean kernel too, sending the reader to the wrong op.
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const before = tf.engine().backend.numDataIds();
    for (const [kernel, axis] of [["Mean", 2], ["Mean", -3], ["Sum", 2]] as const) {
      const error = assertThrows(
        () => tf.engine().runKernel(kernel, { x }, { axis: [axis], keepDims: false }),
        Error,
      );
      assertEquals(error.message, `${kernel}: axis ${axis} out of range for rank 2`);
    }
    // Refused before any output is allocated: nothing is left behind.
    assertStrictEquals(tf.engine().backend.numDataIds(), before);
    x.dispose();
  });
}

Deno.test("Sum kernel (host, cpu) frees its output when its input cannot be read", () => {
  // A fake cpu backend holds a float32 input without values: the memory accessor refuses it
  // after the output is allocated, and the kernel must hand that output back.
  const made: object[] = [], disposed: unknown[] = [];
  const backend = {
    data: { get: () => ({ values: undefined }) },
    makeTensorInfo: (shape: number[], dtype: tf.DataType) => {
      const dataId = {};
      made.push(dataId);
      return { dataId, shape, dtype };
    },
    disposeData: (dataId: unknown) => disposed.push(dataId),
  } as unknown as tf.KernelBackend;
  const x = { dataId: {}, shape: [2, 3], dtype: "float32" as const };
  const stock: tf.KernelFunc = () => {
    throw new Error("not the stock kernel");
  };
  assertThrows(
    () => makeSumKernel("cpu", stock)({ inputs: { x }, backend, attrs: { axis: [1] } }),
    Error,
    "cpu tensor of dtype float32 has no readable values",
  );
  assertEquals(made.length, 1);
  assertEquals(disposed, made);
});
