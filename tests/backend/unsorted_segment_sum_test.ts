import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerUnsortedSegmentSum } from "../../lib/backend/kernels/unsorted_segment_sum.ts";

// tfjs's own cpu kernel, before it is replaced (the tests below give the same sums with either).
const stockCpuKernel = tf.getKernel("UnsortedSegmentSum", "cpu")?.kernelFunc;
registerUnsortedSegmentSum();

Deno.test("registerUnsortedSegmentSum replaces the stock cpu kernel and adds one on wasm", () => {
  assert(stockCpuKernel !== undefined, "tfjs has a cpu kernel");
  const cpu = tf.getKernel("UnsortedSegmentSum", "cpu")?.kernelFunc;
  assert(cpu !== undefined && cpu !== stockCpuKernel, "the cpu kernel is replaced");
  assert(tf.getKernel("UnsortedSegmentSum", "wasm") !== undefined, "a wasm kernel");
  registerUnsortedSegmentSum(); // idempotent: the same kernel stays
  assert(tf.getKernel("UnsortedSegmentSum", "cpu")?.kernelFunc === cpu, "registered once");
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`UnsortedSegmentSum(${backend}) matches a hand computation, duplicates included`, async () => {
    await tf.setBackend(backend);
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const ids = tf.tensor1d([2, 0, 2, 2], "int32");
    const out = tf.unsortedSegmentSum(x, ids, 4);
    assertEquals(out.shape, [4, 2]);
    assertEquals(Array.from(out.dataSync()), [3, 4, 0, 0, 13, 16, 0, 0]);
    tf.dispose([x, ids, out]);
  });

  Deno.test(`UnsortedSegmentSum(${backend}) with [2, 2] ids sums [2, 2, 3] by whole rows of 3`, async () => {
    await tf.setBackend(backend);
    // TensorFlow's semantics: the ids' rank, not 1, says where a row starts (each id picks a row
    // of x.shape[2:]). The op's types take 1-D ids only, and tfjs's stock cpu kernel refuses
    // these (a broadcast error): the kernel is called directly.
    const x = tf.tensor3d([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);
    const ids = tf.tensor2d([[0, 1], [1, 1]], undefined, "int32");
    const out = tf.engine().runKernel("UnsortedSegmentSum", { x, segmentIds: ids }, {
      numSegments: 2,
    }) as tf.Tensor;
    assertEquals(out.shape, [2, 3]);
    assertEquals(Array.from(out.dataSync()), [1, 2, 3, 21, 24, 27]);
    tf.dispose([x, ids, out]);
  });

  Deno.test(`UnsortedSegmentSum(${backend}) drops rows whose id is outside [0, numSegments)`, async () => {
    await tf.setBackend(backend);
    // TensorFlow's contract, which the stock kernel keeps: such rows add nothing, and the rows
    // after them still count.
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const ids = tf.tensor1d([-1, 1, 2, 0], "int32");
    const out = tf.unsortedSegmentSum(x, ids, 2);
    assertEquals(Array.from(out.dataSync()), [7, 8, 3, 4]);
    tf.dispose([x, ids, out]);
  });

  Deno.test(`UnsortedSegmentSum(${backend}) of int32 values past 2^24 is exact`, async () => {
    await tf.setBackend(backend);
    // int32 values sum in int32 memory: through float32, 2^24 + 1 would round.
    const ints = tf.tensor2d([[16777217], [1], [5]], undefined, "int32");
    const ids = tf.tensor1d([0, 0, 1], "int32");
    const summed = tf.unsortedSegmentSum(ints, ids, 2);
    assertEquals(summed.dtype, "int32");
    assertEquals(Array.from(summed.dataSync()), [16777218, 5]);
    tf.dispose([ints, ids, summed]);
  });

  Deno.test(`gather gradient on ${backend} equals a finite-difference gradient`, async () => {
    await tf.setBackend(backend);
    const table = tf.randomNormal([6, 3], 0, 1, "float32", 7);
    const indices = tf.tensor2d([[1, 1, 4], [5, 1, 0]], undefined, "int32"); // duplicates of 1
    const weights = tf.randomNormal([2, 3, 3], 0, 1, "float32", 8);
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.gather(t, indices)), weights));
    const analytic = tf.grad(loss)(table).arraySync() as number[][];
    const base = table.arraySync() as number[][];
    const eps = 1e-2;
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 3; c++) {
        const bump = (delta: number) => {
          const copy = base.map((row) => row.slice());
          copy[r][c] += delta;
          return tf.tidy(() => loss(tf.tensor2d(copy)).dataSync()[0]);
        };
        const numeric = (bump(eps) - bump(-eps)) / (2 * eps);
        assertAlmostEquals(analytic[r][c], numeric, 2e-2, `d loss / d table[${r}][${c}]`);
      }
    }
    // Row 2 and 3 are never gathered: their gradient is exactly zero.
    assertEquals(analytic[2], [0, 0, 0]);
    tf.dispose([table, indices, weights]);
  });
}

Deno.test("registerUnsortedSegmentSum takes the stock cpu kernel's place without tfjs's warning", () => {
  // Found by mutation round JM (JM06): registering over the stock kernel without unregistering it
  // first also replaces it, but tfjs then warns "already registered" on every start.
  const ours = tf.getKernel("UnsortedSegmentSum", "cpu")!;
  tf.unregisterKernel("UnsortedSegmentSum", "cpu");
  tf.registerKernel({ ...ours, kernelFunc: stockCpuKernel! });
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args);
  try {
    registerUnsortedSegmentSum();
  } finally {
    console.warn = warn;
  }
  assertEquals(warnings, []);
  assertEquals(tf.getKernel("UnsortedSegmentSum", "cpu")?.kernelFunc, ours.kernelFunc);
});
