/**
 * Edges of the host kernels that the randomised comparisons miss: a mean over an axis of size 2
 * is divided by 2 like any other, the Mean gradient over several axes (or all) divides by their
 * product (mutation round BA), the Slice and Sum kernels themselves (reached without the ops'
 * own checks) refuse a block outside the input or an axis past the rank, a sum over size-1 axes
 * only, int32 sums and int32 values past 2^24 stay exact, a number or a short list as slice
 * begin/size, a gather with batch dims goes to the stock kernel, and float32 tensors the cpu
 * backend keeps in another array type (a cast from int32 or bool) are read as numbers. Mutation
 * round JA added: the order of a row's partial sums, reductions over an empty axis, a Sum kernel
 * call without an axis, one-value Unpack outputs, broadcastShapes' refusal, and a gather refusal
 * where the output is empty.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";
import { broadcastShapes } from "../../lib/backend/kernels/binary.ts";

/** 2^24 + 1: the first integer a float32 cannot hold. */
const PAST_FLOAT32 = 16777217;

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

  Deno.test(`Mean gradient (${backend}) over several axes or all of them divides by their product`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // d sum(mean(x, [0, 2])) / dx = 1 / (2 x 4) and d mean(x) / dx = 1 / 24 everywhere; the count
    // of the first reduced axis alone gave 1 / 2.
    const x = tf.ones([2, 3, 4]);
    const overTwo = tf.grad((t: tf.Tensor) => tf.sum(tf.mean(t, [0, -1])))(x);
    const overAll = tf.grad((t: tf.Tensor) => tf.mean(t))(x);
    assertEquals(Array.from(overTwo.dataSync()), new Array(24).fill(1 / 8));
    assertEquals(Array.from(overAll.dataSync()), new Array(24).fill(Math.fround(1 / 24)));
    tf.dispose([x, overTwo, overAll]);
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
    assertThrows(() => slice([-1, 0], [1, 3]), Error, "outside the input shape");
    tf.dispose(x);
  });

  Deno.test(`Slice (host, ${backend}): a number or a short list as begin or size`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // tfjs-core hands the kernel begin and size as given: a number begins (or sizes) the first
    // axis, and the axes a begin or size leaves out start at 0 and run to their end.
    const x = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]); // [3, 2, 2]
    const tail = tf.slice(x, 1, 1);
    assertEquals(tail.shape, [1, 2, 2]);
    assertEquals(Array.from(tail.dataSync()), [5, 6, 7, 8]);
    const rest = tf.slice(x, [1, 1], 2);
    assertEquals(rest.shape, [2, 1, 2]);
    assertEquals(Array.from(rest.dataSync()), [7, 8, 11, 12]);
    const column = tf.slice(x, [0, 1], [2]);
    assertEquals(column.shape, [2, 1, 2]);
    assertEquals(Array.from(column.dataSync()), [3, 4, 7, 8]);
    tf.dispose([x, tail, rest, column]);
  });

  Deno.test(`Slice (host, ${backend}): no size slices every axis to its end`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // tf.slice(x, begin) hands the kernel no size at all; it stopped on "attrs.size is not
    // iterable" where tfjs's own kernel slices to the end (mutation round S's probe).
    const x = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]); // [3, 2, 2]
    const corner = tf.slice(x, [1, 1]);
    assertEquals(corner.shape, [2, 1, 2]);
    assertEquals(Array.from(corner.dataSync()), [7, 8, 11, 12]);
    const tail = tf.slice(x, 2);
    assertEquals(tail.shape, [1, 2, 2]);
    assertEquals(Array.from(tail.dataSync()), [9, 10, 11, 12]);
    tf.dispose([x, corner, tail]);
  });

  Deno.test(`Sum kernel (host, ${backend}): an axis past the rank is refused`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const sum = (axis: number) =>
      tf.engine().runKernel("Sum", { x }, { axis: [axis], keepDims: false }) as tf.Tensor;
    assertEquals(Array.from(sum(1).dataSync()), [6, 15]);
    assertThrows(() => sum(2), Error, "axis 2 out of range for rank 2");
    assertThrows(() => sum(-3), Error, "axis -3 out of range for rank 2");
    tf.dispose(x);
  });

  Deno.test(`Sum and Mean (host, ${backend}) over size-1 axes only keep the values`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // Reducing only size-1 axes is a copy; with two axes of size > 1 left, any other view of the
    // [outer, reduced, inner] split reads or writes past the ends.
    const x = tf.tensor3d([[[1, 2, 3]], [[4, 5, 6]]]); // [2, 1, 3]
    for (const keepDims of [false, true]) {
      const sum = tf.sum(x, 1, keepDims);
      assertEquals(sum.shape, keepDims ? [2, 1, 3] : [2, 3]);
      assertEquals(Array.from(sum.dataSync()), [1, 2, 3, 4, 5, 6]);
      const mean = tf.mean(x, 1, keepDims);
      assertEquals(Array.from(mean.dataSync()), [1, 2, 3, 4, 5, 6]);
      tf.dispose([sum, mean]);
    }
    tf.dispose(x);
  });

  Deno.test(`int32 (host, ${backend}): Sum stays int32, values past 2^24 pass exactly`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // Sum leaves int32 to the stock kernel; Slice, GatherV2 and Transpose copy int32 values into
    // int32 memory: through float32 either would round 2^24 + 1.
    const ints = tf.tensor2d([[PAST_FLOAT32, 1], [2, PAST_FLOAT32 + 2]], undefined, "int32");
    const sum = tf.sum(ints, -1);
    assertEquals(sum.dtype, "int32");
    assertEquals(Array.from(sum.dataSync()), [PAST_FLOAT32 + 1, PAST_FLOAT32 + 4]);
    const sliced = tf.slice(ints, [0, 0], [2, 1]);
    assertEquals(Array.from(sliced.dataSync()), [PAST_FLOAT32, 2]);
    const gathered = tf.gather(ints, tf.tensor1d([1, 0], "int32"));
    assertEquals(Array.from(gathered.dataSync()), [2, PAST_FLOAT32 + 2, PAST_FLOAT32, 1]);
    const transposed = tf.transpose(ints);
    assertEquals(Array.from(transposed.dataSync()), [PAST_FLOAT32, 2, 1, PAST_FLOAT32 + 2]);
    for (const t of [sliced, gathered, transposed]) assertEquals(t.dtype, "int32");
    tf.dispose([ints, sum, sliced, gathered, transposed]);
  });

  Deno.test(`GatherV2 with batch dims (${backend}) goes to the stock kernel`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // The host kernel handles batchDims 0 only: out[b][i] = x[b][indices[b][i]] is the stock's.
    const x = tf.tensor3d([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]); // [2, 3, 2]
    const indices = tf.tensor2d([[2, 0], [1, 1]], undefined, "int32");
    const picked = tf.gather(x, indices, 1, 1);
    assertEquals(picked.shape, [2, 2, 2]);
    assertEquals(Array.from(picked.dataSync()), [5, 6, 1, 2, 9, 10, 9, 10]);
    tf.dispose([x, indices, picked]);
  });
}

Deno.test("host kernels on cpu read float32 tensors kept as int32 or bool arrays", async () => {
  await tf.setBackend("cpu");
  registerHostKernels("cpu");
  // The cpu backend's cast to float32 from int32 or bool keeps the input's array (no encoding
  // loss): the tensor is float32 but its values are an Int32Array or a Uint8Array.
  tf.tidy(() => {
    const fromInts = tf.cast(tf.tensor1d([1, 2, 3], "int32"), "float32");
    const fromBools = tf.cast(tf.tensor1d([true, false, true], "bool"), "float32");
    const values = (t: tf.Tensor) => Array.from(t.dataSync());
    assertEquals(values(tf.sum(fromInts)), [6]);
    assertEquals(values(tf.add(fromInts, fromBools)), [2, 2, 4]);
    assertEquals(values(tf.mul(fromBools, tf.scalar(0.5))), [0.5, 0, 0.5]);
    assertEquals(values(tf.gather(fromInts, tf.tensor1d([2, 0], "int32"))), [3, 1]);
    assertEquals(values(tf.slice(fromBools, 1, 2)), [0, 1]);
  });
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Sum (host, ${backend}) adds a row's four partial sums left to right`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // Partials s0..s3 of [-2^60, 0, 2^60, 1] are the values themselves: ((s0 + s1) + s2) + s3 is 1,
    // while (s0 + s1) + (s2 + s3) loses the 1 in 2^60 + 1 and gives 0.
    const big = 2 ** 60;
    const x = tf.tensor2d([[-big, 0, big, 1]]);
    const sum = tf.sum(x, 1);
    assertEquals(Array.from(sum.dataSync()), [1]);
    tf.dispose([x, sum]);
  });

  Deno.test(`Sum and Mean (host, ${backend}) over a tensor with an empty axis`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // An axis of size 0 is no size-1 axis: it shapes the [outer, reduced, inner] view like any
    // other (dropped, the [2, 0, 3] sum over axis 0 wrote 3 sums into an empty output).
    tf.tidy(() => {
      const empty = tf.zeros([2, 0, 3]);
      const overFirst = tf.sum(empty, 0);
      assertEquals(overFirst.shape, [0, 3]);
      assertEquals(overFirst.size, 0);
      const overEmpty = tf.sum(empty, 1);
      assertEquals(overEmpty.shape, [2, 3]);
      assertEquals(Array.from(overEmpty.dataSync()), [0, 0, 0, 0, 0, 0]);
      // The mean of nothing is 0 / 0, NaN, as in TensorFlow and numpy (tfjs's own kernels give 0
      // on cpu and whatever the memory held on wasm).
      const mean = tf.mean(tf.zeros([3, 0]), 1);
      assertEquals(mean.shape, [3]);
      assertEquals(Array.from(mean.dataSync()), [NaN, NaN, NaN]);
    });
  });

  Deno.test(`Sum kernel (host, ${backend}) without an axis reduces every axis`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // tf.sum passes axis null; a direct kernel call may leave it out: both reduce every axis.
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    for (const attrs of [{ keepDims: false }, { axis: null, keepDims: false }]) {
      const sum = tf.engine().runKernel("Sum", { x }, attrs as never) as tf.Tensor;
      assertEquals([sum.shape, Array.from(sum.dataSync())], [[], [10]], JSON.stringify(attrs));
      sum.dispose();
    }
    x.dispose();
  });

  Deno.test(`GatherV2 (host, ${backend}) refuses a bad index where the output is empty too`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // Axis 1 of a [0, 3] table: no rows to copy, yet index 5 is no column, and tfjs's own kernel
    // refuses it as well; an empty index list is an empty gather.
    const table = tf.zeros([0, 3]);
    const bad = tf.tensor1d([5], "int32");
    assertThrows(
      () => tf.gather(table, bad, 1),
      Error,
      "GatherV2: index 5 at position 0 is not in [0, 2]",
    );
    const none = tf.gather(tf.ones([2, 3]), tf.tensor1d([], "int32"));
    assertEquals(none.shape, [0, 3]);
    tf.dispose([table, bad, none]);
  });

  Deno.test(`Unpack (host, ${backend}) of a rank-1 tensor gives its scalars, of [3, 1] its rows`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // Each output holds one value here: a copy skipped for outputs of one value left zeros.
    tf.tidy(() => {
      const scalars = tf.unstack(tf.tensor1d([7, 8, 9]));
      assertEquals(scalars.map((t) => [t.shape, t.dataSync()[0]]), [[[], 7], [[], 8], [[], 9]]);
      const rows = tf.unstack(tf.tensor2d([[7], [8], [9]], undefined, "int32"));
      assertEquals(rows.map((t) => [t.shape, t.dtype, t.dataSync()[0]]), [
        [[1], "int32", 7],
        [[1], "int32", 8],
        [[1], "int32", 9],
      ]);
    });
  });
}

Deno.test("broadcastShapes refuses shapes that do not broadcast, naming both in order", () => {
  // tfjs-core checks an op's operands first; a direct caller gets this refusal, not a wrong shape.
  assertThrows(() => broadcastShapes([2, 3], [4]), Error, "shapes [2,3] and [4] do not broadcast");
  assertThrows(
    () => broadcastShapes([5], [2, 1, 3]),
    Error,
    "shapes [5] and [2,1,3] do not broadcast",
  );
  assertEquals(broadcastShapes([5], [2, 1, 1]), [2, 1, 5]);
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Mean gradient (${backend}) divides dy by the count, not multiplies by its reciprocal`, async () => {
    // Found by mutation round JM (JM15): dy * (1/3) in float32 is not dy / 3 for dy = 5 (the
    // reciprocal rounds first). Training records were made with the division.
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.zeros([3]);
    const grad = tf.grad((t: tf.Tensor) => tf.mul(tf.mean(t), 5))(x);
    assertEquals(Array.from(grad.dataSync()), [5 / 3, 5 / 3, 5 / 3].map(Math.fround));
    tf.dispose([x, grad]);
  });
}
