import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  registerHostKernels,
  unregisterHostKernels,
} from "../../lib/backend/kernels/host_kernels.ts";
import { reductionView } from "../../lib/backend/kernels/sum.ts";
import { copyBlock } from "../../lib/backend/kernels/slice.ts";
import { permute } from "../../lib/backend/kernels/transpose_cast.ts";
import { applyBinary } from "../../lib/backend/kernels/binary.ts";
import { registerUnsortedSegmentSum } from "../../lib/backend/kernels/unsorted_segment_sum.ts";
import { HEAP_GROWTH_SHAPE, heapGrowthInput, wasmHeapBytes } from "./_wasm_heap.ts";

registerUnsortedSegmentSum();

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertEquals(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Runs `f` with tfjs's stock kernels, then puts the host kernels back. */
function withStock<T>(backend: "wasm" | "cpu", f: () => T): T {
  unregisterHostKernels(backend);
  try {
    return f();
  } finally {
    registerHostKernels(backend);
  }
}

Deno.test("reductionView finds [outer, reduced, inner] and ignores size-1 axes", () => {
  assertEquals(reductionView([256, 50, 64], [0, 1], false), {
    outer: 1,
    reduced: 12800,
    inner: 64,
    outShape: [64],
  });
  assertEquals(reductionView([2, 1, 3, 4], [0, 2], true), {
    outer: 1,
    reduced: 6,
    inner: 4,
    outShape: [1, 1, 1, 4],
  });
  assertEquals(reductionView([2, 3, 4], [-1], false)?.outShape, [2, 3]);
  assertEquals(reductionView([2, 3, 4], [0, 2], false), undefined); // not contiguous
});

Deno.test("reductionView refuses an axis outside the rank, naming the axis and the rank", () => {
  // tfjs-core checks axes before the kernel; a direct caller gets the same refusal, not a sum
  // over nothing.
  assertThrows(
    () => reductionView([2, 3, 4], [3], false),
    Error,
    "Sum: axis 3 out of range for rank 3",
  );
  assertThrows(
    () => reductionView([2, 3, 4], [-4], false),
    Error,
    "Sum: axis -4 out of range for rank 3",
  );
  assertEquals(reductionView([2, 3, 4], [-3], false)?.outShape, [3, 4]);
});

Deno.test("copyBlock copies a strided block by hand-checked values", () => {
  const x = Float32Array.from({ length: 24 }, (_, i) => i); // [2, 3, 4]
  const out = new Float32Array(4);
  copyBlock(x, [2, 3, 4], [0, 1, 1], [2, 1, 2], out);
  assertEquals(Array.from(out), [5, 6, 17, 18]);
  const whole = new Float32Array(8);
  copyBlock(x, [2, 3, 4], [1, 1, 0], [1, 2, 4], whole); // trailing dims whole: one run
  assertEquals(Array.from(whole), [16, 17, 18, 19, 20, 21, 22, 23]);
});

Deno.test("copyBlock copies a scalar (rank 0) as it is", () => {
  // A rank-0 input has no dim to run along: its one value is copied by its own path.
  const out = new Float32Array(1);
  copyBlock(Float32Array.of(7), [], [], [], out);
  assertEquals(Array.from(out), [7]);
});

Deno.test("applyBinary broadcasts rows, columns and scalars by hand-checked values", () => {
  const out = new Float32Array(6);
  const x = new Float32Array([1, 2, 3, 4, 5, 6]); // [2, 3]
  applyBinary("Add", x, [2, 3], new Float32Array([10, 20, 30]), [3], out, [2, 3]);
  assertEquals(Array.from(out), [11, 22, 33, 14, 25, 36]);
  applyBinary("Multiply", x, [2, 3], new Float32Array([2, 3]), [2, 1], out, [2, 3]);
  assertEquals(Array.from(out), [2, 4, 6, 12, 15, 18]);
  applyBinary("Sub", new Float32Array([1]), [], x, [2, 3], out, [2, 3]);
  assertEquals(Array.from(out), [0, -1, -2, -3, -4, -5]);
  const outer = new Float32Array(6); // [2, 1] / [1, 3] -> [2, 3]
  applyBinary(
    "RealDiv",
    new Float32Array([6, 12]),
    [2, 1],
    new Float32Array([1, 2, 3]),
    [1, 3],
    outer,
    [2, 3],
  );
  assertEquals(Array.from(outer), [6, 3, 2, 12, 6, 4]);
});

Deno.test("applyBinary on two scalars: each operation, in operand order", () => {
  // A rank-0 output takes its own path, not the row loop above.
  const out = new Float32Array(1);
  applyBinary("Sub", Float32Array.of(5), [], Float32Array.of(2), [], out, []);
  assertEquals(out[0], 3);
  applyBinary("RealDiv", Float32Array.of(6), [], Float32Array.of(4), [], out, []);
  assertEquals(out[0], 1.5);
  applyBinary("Add", Float32Array.of(6), [], Float32Array.of(4), [], out, []);
  assertEquals(out[0], 10);
  applyBinary("Multiply", Float32Array.of(6), [], Float32Array.of(4), [], out, []);
  assertEquals(out[0], 24);
});

Deno.test("binary kernels (host, cpu) match the stock ones on broadcast shapes", async () => {
  await tf.setBackend("cpu");
  registerHostKernels("cpu");
  const shapes: [number[], number[]][] = [
    [[4, 3, 5], [4, 3, 5]],
    [[4, 3, 5], [4, 3, 1]],
    [[4, 3, 5], [5]],
    [[4, 1, 5], [1, 3, 1]],
    [[], [4, 3, 5]],
    [[], []], // a scalar output (a loss total) takes the rank-0 path
    // numpy (and tfjs): an empty dim against a size-1 one is empty, not the larger of the two.
    [[0, 3], [1, 3]],
  ];
  let seed = 60;
  for (const [sa, sb] of shapes) {
    const a = tf.randomNormal(sa, 0, 1, "float32", seed++);
    const b = tf.randomUniform(sb, 0.5, 2, "float32", seed++);
    for (const f of [tf.add, tf.sub, tf.mul, tf.div]) {
      const ours = f(a, b);
      const stock = withStock("cpu", () => f(a, b));
      assertEquals(ours.shape, stock.shape);
      assert(maxAbsDiff(ours.dataSync(), stock.dataSync()) < 1e-6, `${f.name} [${sa}] [${sb}]`);
    }
  }
  const ints = tf.add(tf.tensor1d([1, 2], "int32"), tf.tensor1d([3, 4], "int32")); // stock path
  assertEquals(Array.from(ints.dataSync()), [4, 6]);
  assertEquals(ints.dtype, "int32");
});

Deno.test("permute transposes by hand-checked values", () => {
  const out = new Float32Array(6);
  permute(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0], out);
  assertEquals(Array.from(out), [1, 4, 2, 5, 3, 6]);
  const cube = Float32Array.from({ length: 24 }, (_, i) => i); // [2, 3, 4]
  const moved = new Float32Array(24);
  permute(cube, [2, 3, 4], [2, 0, 1], moved); // out[k][i][j] = cube[i][j][k]
  assertEquals(moved[1 * 6 + 1 * 3 + 2], cube[1 * 12 + 2 * 4 + 1]);
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Transpose, Unpack and Cast (host, ${backend}) match the stock kernels`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.randomNormal([3, 1, 4, 5], 0, 1, "float32", 31);
    const ints = tf.randomUniform([3, 1, 4, 5], 0, 9, "int32", 32);
    const perms = [[0, 1, 2, 3], [1, 0, 2, 3], [0, 2, 1, 3], [3, 2, 1, 0], [2, 0, 3, 1]];
    // [0, 3, 2, 1]: the first moved dim is the smallest, yet the others are out of order.
    for (const perm of [...perms, [0, 3, 2, 1]]) {
      for (const t of [x, ints]) {
        const ours = tf.transpose(t, perm);
        const stock = withStock(backend, () => tf.transpose(t, perm));
        assertEquals(ours.shape, stock.shape, `perm ${perm}`);
        assertEquals(Array.from(ours.dataSync()), Array.from(stock.dataSync()), `perm ${perm}`);
      }
    }
    // tfjs-core passes a negative axis to the Unpack kernel as is.
    for (const axis of [0, 2, 3, -1, -3]) {
      const ours = tf.unstack(x, axis);
      const stock = withStock(backend, () => tf.unstack(x, axis));
      assertEquals(ours.length, stock.length);
      ours.forEach((t, i) => {
        assertEquals(t.shape, stock[i].shape);
        assertEquals(Array.from(t.dataSync()), Array.from(stock[i].dataSync()), `unstack ${axis}`);
      });
      tf.dispose([...ours, ...stock]);
    }
    const same = tf.cast(x, "float32");
    assertEquals(Array.from(same.dataSync()), Array.from(x.dataSync()));
    const toInt = tf.cast(tf.tensor1d([1.7, -2.2]), "int32"); // other casts: stock kernel
    assertEquals(Array.from(toInt.dataSync()), [1, -2]);
    tf.dispose([x, ints, same, toInt]);
  });

  Deno.test(`Slice and Mean (host, ${backend}) match the stock kernels`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.randomNormal([5, 6, 7], 0, 1, "float32", 21);
    const ints = tf.randomUniform([5, 6, 7], 0, 100, "int32", 22);
    const cases: [number[], number[]][] = [
      [[0, 5, 0], [5, 1, 7]],
      [[1, 0, 2], [3, -1, 4]],
      [[4, 5, 6], [1, 1, 1]],
      [[0, 0, 0], [5, 6, 7]],
      // tfjs-core passes -1 ("to the end") to the kernel as is: from a begin past 0 it is shorter.
      [[1, 2, 3], [-1, -1, -1]],
      [[2, 5, 0], [2, -1, 7]],
    ];
    for (const [begin, size] of cases) {
      for (const t of [x, ints]) {
        const ours = tf.slice(t, begin, size);
        const stock = withStock(backend, () => tf.slice(t, begin, size));
        assertEquals(ours.shape, stock.shape);
        assertEquals(Array.from(ours.dataSync()), Array.from(stock.dataSync()));
        tf.dispose([ours, stock]);
      }
    }
    for (const axes of [[-1], [0, 1], [1]]) {
      const ours = tf.mean(x, axes, true);
      const stock = withStock(backend, () => tf.mean(x, axes, true));
      assertEquals(ours.shape, stock.shape);
      assert(maxAbsDiff(ours.dataSync(), stock.dataSync()) < 1e-6, `mean axes ${axes}`);
      tf.dispose([ours, stock]);
    }
    // Mean gradient: d/dx sum(w * mean(x, 1)) = w / 6 broadcast over axis 1.
    const w = tf.randomNormal([5, 7], 0, 1, "float32", 23);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, 1), w)))(x);
    const expected = tf.tile(tf.expandDims(tf.div(w, 6), 1), [1, 6, 1]);
    assert(maxAbsDiff(g.dataSync(), expected.dataSync()) < 1e-7, "mean gradient");
    tf.dispose([x, ints, w, g, expected]);
  });

  Deno.test(`Slice(host, ${backend}): a number, a short array or no size as tfjs-core passes it`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    // tfjs-core hands the kernel begin and size as the caller gave them: a number is the first
    // axis's (the rest begin at 0 and run to the end), a short array leaves the later axes whole.
    const cases: [string, () => tf.Tensor, number[], number[]][] = [
      ["slice(x, 1, 1)", () => tf.slice(x, 1, 1), [1, 3, 4], [12, 23]],
      ["slice(x, [1], [1])", () => tf.slice(x, [1], [1]), [1, 3, 4], [12, 23]],
      ["slice(x, [0, 1])", () => tf.slice(x, [0, 1]), [2, 2, 4], [4, 23]],
      ["slice(x, 1)", () => tf.slice(x, 1), [1, 3, 4], [12, 23]],
    ];
    for (const [label, slice, shape, [first, last]] of cases) {
      const ours = slice();
      const stock = withStock(backend, slice);
      assertEquals(ours.shape, shape, label);
      const values = Array.from(ours.dataSync());
      assertEquals([values[0], values[values.length - 1]], [first, last], label);
      assertEquals(values, Array.from(stock.dataSync()), label);
      tf.dispose([ours, stock]);
    }
    x.dispose();
  });

  Deno.test(`Slice(host, ${backend}) refuses a negative begin or size, naming both`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.zeros([2, 3, 4]);
    // Not "to the end" (-1): any other negative number is outside the input.
    const cases: [number[], number[]][] = [[[-1, 0, 0], [1, 1, 1]], [[0, 0, 0], [-2, 1, 1]]];
    for (const [begin, size] of cases) {
      assertThrows(
        () => tf.slice(x, begin, size),
        Error,
        `Slice: begin [${begin}] + size [${size}] is outside the input shape [2,3,4]`,
      );
    }
    x.dispose();
  });

  Deno.test(`Sum(host, ${backend}) equals a hand computation and the stock kernel`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const x = tf.tensor3d([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]); // [2, 3, 2]
    assertEquals(Array.from(tf.sum(x, [0, 1]).dataSync()), [36, 42]);
    assertEquals(Array.from(tf.sum(x, -1).dataSync()), [3, 7, 11, 15, 19, 23]);
    assertEquals(Array.from(tf.sum(x, 1, true).dataSync()), [9, 12, 27, 30]);
    assertEquals(tf.sum(x, 1, true).shape, [2, 1, 2]);
    assertEquals(tf.sum(x).dataSync()[0], 78);
    const big = tf.randomNormal([7, 33, 5, 9], 0, 1, "float32", 3);
    for (const axes of [[0], [1], [3], [0, 1], [1, 2], [2, 3], [0, 1, 2, 3], [0, 2], [1, 3]]) {
      for (const keepDims of [false, true]) {
        const ours = tf.sum(big, axes, keepDims);
        const stock = withStock(backend, () => tf.sum(big, axes, keepDims));
        // float32 rounding grows with the summed magnitude: compare against 1e-6 of it.
        const scale = withStock(backend, () => tf.max(tf.sum(tf.abs(big), axes)).dataSync()[0]);
        assertEquals(ours.shape, stock.shape, `axes ${axes}`);
        assert(maxAbsDiff(ours.dataSync(), stock.dataSync()) < 1e-6 * scale, `axes ${axes}`);
        tf.dispose([ours, stock]);
      }
    }
    tf.dispose([x, big]);
  });

  Deno.test(`Sum and Mean(host, ${backend}) over size-1 axes only keep every value`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // Nothing of size > 1 is reduced: the output is the input, every value of it.
    const x = tf.tensor3d([[[1, 2, 3]], [[4, 5, 6]]]); // [2, 1, 3]
    for (const reduce of [tf.sum, tf.mean]) {
      const out = reduce(x, 1);
      assertEquals(out.shape, [2, 3]);
      assertEquals(Array.from(out.dataSync()), [1, 2, 3, 4, 5, 6], reduce.name);
      tf.dispose(out);
    }
    x.dispose();
  });

  Deno.test(`Sum(host, ${backend}) adds in float64 in the records' order, on every path`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // The records were made with this kernel's sums: float64 accumulators, and along a row four
    // partial sums (term r into partial r mod 4). Values where any other way gives another float32.
    tf.tidy(() => {
      const big = 2 ** 60;
      // Along rows (inner 1): partial 0 holds 2^60 - 2^60, partial 1 the 1 (in order: 0).
      const rows = tf.tensor2d([[big, 1, 0, 0, -big], [big, 1, 0, 0, -big]]);
      assertEquals(Array.from(tf.sum(rows, 1).dataSync()), [1, 1]);
      // Over all three axes of [2, 2, 2] (one contiguous run; the stock kernel gives 0 here).
      const cube = tf.tensor3d([big, 1, 0, 0, -big, 0, 0, 0], [2, 2, 2]);
      assertEquals(tf.sum(cube).dataSync()[0], 1);
      assertEquals(tf.sum(cube, [0, 1, 2]).dataSync()[0], 1);
      // Down columns (inner 2): in float32, 2^25 + 1 rounds back to 2^25.
      const columns = tf.tensor2d([[2 ** 25, 2 ** 25], [1, 1], [1, 1], [-(2 ** 25), -(2 ** 25)]]);
      assertEquals(Array.from(tf.sum(columns, 0).dataSync()), [2, 2]);
    });
  });

  Deno.test(`Sum(host, ${backend}) of int32 stays int32 and exact past 2^24`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // int32 goes to the stock kernel: through the float32 path 2^24 + 3 would round to 2^24 + 4.
    const ints = tf.tensor2d([[16777217, 2], [5, 6]], undefined, "int32");
    const summed = tf.sum(ints, 1);
    assertEquals(summed.dtype, "int32");
    assertEquals(Array.from(summed.dataSync()), [16777219, 11]);
    tf.dispose([ints, summed]);
  });

  Deno.test(`GatherV2(host, ${backend}) gathers rows on any axis and rejects bad ids`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const ids = tf.tensor2d([[2, 0], [1, 1]], undefined, "int32");
    const rows = tf.gather(table, ids);
    assertEquals(rows.shape, [2, 2, 2]);
    assertEquals(Array.from(rows.dataSync()), [5, 6, 1, 2, 3, 4, 3, 4]);
    assertEquals(Array.from(tf.gather(table, tf.tensor1d([1, 1, 0], "int32"), 1).dataSync()), [
      2,
      2,
      1,
      4,
      4,
      3,
      6,
      6,
      5,
    ]);
    const ints = tf.tensor1d([10, 20, 30], "int32");
    assertEquals(Array.from(tf.gather(ints, tf.tensor1d([2, 0], "int32")).dataSync()), [30, 10]);
    assertThrows(() => tf.gather(table, tf.tensor1d([3], "int32")).dataSync(), Error, "index 3");
    const cube = tf.randomNormal([4, 5, 6], 0, 1, "float32", 5);
    const picks = tf.tensor1d([3, 0, 2, 2], "int32");
    // tfjs-core hands the kernel the axis as given, negative ones included.
    for (const axis of [0, 1, 2, -1, -2]) {
      const ours = tf.gather(cube, picks, axis);
      const stock = withStock(backend, () => tf.gather(cube, picks, axis));
      assertEquals(ours.shape, stock.shape);
      assertEquals(Array.from(ours.dataSync()), Array.from(stock.dataSync()));
      tf.dispose([ours, stock]);
    }
    tf.dispose([table, ids, rows, ints, cube, picks]);
  });

  Deno.test(`GatherV2(host, ${backend}) refuses a negative index, naming it and its position`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // tfjs-core does not check indices: a -1 would read before the row (NaN, or another block's
    // values) without a word.
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    for (
      const [ids, message] of [
        [[0, -1], "GatherV2: index -1 at position 1 is not in [0, 2]"],
        [[3, 0], "GatherV2: index 3 at position 0 is not in [0, 2]"],
      ] as const
    ) {
      const indices = tf.tensor1d([...ids], "int32");
      const buffers = tf.engine().backend.numDataIds();
      const error = assertThrows(() => tf.gather(table, indices).dataSync());
      assertEquals(error.message, message);
      // The output made before the refusal is freed, not left on the heap.
      assertEquals(tf.engine().backend.numDataIds(), buffers, "no buffer left behind");
      indices.dispose();
    }
    tf.dispose(table);
  });

  Deno.test(`GatherV2(host, ${backend}) leaves batchDims 1 to the stock kernel: rows per batch`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // batchDims 1: out[b][i] = x[b][indices[b][i]], which the row-copy kernel does not do.
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const indices = tf.tensor2d([[2, 0], [1, 1]], undefined, "int32");
    const out = tf.gather(x, indices, 1, 1);
    assertEquals(out.shape, [2, 2]);
    assertEquals(Array.from(out.dataSync()), [3, 1, 5, 5]);
    tf.dispose([x, indices, out]);
  });

  Deno.test(`training gradients with host kernels on ${backend} equal the stock ones`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    const table = tf.randomNormal([9, 4], 0, 1, "float32", 11);
    const kernel = tf.randomNormal([4, 4], 0, 1, "float32", 12);
    const bias = tf.randomNormal([4], 0, 1, "float32", 13);
    const ids = tf.tensor2d([[1, 8, 3], [3, 3, 0]], undefined, "int32");
    const loss = (t: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => {
      const x = tf.gather(t, ids); // [2, 3, 4]
      const y = tf.add(tf.matMul(tf.reshape(x, [6, 4]), k), b);
      const centred = tf.sub(y, tf.mean(y, -1, true));
      return tf.sum(tf.square(tf.tanh(tf.clone(centred))));
    };
    const run = () => tf.grads(loss)([table, kernel, bias]);
    const ours = run();
    const stock = withStock(backend, run);
    for (let i = 0; i < 3; i++) {
      assert(maxAbsDiff(ours[i].dataSync(), stock[i].dataSync()) < 1e-5, `gradient ${i}`);
    }
    tf.dispose([table, kernel, bias, ids, ...ours, ...stock]);
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Transpose(host, ${backend}) shares memory when only size-1 dims move`, async () => {
    await tf.setBackend(backend);
    registerHostKernels(backend);
    // Moving size-1 dims keeps the memory order, which is what the kernel relies on to share the
    // input (the gather gradient's transposes); a real permutation must still copy.
    const buffers = () => tf.engine().backend.numDataIds();
    const buffersBefore = buffers();
    const x = tf.tensor3d([[[1, 2, 3, 4]], [[5, 6, 7, 8]], [[9, 10, 11, 12]]]); // [3, 1, 4]
    const dataIdOf = (t: tf.Tensor) => (t as unknown as { dataId: object }).dataId;
    const moved = tf.transpose(x, [1, 0, 2]); // [1, 3, 4]
    assert(dataIdOf(moved) === dataIdOf(x), "moving a size-1 dim shares the input");
    const permuted = tf.transpose(x, [2, 1, 0]); // [4, 1, 3]
    assert(dataIdOf(permuted) !== dataIdOf(x), "a real permutation copies");
    assertEquals(Array.from(permuted.dataSync()), [1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12]);
    x.dispose();
    assertEquals(Array.from(moved.dataSync()), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    tf.dispose([moved, permuted]);
    // The shared memory is counted once per holder: with both gone it is released.
    assertEquals(buffers(), buffersBefore, "every buffer released");
  });
}

Deno.test("Unpack(host, wasm) reads its input after the outputs have grown the wasm heap", async () => {
  await tf.setBackend("wasm");
  registerHostKernels("wasm");
  // 16 MB of outputs next to a 16 MB input grow the heap; a view of the input taken before the
  // outputs are allocated is then detached (empty), and the outputs would hold no input values.
  const [rows, width] = HEAP_GROWTH_SHAPE;
  const x = heapGrowthInput();
  const before = wasmHeapBytes();
  const parts = tf.unstack(x);
  x.dispose();
  assert(wasmHeapBytes() > before, "the outputs did not grow the heap: this test checks nothing");
  assertEquals(parts.length, rows);
  for (const r of [0, 1, rows - 1]) {
    const values = parts[r].dataSync();
    const start = r * width;
    assertEquals([values[0], values[width - 1]], [start % 1000, (start + width - 1) % 1000]);
  }
  tf.dispose(parts);
});

Deno.test("Identity(shared, wasm) shares memory yet disposing either side keeps the other", async () => {
  await tf.setBackend("wasm");
  registerHostKernels("wasm");
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.clone(x);
  const dataIdOf = (t: tf.Tensor) => (t as unknown as { dataId: object }).dataId;
  assert(dataIdOf(y) === dataIdOf(x), "the clone shares the input's memory");
  x.dispose();
  assertEquals(Array.from(y.dataSync()), [1, 2, 3]);
  const v = tf.variable(y);
  v.assign(tf.tensor1d([7, 8, 9]));
  assertEquals(Array.from(y.dataSync()), [1, 2, 3]); // assign swaps memory, never writes into it
  tf.dispose([y, v]);
});

Deno.test("Identity(shared, wasm) shares int32 and bool too, keeping shape and dtype; a string clone outlives its input", async () => {
  await tf.setBackend("wasm");
  registerHostKernels("wasm");
  const dataIdOf = (t: tf.Tensor) => (t as unknown as { dataId: object }).dataId;
  const inputs = [
    tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32"),
    tf.tensor1d([1, 0], "bool"),
  ];
  for (const x of inputs) {
    const y = tf.clone(x);
    assertEquals([y.shape, y.dtype], [x.shape, x.dtype]);
    assert(dataIdOf(y) === dataIdOf(x), `a ${x.dtype} clone shares the input's memory`);
    tf.dispose([x, y]);
  }
  // String tensors take the stock kernel's path; either way the clone outlives its input.
  const words = tf.tensor1d(["a", "b"], "string");
  const copy = tf.clone(words);
  words.dispose();
  assertEquals(copy.dataSync<"string">(), ["a", "b"]);
  copy.dispose();
});
