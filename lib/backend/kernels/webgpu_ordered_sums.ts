/**
 * Same seed, same numbers on `webgpu`: the two stock kernels of `@tensorflow/tfjs-backend-webgpu`
 * (4.22.0) that training reaches and that add floats in an order the GPU's scheduling decides,
 * replaced by ones that add them in a fixed order.
 *
 * - `UnsortedSegmentSum` (the gradient of every `tf.gather`: the embedding tables, the packed
 *   rows) adds each row into its segment with an atomic compare-and-swap loop, so rows that share
 *   a segment (an item seen twice in a batch) are summed in the order their threads win. Here two
 *   programs of its own (`orderedSegmentSum`, below) sort the rows by segment and then add each
 *   segment's rows in ascending row order: the order of the wasm and cpu kernels, so the same
 *   bits. The version before was the product `oneHot(ids)^T x` through `BatchMatMul`; measured on
 *   an NVIDIA H200 (2026-12-04, docs/gpu.md), its one-hot products were 246 of the 325 ms of GPU
 *   kernel time of a Beauty-shaped SASRec step (the [6,400 x 12,101] one-hot alone 310 MB), and on
 *   an adapter whose storage bindings could not hold the one-hot it fell back to the atomic kernel.
 *   The sorted sums take 11.5-18.4 ms of that step on the same GPU.
 * - `BatchMatMul` and `_FusedMatMul` pick a split-K program (partial sums of the inner dimension
 *   added atomically) for a small output with an inner dimension of 2,000 or more, e.g. a weight
 *   gradient summed over every real position of a batch. Here the program choice is the stock
 *   one, except that split-K is replaced by the small-output program the stock code uses for the
 *   same shapes below that inner size (tiles of the output, the inner dimension walked in order).
 *
 * Integer sums are exact in any order, but the stock `UnsortedSegmentSum` gives wrong int32 sums
 * (4.22.0 on Mesa's lavapipe, 2026-12-06: ids [1, 0, 1] over [[1, 2], [3, 4], [5, 6]] gave
 * 1077936128 and 1082130432, the bits of 3.0f and 4.0f, for 3 and 4, and garbage for the other
 * segment: its atomic add treats the output as floats), so int32 rows take the ordered programs
 * too, and an int32 sum beyond their row limit is refused rather than computed wrong. The stock
 * split-K program's int32 products are wrong the same way (2026-12-07: [4 x 2048] x [2048 x 64]
 * gave 244 of 256 outputs as float bits), so int32 products take the small-output program too,
 * which is exact (training multiplies float32 only; no recorded number moves). Reductions (`Sum`, `Max`) reduce in a fixed tree on
 * every backend and need nothing. Checked bit for bit against
 * wasm on Mesa's software adapter (tests/backend/_webgpu_ordered_sums_cases.ts); on the H200 these
 * tests pass too, and two training runs from one seed give the same numbers.
 */
import { tf } from "../tf.ts";
import { replaceKernel } from "./_replace_kernel.ts";

/**
 * `WEBGPU_MATMUL_PROGRAM_TYPE` values (`MatMulProgramType` in tfjs-backend-webgpu's webgpu_util).
 * Automatic is any negative value (its default is -1): `BatchMatMul_impl.js` tests `< 0`.
 */
const PROGRAM_SPLIT_K = 1;
const PROGRAM_SMALL_OUTPUT = 2;

interface WebgpuBackendLike {
  thresholdToIncreaseWorkgroups: number;
  disposeData(dataId: tf.DataId): void;
}

let largeSumWarned = false;

/**
 * Most rows the sorted segment sum takes: each row's place is counted over all rows, rows^2
 * comparisons (4.3 billion here, milliseconds on a GPU). A training batch of 128 windows of 50 is
 * 6,400 rows; beyond the limit the stock, atomic kernel runs for float32, said once, and an int32
 * sum is refused (the stock kernel's int32 sums are wrong, see above).
 */
export const MAX_ORDERED_SEGMENT_ROWS = 65_536;

/** The WebGPU program shape tfjs-backend-webgpu 4.22.0 compiles (`webgpu_program.ts`). */
interface WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms: string;
  workgroupSize: [number, number, number];
  getUserCode(): string;
}

interface WebgpuProgramRunner {
  runWebGPUProgram(
    program: WebgpuProgram,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms: { type: "int32"; data: number[] }[],
  ): tf.TensorInfo;
}

const WORKGROUP = 64;

/**
 * Workgroups for `threads` threads of a flat program: one row of them, or a square where one row
 * would pass WebGPU's 65,535 per dimension (the program's index then counts across rows).
 */
function flatDispatch(threads: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(threads / WORKGROUP));
  if (groups <= 65_535) return [groups, 1, 1];
  const side = Math.ceil(Math.sqrt(groups));
  return [side, side, 1];
}

/**
 * Sorts the rows by segment id, stably: output [2 x rows] int32, the row at each sorted place,
 * then the ids in sorted order. A row's place is the number of rows with a smaller id plus the
 * number before it with the same id: counts, so no order of threads can change them.
 */
function segmentOrderProgram(rows: number): WebgpuProgram {
  return {
    outputShape: [2 * rows],
    shaderKey: "orderedSegmentSumOrder",
    dispatchLayout: { x: [0] },
    dispatch: flatDispatch(rows),
    variableNames: ["ids"],
    uniforms: "rows : i32,",
    workgroupSize: [WORKGROUP, 1, 1],
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.rows) {
          return;
        }
        let id = ids[index];
        var place = 0;
        for (var r = 0; r < uniforms.rows; r++) {
          let other = ids[r];
          place += select(0, 1, other < id || (other == id && r < index));
        }
        result[place] = index;
        result[uniforms.rows + place] = id;
      }`,
  };
}

/**
 * One output per (segment, column): the first sorted place of the segment by binary search, then
 * its rows added in ascending row order from 0. Ids outside [0, segments) match no segment and are
 * dropped (TensorFlow's contract, as the wasm and cpu kernels). `dtype` is the rows' and the
 * output's: float32 or int32.
 */
function segmentSumProgram(
  segments: number,
  width: number,
  dtype: OrderedSumDtype,
): WebgpuProgram {
  return {
    outputShape: [segments * width],
    shaderKey: `orderedSegmentSumAdd_${dtype}`,
    dispatchLayout: { x: [0] },
    dispatch: flatDispatch(segments * width),
    variableNames: ["x", "order"],
    uniforms: "rows : i32, width : i32, segments : i32,",
    workgroupSize: [WORKGROUP, 1, 1],
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.segments * uniforms.width) {
          return;
        }
        let segment = index / uniforms.width;
        let column = index % uniforms.width;
        var low = 0;
        var high = uniforms.rows;
        while (low < high) {
          let middle = (low + high) / 2;
          if (order[uniforms.rows + middle] < segment) {
            low = middle + 1;
          } else {
            high = middle;
          }
        }
        var sum = ${dtype === "int32" ? "0" : "0.0"};
        for (var place = low; place < uniforms.rows; place++) {
          if (order[uniforms.rows + place] != segment) {
            break;
          }
          sum += x[order[place] * uniforms.width + column];
        }
        result[index] = sum;
      }`,
  };
}

interface MatMulArgs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
}

/**
 * The stock program choice of `batchMatMulImpl` (tfjs-backend-webgpu 4.22.0,
 * `kernels/BatchMatMul_impl.js`), reduced to its one question: would it pick split-K?
 * `thresholdToIncreaseWorkgroups` is the backend's (8, or 16 on Intel's 12th generation and later),
 * or `WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL` where that flag is set.
 */
export function stockChoosesSplitK(
  { a, b }: MatMulArgs,
  transposeA: boolean,
  transposeB: boolean,
  thresholdToIncreaseWorkgroups: number,
): boolean {
  const [aRank, bRank] = [a.shape.length, b.shape.length];
  const outerA = transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2];
  const outerB = transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1];
  const inner = transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2];
  const size = (shape: number[]) => shape.reduce((product, n) => product * n, 1);
  const batch = Math.max(size(a.shape.slice(0, -2)), size(b.shape.slice(0, -2)));
  const threshold = thresholdToIncreaseWorkgroups;
  const workgroups = batch * Math.ceil(outerA / 32) * Math.ceil(outerB / 32);
  const fewWorkgroups = workgroups <= threshold || (outerA <= 8 && workgroups <= threshold * 2);
  return fewWorkgroups && batch * outerA * outerB > 128 && batch === 1 && inner >= 2000;
}

const withoutSplitK = (stock: tf.KernelFunc): tf.KernelFunc => (args) => {
  const inputs = args.inputs as unknown as MatMulArgs;
  const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const backend = args.backend as unknown as WebgpuBackendLike;
  const env = tf.env();
  const forced = env.getNumber("WEBGPU_MATMUL_PROGRAM_TYPE");
  const thresholdFlag = env.getNumber("WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL");
  const threshold = thresholdFlag > 0 ? thresholdFlag : backend.thresholdToIncreaseWorkgroups;
  const splitK = forced === PROGRAM_SPLIT_K ||
    (forced < 0 &&
      stockChoosesSplitK(inputs, attrs.transposeA, attrs.transposeB, threshold));
  if (!splitK || (inputs.a.dtype !== "float32" && inputs.a.dtype !== "int32")) return stock(args);
  env.set("WEBGPU_MATMUL_PROGRAM_TYPE", PROGRAM_SMALL_OUTPUT);
  try {
    return stock(args);
  } finally {
    env.set("WEBGPU_MATMUL_PROGRAM_TYPE", forced);
  }
};

/** Runs the registered `webgpu` kernel `name` (the replacements above included). */
function run(
  name: string,
  backend: Parameters<tf.KernelFunc>[0]["backend"],
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
): tf.TensorInfo {
  const kernel = tf.getKernel(name, "webgpu");
  if (kernel === undefined) throw new Error(`no ${name} kernel on webgpu`);
  return kernel.kernelFunc({
    inputs,
    backend,
    attrs: attrs as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo;
}

/** The row types the ordered segment sum adds (tfjs's other dtypes keep the stock kernel). */
type OrderedSumDtype = "float32" | "int32";

const orderedSegmentSum = (stock: tf.KernelFunc): tf.KernelFunc => (args) => {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  if (x.dtype !== "float32" && x.dtype !== "int32") return stock(args);
  const dtype: OrderedSumDtype = x.dtype;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const backend = args.backend;
  const rows = segmentIds.shape.reduce((product, n) => product * n, 1);
  if (rows > MAX_ORDERED_SEGMENT_ROWS && dtype === "int32") {
    throw new Error(
      `webgpu: an int32 unsortedSegmentSum of ${rows} rows, above the ordered segment sum's ` +
        `${MAX_ORDERED_SEGMENT_ROWS}: tfjs-backend-webgpu's own kernel gives wrong int32 sums, so ` +
        "it is not run (sum in float32, or split the rows)",
    );
  }
  if (rows > MAX_ORDERED_SEGMENT_ROWS) {
    if (!largeSumWarned) {
      console.warn(
        `webgpu: a gather gradient of ${rows} rows, above the ordered segment sum's ` +
          `${MAX_ORDERED_SEGMENT_ROWS}: tfjs's atomic UnsortedSegmentSum runs instead, and the ` +
          "last bits of such sums follow the GPU's scheduling",
      );
      largeSumWarned = true;
    }
    return stock(args);
  }
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const width = rowShape.reduce((product, n) => product * n, 1);
  const runner = backend as unknown as WebgpuProgramRunner;
  const webgpu = backend as unknown as WebgpuBackendLike;
  const ids = run("Reshape", backend, { x: segmentIds }, { shape: [rows] });
  const made = [ids];
  try {
    const order = runner.runWebGPUProgram(segmentOrderProgram(rows), [ids], "int32", [
      { type: "int32", data: [rows] },
    ]);
    made.push(order);
    const sums = runner.runWebGPUProgram(
      segmentSumProgram(numSegments, width, dtype),
      [x, order],
      dtype,
      [
        { type: "int32", data: [rows] },
        { type: "int32", data: [width] },
        { type: "int32", data: [numSegments] },
      ],
    );
    made.push(sums);
    return run("Reshape", backend, { x: sums }, { shape: [numSegments, ...rowShape] });
  } finally {
    // Also when a dispatch fails: each failed sum would otherwise keep these buffers for good.
    for (const info of made) webgpu.disposeData(info.dataId);
  }
};

/**
 * Replaces `UnsortedSegmentSum`, `BatchMatMul` and `_FusedMatMul` of the loaded `webgpu` backend
 * with their ordered versions above and returns their names for the backend line. Idempotent.
 *
 * @example
 * ```ts
 * await import("@tensorflow/tfjs-backend-webgpu");
 * registerOrderedWebgpuSums(); // ["UnsortedSegmentSum(ordered)", "BatchMatMul(no split-K)", ...]
 * ```
 */
export function registerOrderedWebgpuSums(): string[] {
  replaceKernel("BatchMatMul", "webgpu", withoutSplitK);
  replaceKernel("_FusedMatMul", "webgpu", withoutSplitK);
  replaceKernel("UnsortedSegmentSum", "webgpu", orderedSegmentSum);
  return ["UnsortedSegmentSum(ordered)", "BatchMatMul(no split-K)", "_FusedMatMul(no split-K)"];
}
