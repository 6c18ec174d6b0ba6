import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  blasKernelsInUse,
  registerBlasKernels,
  unregisterBlasKernels,
} from "../../lib/backend/kernels/blas_matmul.ts";
import {
  checkExtents,
  loadOpenBlas,
  openBlasFailure,
} from "../../lib/backend/kernels/_openblas.ts";
import { matMulGeometry } from "../../lib/backend/kernels/_matmul_geometry.ts";
import { applyFusedEpilogue } from "../../lib/backend/kernels/_fused_epilogue.ts";

const blas = loadOpenBlas();
const ignore = blas === undefined;
if (ignore) console.log(`blas_matmul_test: skipped, OpenBLAS not loadable (${openBlasFailure()})`);

const BACKENDS = ["wasm", "cpu"] as const;
const TOLERANCE = 1e-5;

/** ||x - ref||_F / ||ref||_F: entry-wise ratios blow up on near-zero entries. */
function relativeError(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  assertEquals(x.length, ref.length);
  let diff = 0, norm = 0;
  for (let i = 0; i < ref.length; i++) {
    diff += (x[i] - ref[i]) ** 2;
    norm += ref[i] ** 2;
  }
  return Math.sqrt(diff / norm);
}

/** Float64 matMul with numpy broadcasting, written independently of the kernel's offset tables. */
function referenceMatMul(
  a: tf.Tensor,
  b: tf.Tensor,
  transA: boolean,
  transB: boolean,
): { shape: number[]; values: Float64Array } {
  const av = Float64Array.from(a.dataSync()), bv = Float64Array.from(b.dataSync());
  const ra = a.rank, rb = b.rank;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  const aBatch = a.shape.slice(0, -2), bBatch = b.shape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const pad = (s: number[]) => [...new Array(rank - s.length).fill(1), ...s];
  const pa = pad(aBatch), pb = pad(bBatch);
  const outBatch = pa.map((d, i) => Math.max(d, pb[i]));
  const count = outBatch.reduce((x, y) => x * y, 1);
  const values = new Float64Array(count * m * n);
  for (let flat = 0; flat < count; flat++) {
    let rest = flat, ia = 0, ib = 0, sa = 1, sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % outBatch[d];
      rest = Math.floor(rest / outBatch[d]);
      ia += (pa[d] === 1 ? 0 : idx) * sa;
      ib += (pb[d] === 1 ? 0 : idx) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const x = av[ia * m * k + (transA ? p * m + i : i * k + p)];
          const y = bv[ib * k * n + (transB ? j * k + p : p * n + j)];
          sum += x * y;
        }
        values[flat * m * n + i * n + j] = sum;
      }
    }
  }
  return { shape: [...outBatch, m, n], values };
}

/** Runs `f` with tfjs's own kernels, then puts the BLAS ones back. */
function withStockKernels<T>(backend: "wasm" | "cpu", f: () => T): T {
  unregisterBlasKernels(backend);
  try {
    return f();
  } finally {
    registerBlasKernels(backend);
  }
}

function activate(x: tf.Tensor, activation: string, preluWeights: tf.Tensor): tf.Tensor {
  switch (activation) {
    case "relu":
      return tf.relu(x);
    case "relu6":
      return tf.relu6(x);
    case "elu":
      return tf.elu(x);
    case "leakyrelu":
      return tf.leakyRelu(x, 0.3);
    case "sigmoid":
      return tf.sigmoid(x);
    case "prelu":
      return tf.prelu(x, preluWeights);
    default:
      return x;
  }
}

function operandShape(batch: number[], rows: number, cols: number, transposed: boolean) {
  return transposed ? [...batch, cols, rows] : [...batch, rows, cols];
}

// [a batch dims, b batch dims]; m=3, k=7, n=5 keep every size distinct so a swapped stride fails.
const BATCH_CASES: [number[], number[]][] = [
  [[], []],
  [[4], [4]],
  [[1], [4]],
  [[4], [1]],
  [[2, 3], [3]],
  [[2, 1], [1, 3]],
];

Deno.test("matMulGeometry broadcasts batch dims of size 1", () => {
  const g = matMulGeometry([2, 1, 3, 4], [1, 3, 4, 5], false, false);
  assertEquals(g.outShape, [2, 3, 3, 5]);
  assertEquals(Array.from(g.offsetsA), [0, 0, 0, 12, 12, 12]);
  assertEquals(Array.from(g.offsetsB), [0, 20, 40, 0, 20, 40]);
});

Deno.test("matMulGeometry refuses a rank below 2, unequal inner sizes and batch dims that do not broadcast", () => {
  // tf.matMul checks the inner sizes before the kernel runs; the geometry must not rely on it.
  assertThrows(() => matMulGeometry([2, 3], [4, 5], false, false), Error, "inner sizes 3 and 4");
  assertThrows(() => matMulGeometry([3, 2], [5, 4], true, true), Error, "inner sizes 3 and 4");
  assertThrows(() => matMulGeometry([3, 2, 4], [2, 4, 5], false, false), Error, "do not broadcast");
  assertThrows(() => matMulGeometry([3], [3, 4], false, false), Error, "need rank >= 2");
  assertThrows(() => matMulGeometry([2, 3], [3], false, false), Error, "need rank >= 2");
});

Deno.test("matMulGeometry keeps an empty batch dim against a size-1 one", () => {
  // Broadcasting 0 against 1 gives 0 (numpy), not the larger of the two: no product to run.
  const g = matMulGeometry([0, 2, 3], [1, 3, 4], false, false);
  assertEquals(g.outShape, [0, 2, 4]);
  assertEquals(g.offsetsA.length, 0);
  assertEquals(g.offsetsB.length, 0);
});

/** Flat index into `operand` of the output's flat index `i` under numpy broadcasting (float64 ref). */
function broadcastSource(i: number, outShape: number[], operand: number[]): number {
  let source = 0, stride = 1;
  for (let d = 1; d <= outShape.length; d++) {
    const dim = outShape[outShape.length - d];
    const index = i % dim;
    i = Math.floor(i / dim);
    const size = operand[operand.length - d] ?? 1;
    if (d <= operand.length) {
      source += (size === 1 ? 0 : index) * stride;
      stride *= size;
    }
  }
  return source;
}

Deno.test("applyFusedEpilogue broadcasts a column bias, a batch bias and column prelu weights", () => {
  // Only a trailing-vector bias goes through tf.fused.matMul in the tests above; a bias of shape
  // [m, 1] has as many entries as a row yet must be added per row, not per column.
  const outShape = [2, 3, 3];
  const product = Float32Array.from({ length: 18 }, (_, i) => Math.sin(i + 1) * 3);
  const cases: [string, number[]][] = [["column", [3, 1]], ["batch", [2, 1, 3]], ["full", [
    2,
    3,
    3,
  ]]];
  for (const [label, biasShape] of cases) {
    const size = biasShape.reduce((x, y) => x * y, 1);
    const bias = Float32Array.from({ length: size }, (_, i) => 10 * (i + 1));
    const out = product.slice();
    applyFusedEpilogue(out, outShape, { values: bias, shape: biasShape }, "linear");
    const expected = Array.from(
      product,
      (v, i) => v + bias[broadcastSource(i, outShape, biasShape)],
    );
    assert(relativeError(out, expected) < 1e-7, `${label} bias [${biasShape}]: ${out}`);
  }
  const weights = Float32Array.of(0.1, 0.2, 0.3); // one slope per row: shape [3, 1]
  const out = product.slice();
  applyFusedEpilogue(out, outShape, undefined, "prelu", { values: weights, shape: [3, 1] });
  const expected = Array.from(
    product,
    (v, i) => (v < 0 ? v * weights[broadcastSource(i, outShape, [3, 1])] : v),
  );
  assert(relativeError(out, expected) < 1e-7, `prelu [3, 1]: ${out}`);
});

Deno.test("applyFusedEpilogue refuses a bias that does not broadcast and prelu without weights", () => {
  // tfjs-core checks the bias given to tf.fused.matMul, not one given to the kernel directly; a
  // bias of 2 entries against rows of 3 would be read past its end.
  const out = new Float32Array(18);
  assertThrows(
    () => applyFusedEpilogue(out, [2, 3, 3], { values: new Float32Array(2), shape: [2] }, "linear"),
    Error,
    "operand [2] does not broadcast to [2,3,3]",
  );
  assertThrows(
    () => applyFusedEpilogue(out, [2, 3, 3], undefined, "prelu"),
    Error,
    "prelu needs its weights",
  );
});

Deno.test("applyFusedEpilogue: leakyrelu's slope defaults to tfjs's 0.2", () => {
  const out = Float32Array.of(-1, 2, -0.5);
  applyFusedEpilogue(out, [1, 3], undefined, "leakyrelu");
  assertEquals(Array.from(out), [Math.fround(-0.2), 2, Math.fround(-0.1)]);
});

for (const backend of BACKENDS) {
  Deno.test({
    name: `BatchMatMul(openblas, ${backend}) matches float64 and the stock kernel`,
    ignore,
    fn: async () => {
      await tf.setBackend(backend);
      assertEquals(registerBlasKernels(backend), [
        "BatchMatMul(openblas)",
        "_FusedMatMul(openblas)",
      ]);
      let seed = 100;
      for (const [aBatch, bBatch] of BATCH_CASES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const label = `a[${aBatch}] b[${bBatch}] tA=${transA} tB=${transB}`;
            const a = tf.randomNormal(operandShape(aBatch, 3, 7, transA), 0, 1, "float32", seed++);
            const b = tf.randomNormal(operandShape(bBatch, 7, 5, transB), 0, 1, "float32", seed++);
            const out = tf.matMul(a, b, transA, transB);
            const ref = referenceMatMul(a, b, transA, transB);
            assertEquals(out.shape, ref.shape, label);
            const error = relativeError(out.dataSync(), ref.values);
            assert(error < TOLERANCE, `${label}: relative error ${error} vs float64`);
            // tfjs's stock kernels map [2,1]x[1,3] batches by modulo, not broadcasting: skip there.
            if (aBatch.length < 2) {
              const stock = withStockKernels(backend, () => tf.matMul(a, b, transA, transB));
              const stockError = relativeError(out.dataSync(), stock.dataSync());
              assert(stockError < TOLERANCE, `${label}: relative error ${stockError} vs stock`);
              stock.dispose();
            }
            tf.dispose([a, b, out]);
          }
        }
      }
    },
  });

  Deno.test({
    name: `_FusedMatMul(openblas, ${backend}) matches stock matMul + bias + activation`,
    ignore,
    fn: async () => {
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      const activations = [
        "linear",
        "relu",
        "relu6",
        "elu",
        "leakyrelu",
        "sigmoid",
        "prelu",
      ] as const;
      let seed = 500;
      for (const activation of activations) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const label = `${activation} tA=${transA} tB=${transB}`;
            const a = tf.randomNormal(operandShape([2], 4, 6, transA), 0, 1, "float32", seed++);
            const b = tf.randomNormal(operandShape([2], 6, 5, transB), 0, 1, "float32", seed++);
            const bias = tf.randomNormal([5], 0, 1, "float32", seed++);
            const prelu = tf.randomUniform([5], 0.05, 0.5, "float32", seed++);
            const run = () =>
              tf.fused.matMul({
                a,
                b,
                transposeA: transA,
                transposeB: transB,
                bias,
                activation,
                preluActivationWeights: activation === "prelu" ? prelu : undefined,
                leakyreluAlpha: 0.3,
              });
            // The reference is the unfused composition: tfjs's stock wasm _FusedMatMul adds the
            // bias wrongly for batch > 1 (tfjs 4.22), so it cannot be the reference.
            const unfused = () =>
              activate(tf.add(tf.matMul(a, b, transA, transB), bias), activation, prelu);
            const ours = run();
            const stock = withStockKernels(backend, unfused);
            const error = relativeError(ours.dataSync(), stock.dataSync());
            assert(error < TOLERANCE, `${label}: relative error ${error} vs stock`);
            tf.dispose([a, b, bias, prelu, ours, stock]);
          }
        }
      }
    },
  });

  Deno.test({
    name: `gradients through matMul and fused matMul (openblas, ${backend}) match stock`,
    ignore,
    fn: async () => {
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      const a = tf.randomNormal([3, 4, 6], 0, 1, "float32", 900);
      // Full batch on b: tfjs-core's BatchMatMul gradient does not sum over broadcast batch dims.
      const b = tf.randomNormal([3, 6, 5], 0, 1, "float32", 901);
      const bias = tf.randomNormal([5], 0, 1, "float32", 902);
      const weights = tf.randomNormal([3, 4, 5], 0, 1, "float32", 903);
      const loss = (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) => {
        const plain = tf.matMul(x, y, false, false);
        const fused = tf.fused.matMul({ a: x, b: y, bias: c, activation: "relu" });
        const swapped = tf.matMul(y, x, true, true); // [3, 5, 4]
        return tf.sum(tf.mul(tf.add(plain, fused), weights)).add(tf.sum(tf.square(swapped)));
      };
      const gradients = () => tf.grads(loss)([a, b, bias]);
      const ours = gradients();
      const stock = withStockKernels(backend, gradients);
      for (let i = 0; i < 3; i++) {
        assertEquals(ours[i].shape, stock[i].shape);
        const error = relativeError(ours[i].dataSync(), stock[i].dataSync());
        assert(error < TOLERANCE, `gradient ${i}: relative error ${error} vs stock`);
      }
      tf.dispose([a, b, bias, weights, ...ours, ...stock]);
    },
  });
}

for (const backend of BACKENDS) {
  Deno.test({
    name: `empty matMul (openblas, ${backend}): k = 0 gives zeros, m = 0 an empty product`,
    ignore,
    fn: async () => {
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      // Nothing reaches cblas_sgemm: with k = 0 every entry is an empty sum, with m = 0 (or a
      // batch of 0) there is no entry; neither operand may be refused for being empty.
      tf.tidy(() => {
        const zeros = tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 3]));
        assertEquals(zeros.shape, [2, 3]);
        assertEquals(Array.from(zeros.dataSync()), [0, 0, 0, 0, 0, 0]);
        const fused = tf.fused.matMul({
          a: tf.zeros([2, 0]),
          b: tf.zeros([0, 3]),
          bias: tf.ones([3]),
        });
        assertEquals(Array.from(fused.dataSync()), [1, 1, 1, 1, 1, 1]);
        const none = tf.matMul(tf.ones([0, 3]), tf.ones([3, 2]));
        assertEquals(none.shape, [0, 2]);
        const noBatch = tf.matMul(tf.ones([0, 2, 3]), tf.ones([1, 3, 2]));
        assertEquals(noBatch.shape, [0, 2, 2]);
      });
    },
  });
}

Deno.test({
  name: "int32 matMul and fused matMul on cpu go to the stock kernels and stay exact",
  ignore,
  fn: async () => {
    await tf.setBackend("cpu");
    registerBlasKernels("cpu");
    const a = tf.tensor2d([[1, 2], [3, 4]], undefined, "int32");
    const b = tf.tensor2d([[5, 6], [7, 8]], undefined, "int32");
    const c = tf.matMul(a, b);
    assertEquals(c.dtype, "int32");
    assertEquals(Array.from(c.dataSync()), [19, 22, 43, 50]);
    // OpenBLAS would read the int32 bits as float32 ones.
    const bias = tf.tensor1d([1, -100], "int32");
    const fused = tf.fused.matMul({ a, b, bias, activation: "relu" });
    assertEquals(fused.dtype, "int32");
    assertEquals(Array.from(fused.dataSync()), [20, 0, 44, 0]);
    tf.dispose([a, b, c, bias, fused]);
  },
});

/** Runs `script` (a module) with `args` in a fresh process; its stdout lines and exit code. */
async function runScript(script: string, args: string[], env: Record<string, string>) {
  const root = new URL("../../", import.meta.url).pathname;
  const path = `${root}.cache/blas_matmul_${Deno.pid}.ts`;
  Deno.mkdirSync(`${root}.cache`, { recursive: true });
  Deno.writeTextFileSync(path, script);
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--quiet", ...args, path],
      cwd: root,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    return {
      code: output.code,
      stderr,
      lines: new TextDecoder().decode(output.stdout).trim().split("\n"),
    };
  } finally {
    Deno.removeSync(path);
  }
}

const REGISTER_SCRIPT = `import { tf } from "${
  new URL("../../lib/backend/tf.ts", import.meta.url).href
}";
import { registerBlasKernels } from "${
  new URL("../../lib/backend/kernels/blas_matmul.ts", import.meta.url).href
}";
await tf.setBackend("cpu");
let names;
try {
  names = registerBlasKernels("cpu");
} catch (error) {
  names = error.name + ": " + error.message.split(";")[0];
}
const c = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0];
console.log(JSON.stringify({ names, c }));`;

/** The environment of this process without the BLAS settings. */
function envWithoutBlasSettings(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.DEMURE_OPENBLAS;
  delete env.DEMURE_BLAS_THREADS;
  return env;
}

Deno.test({
  name: "without OpenBLAS the stock kernels stay and one notice is printed",
  ignore,
  fn: async () => {
    // No OpenBLAS of the usual places can be opened here: FFI is not allowed.
    const { code, stderr, lines } = await runScript(
      REGISTER_SCRIPT,
      ["--allow-read", "--allow-env"],
      envWithoutBlasSettings(),
    );
    assertEquals(code, 0, stderr);
    assert(lines[0].startsWith("OpenBLAS not found"), lines[0]);
    assertEquals(JSON.parse(lines[lines.length - 1]), { names: [], c: 11 });
  },
});

Deno.test("a DEMURE_OPENBLAS that cannot be loaded is a SettingError: no fallback to the stock kernels", async () => {
  for (const args of [["--allow-all"], ["--allow-read", "--allow-env"]]) {
    const { code, stderr, lines } = await runScript(REGISTER_SCRIPT, args, {
      ...envWithoutBlasSettings(),
      DEMURE_OPENBLAS: "/nonexistent/libopenblas.so.0",
    });
    assertEquals(code, 0, stderr);
    assertEquals(lines.length, 1, lines.join("\n"));
    assertEquals(JSON.parse(lines[0]), {
      names: 'SettingError: DEMURE_OPENBLAS is "/nonexistent/libopenblas.so.0"',
      c: 11,
    });
  }
});

Deno.test("checkExtents: a product that would run past an operand's end is refused before OpenBLAS", () => {
  const g = { transA: false, transB: false, m: 2, n: 3, k: 4, offsetsA: [0, 8], offsetsB: [0, 0] };
  const a = new Float32Array(16), b = new Float32Array(12), c = new Float32Array(12);
  checkExtents(a, b, c, g); // two [2, 4] x [4, 3] products fit exactly
  assertThrows(() => checkExtents(a.subarray(1), b, c, g), Error, "product 1 reads A[8, 16) of 15");
  assertThrows(() => checkExtents(a, b.subarray(1), c, g), Error, "product 0 reads B[0, 12) of 11");
  assertThrows(() => checkExtents(a, b, c.subarray(1), g), Error, "C holds 11 elements");
  assertThrows(
    () => checkExtents(a, b, c, { ...g, offsetsA: [-1, 8] }),
    Error,
    "product 0 reads A[-1, 7)",
  );
  assertThrows(
    () => checkExtents(a, b, c, { ...g, offsetsB: [0] }),
    Error,
    "2 offsets for A but 1",
  );
  if (blas) {
    // The library refuses it too: nothing reaches cblas_sgemm.
    assertThrows(() => blas.sgemmBatch(a, b, c.subarray(1), g), Error, "C holds 11 elements");
  }
});

Deno.test({
  name: "blasKernelsInUse: the kernel set of the OpenBLAS running a backend's products, else none",
  ignore,
  fn: () => {
    for (const backend of BACKENDS) {
      registerBlasKernels(backend);
      // What each cell records (CellEnvironment.blasKernels): the loaded library's fingerprint.
      assertEquals(blasKernelsInUse(backend), blas!.kernelFingerprint(), backend);
      withStockKernels(backend, () => assertEquals(blasKernelsInUse(backend), undefined, backend));
      assertEquals(blasKernelsInUse(backend), blas!.kernelFingerprint(), backend);
    }
    // A backend whose products OpenBLAS does not run records none, whichever others it runs.
    assertEquals(blasKernelsInUse("webgl"), undefined);
  },
});

/** Runs `kernel` on the current backend with `inputs` and `attrs`, as a kernel caller would. */
function runDirect(
  kernel: string,
  inputs: tf.NamedTensorMap,
  attrs: Record<string, string | number | boolean>,
): number[] {
  return Array.from((tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor).dataSync());
}

Deno.test({
  name:
    "cpu: an int32 operand goes to the stock kernel; an int32 bias or prelu weights add as ints",
  ignore,
  fn: async () => {
    await tf.setBackend("cpu");
    registerBlasKernels("cpu");
    // tf.matMul and tf.fused.matMul make the dtypes match first; a direct kernel call need not.
    // OpenBLAS would read an int32 operand's bits as float32 ones (5 reads as 7e-45); the epilogue
    // reads a bias or prelu weights as an array of their own dtype, so those come out exact.
    tf.tidy(() => {
      const a = tf.tensor2d([[1.5, 2], [3, 4]]), b = tf.tensor2d([[5, 6], [7, 8]]);
      const attrs = { transposeA: false, transposeB: false };
      const intB = tf.cast(b, "int32");
      assertEquals(runDirect("BatchMatMul", { a, b: intB }, attrs), [21.5, 25, 43, 50]);
      const bias = tf.tensor1d([1, 2], "int32");
      const linear = { ...attrs, activation: "linear" };
      assertEquals(runDirect("_FusedMatMul", { a, b, bias }, linear), [22.5, 27, 44, 52]);
      const weights = tf.tensor1d([1, 2], "int32");
      const prelu = { ...attrs, activation: "prelu" };
      assertEquals(
        runDirect("_FusedMatMul", { a: tf.neg(a), b, preluActivationWeights: weights }, prelu),
        [-21.5, -50, -43, -100],
      );
    });
  },
});

Deno.test({
  name: "cpu: an activation the epilogue lacks goes to the stock kernel, not a silent linear",
  ignore,
  fn: async () => {
    await tf.setBackend("cpu");
    registerBlasKernels("cpu");
    tf.tidy(() => {
      const a = tf.tensor2d([[-1, 2]]), b = tf.tensor2d([[1], [1]]);
      const attrs = { transposeA: false, transposeB: false, activation: "gelu" };
      // tfjs's cpu kernel refuses it, naming it; the epilogue would return the bare product.
      assertThrows(() => runDirect("_FusedMatMul", { a, b }, attrs), Error, "gelu");
    });
  },
});

for (const backend of BACKENDS) {
  Deno.test({
    name: `${backend}: a kernel call without transposes, activation or slope: none, linear, 0.2`,
    ignore,
    fn: async () => {
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      tf.tidy(() => {
        // [2, 3] x [3, 2]: transposing either operand would make the inner sizes 2 and 3.
        const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
        const b = tf.tensor2d([[1, -1], [0, -1], [-1, 0]]);
        const product = [-2, -3, -2, -9];
        assertEquals(runDirect("BatchMatMul", { a, b }, {}), product);
        assertEquals(runDirect("_FusedMatMul", { a, b }, {}), product);
        // tfjs-core passes leakyreluAlpha always (default 0.2); the kernel's default is the same.
        const leaky = runDirect("_FusedMatMul", { a, b }, { activation: "leakyrelu" });
        assert(relativeError(leaky, product.map((v) => v * 0.2)) < 1e-7, `${leaky}`);
      });
    },
  });

  Deno.test({
    name: `_FusedMatMul(openblas, ${backend}): a leakyrelu slope of 0 is 0, not the default`,
    ignore,
    fn: async () => {
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      tf.tidy(() => {
        const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
        const b = tf.tensor2d([[1, -1], [0, -1], [-1, 0]]);
        const bias = tf.tensor1d([3, 0]); // the product [-2, -3, -2, -9] becomes [1, -3, 1, -9]
        const out = tf.fused.matMul({ a, b, bias, activation: "leakyrelu", leakyreluAlpha: 0 });
        assertEquals(Array.from(out.dataSync(), (v) => v + 0), [1, 0, 1, 0]);
      });
    },
  });

  Deno.test({
    name: `unregisterBlasKernels(${backend}) puts both stock kernels back, and only then`,
    ignore,
    fn: () => {
      const names = ["BatchMatMul", "_FusedMatMul"];
      const kernelFuncs = () => names.map((name) => tf.getKernel(name, backend)!.kernelFunc);
      unregisterBlasKernels(backend);
      const stock = kernelFuncs();
      registerBlasKernels(backend);
      const ours = kernelFuncs();
      names.forEach((name, i) => assert(ours[i] !== stock[i], `${name} replaced`));
      assertEquals(unregisterBlasKernels(backend), true);
      const back = kernelFuncs();
      names.forEach((name, i) => assert(back[i] === stock[i], `${name} restored`));
      assertEquals(unregisterBlasKernels(backend), false, "nothing left to restore");
      registerBlasKernels(backend);
    },
  });
}

const NOTICE_SCRIPT = `import { registerBlasKernels, unregisterBlasKernels } from "${
  new URL("../../lib/backend/kernels/blas_matmul.ts", import.meta.url).href
}";
const names = [registerBlasKernels("cpu"), registerBlasKernels("wasm"), registerBlasKernels("cpu")];
console.log(JSON.stringify({ names, unregistered: unregisterBlasKernels("cpu") }));`;

Deno.test("without OpenBLAS: one notice for all backends, whichever way loading failed", async () => {
  // Without --allow-env the loader throws (the catch path: "not used"); with it, no library of
  // the usual places opens without --allow-ffi ("not found"). Either way one line, then nothing
  // registered and nothing to unregister.
  const cases: [string[], string][] = [
    [["--allow-read"], "OpenBLAS not used ("],
    [["--allow-read", "--allow-env"], "OpenBLAS not found, keeping tfjs's matmul kernels ("],
  ];
  for (const [args, notice] of cases) {
    const { code, stderr, lines } = await runScript(NOTICE_SCRIPT, args, envWithoutBlasSettings());
    assertEquals(code, 0, stderr);
    assertEquals(lines.length, 2, `${args}: ${lines.join("\n")}`);
    assert(lines[0].startsWith(notice), `${args}: ${lines[0]}`);
    assertEquals(JSON.parse(lines[1]), { names: [[], [], []], unregistered: false }, `${args}`);
  }
});

const THREADS_SCRIPT = `import { tf } from "${
  new URL("../../lib/backend/tf.ts", import.meta.url).href
}";
import { blasKernelsInUse, registerBlasKernels } from "${
  new URL("../../lib/backend/kernels/blas_matmul.ts", import.meta.url).href
}";
await tf.setBackend("cpu");
const stock = tf.getKernel("BatchMatMul", "cpu").kernelFunc;
const errors = [];
for (let i = 0; i < 2; i++) {
  try {
    registerBlasKernels("cpu");
  } catch (error) {
    errors.push(error.message.split(":")[0]);
  }
}
const kept = tf.getKernel("BatchMatMul", "cpu").kernelFunc === stock;
console.log(JSON.stringify({ errors, inUse: blasKernelsInUse("cpu") ?? null, kept }));`;

Deno.test({
  name: "a bad DEMURE_BLAS_THREADS throws at every registration and registers nothing",
  ignore,
  fn: async () => {
    const { code, stderr, lines } = await runScript(THREADS_SCRIPT, ["--allow-all"], {
      ...envWithoutBlasSettings(),
      DEMURE_BLAS_THREADS: "two",
    });
    assertEquals(code, 0, stderr);
    assertEquals(JSON.parse(lines[lines.length - 1]), {
      errors: ["DEMURE_BLAS_THREADS=two", "DEMURE_BLAS_THREADS=two"],
      inUse: null,
      kept: true,
    });
  },
});

for (const backend of BACKENDS) {
  Deno.test({
    name: `_FusedMatMul(openblas, ${backend}): a column bias and column prelu weights, per row`,
    ignore,
    fn: async () => {
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      // The tests above give tf.fused.matMul a bias of shape [n] only; a bias of shape [m, 1]
      // adds one value per row, which the kernel learns from the bias's shape, not its length.
      tf.tidy(() => {
        const a = tf.randomNormal([4, 6], 0, 1, "float32", 950);
        const b = tf.randomNormal([6, 5], 0, 1, "float32", 951);
        const biasValues = [0.5, -1, 2, -3], slopes = [0.1, 0.2, 0.3, 0.4];
        const bias = tf.tensor2d(biasValues, [4, 1]), weights = tf.tensor2d(slopes, [4, 1]);
        const product = tf.matMul(a, b).dataSync();
        const out = tf.fused.matMul({
          a,
          b,
          bias,
          activation: "prelu",
          preluActivationWeights: weights,
        });
        assertEquals(out.shape, [4, 5]);
        const expected = Array.from(product, (v, i) => {
          const row = Math.floor(i / 5), x = v + biasValues[row];
          return x < 0 ? x * slopes[row] : x;
        });
        const error = relativeError(out.dataSync(), expected);
        assert(error < 1e-6, `relative error ${error}`);
      });
    },
  });
}

Deno.test("checkExtents: more offsets for B than for A, a negative or NaN offset are refused", () => {
  // Found by mutation round CH (CH13, CH15, CH16): only fewer B offsets and a negative A offset
  // were tested.
  const g = { transA: false, transB: false, m: 2, n: 3, k: 4, offsetsA: [0, 8], offsetsB: [0, 0] };
  const a = new Float32Array(16), b = new Float32Array(12), c = new Float32Array(12);
  assertThrows(
    () => checkExtents(a, b, c, { ...g, offsetsB: [0, 0, 0] }),
    Error,
    "OpenBLAS: 2 offsets for A but 3 for B",
  );
  assertThrows(
    () => checkExtents(a, b, c, { ...g, offsetsB: [0, -1] }),
    Error,
    "OpenBLAS: product 1 reads B[-1, 11) of 12 elements",
  );
  assertThrows(
    () => checkExtents(a, b, c, { ...g, offsetsA: [NaN, 8] }),
    Error,
    "OpenBLAS: product 0 reads A[NaN, NaN) of 16 elements",
  );
  assertThrows(
    () => checkExtents(a, b, c, { ...g, offsetsB: [0, NaN] }),
    Error,
    "OpenBLAS: product 1 reads B[NaN, NaN) of 12 elements",
  );
});

Deno.test({
  name: "sgemmBatch: an empty operand while k > 0 is refused by name before the extents",
  ignore,
  fn: () => {
    // (CH29) Both operands had to be empty for the refusal; one empty one got the extent message.
    const g = { transA: false, transB: false, m: 1, n: 1, k: 2, offsetsA: [0], offsetsB: [0] };
    const c = new Float32Array(1);
    for (const [a, b] of [[0, 2], [2, 0]]) {
      assertThrows(
        () => blas!.sgemmBatch(new Float32Array(a), new Float32Array(b), c, g),
        Error,
        "OpenBLAS: an operand is empty while k > 0",
      );
    }
  },
});

Deno.test("applyFusedEpilogue refuses a bias whose leading dim or rank does not fit the output", () => {
  // A [2, 3] bias against [2, 3, 3] differs in its first dim, the last one the check reaches; a
  // [1, 2, 3, 3] one has the output's 18 values but one dim more (tfjs would make the output
  // rank 4). Either read without a word would add the wrong values or change the shape.
  const out = new Float32Array(18);
  const bias = (shape: number[]) => ({
    values: new Float32Array(shape.reduce((x, y) => x * y, 1)),
    shape,
  });
  assertThrows(
    () => applyFusedEpilogue(out, [2, 3, 3], bias([2, 3]), "linear"),
    Error,
    "fused matMul: operand [2,3] does not broadcast to [2,3,3]",
  );
  assertThrows(
    () => applyFusedEpilogue(out, [2, 3, 3], bias([1, 2, 3, 3]), "linear"),
    Error,
    "fused matMul: operand [1,2,3,3] has higher rank than output [2,3,3]",
  );
});

Deno.test("applyFusedEpilogue: sigmoid saturates to 1 and 0 at large logits, not NaN", () => {
  // 1 / (1 + e^-x), as tfjs: the form e^x / (1 + e^x) is Infinity / Infinity past x = 709.
  const out = Float32Array.of(1000, -1000, 0);
  applyFusedEpilogue(out, [1, 3], undefined, "sigmoid");
  assertEquals(Array.from(out), [1, 0, 0.5]);
});

Deno.test("matMulGeometry's refusals name both shapes, both transposes and both batch dims", () => {
  // Found by mutation round JM (JM02, JM03): only the refusal's tail was pinned, so an error
  // naming A's batch dims twice or transposeA for transposeB passed.
  assertThrows(
    () => matMulGeometry([3, 2, 4], [2, 5, 4], false, true),
    Error,
    "matMul([3,2,4], [2,5,4], transposeA=false, transposeB=true): batch dims [3] and [2] do not " +
      "broadcast",
  );
  assertThrows(
    () => matMulGeometry([2, 3], [4, 5], true, false),
    Error,
    "matMul([2,3], [4,5], transposeA=true, transposeB=false): inner sizes 2 and 4 differ",
  );
});
