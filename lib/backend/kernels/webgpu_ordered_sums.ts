/**
 * Same seed, same numbers on `webgpu`: the two stock kernels of `@tensorflow/tfjs-backend-webgpu`
 * (4.22.0) that training reaches and that add floats in an order the GPU's scheduling decides,
 * replaced by ones that add them in a fixed order.
 *
 * - `UnsortedSegmentSum` (the gradient of every `tf.gather`: the embedding tables, the packed
 *   rows) adds each row into its segment with an atomic compare-and-swap loop, so rows that share
 *   a segment (an item seen twice in a batch) are summed in the order their threads win. Here it
 *   is the product `oneHot(ids)^T x` ([segments, rows] x [rows, width]) through `BatchMatMul`
 *   (below, so never split-K), whose programs add the inner dimension in an order fixed by the
 *   shapes alone (`1 * x` and `0 * x` terms change no bit), at the cost of [rows, segments]
 *   floats of one-hot matrix (6,400 x 3,496 on MovieLens: 90 MB, freed at once) and of a product
 *   of 2 x rows x segments x width operations (2.9 GFLOP on MovieLens, well under a millisecond's
 *   work for a data-centre GPU; not measured on one).
 *   One difference, on purpose: a non-finite entry in `x` makes every segment non-finite
 *   (`0 * Inf` is NaN), not only its own; the trainer stops on a non-finite gradient either way.
 * - `BatchMatMul` and `_FusedMatMul` pick a split-K program (partial sums of the inner dimension
 *   added atomically) for a small output with an inner dimension of 2,000 or more, e.g. a weight
 *   gradient summed over every real position of a batch. Here the program choice is the stock
 *   one, except that split-K is replaced by the small-output program the stock code uses for the
 *   same shapes below that inner size (tiles of the output, the inner dimension walked in order).
 *
 * Integer sums are exact in any order, so int32 inputs keep the stock kernels. Reductions (`Sum`,
 * `Max`) reduce in a fixed tree on every backend and need nothing. Measured: on Mesa's software
 * adapter only (no GPU was lent); the cost on a GPU is not measured.
 */
import { tf } from "../tf.ts";
import { replaceKernel } from "./_replace_kernel.ts";

/** `WEBGPU_MATMUL_PROGRAM_TYPE` values (`MatMulProgramType` in tfjs-backend-webgpu's webgpu_util). */
const PROGRAM_AUTO = -1;
const PROGRAM_SPLIT_K = 1;
const PROGRAM_SMALL_OUTPUT = 2;

interface WebgpuBackendLike {
  thresholdToIncreaseWorkgroups: number;
  disposeData(dataId: tf.DataId): void;
  device: { limits: { maxStorageBufferBindingSize: number } };
}

let largeSumWarned = false;

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
    (forced === PROGRAM_AUTO &&
      stockChoosesSplitK(inputs, attrs.transposeA, attrs.transposeB, threshold));
  if (!splitK || inputs.a.dtype !== "float32") return stock(args);
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

const orderedSegmentSum = (stock: tf.KernelFunc): tf.KernelFunc => (args) => {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  if (x.dtype !== "float32") return stock(args);
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const backend = args.backend;
  const webgpu = backend as unknown as WebgpuBackendLike;
  const rows = segmentIds.shape.reduce((product, n) => product * n, 1);
  // The one-hot matrix must fit one storage binding (128 MiB by default in WebGPU; MovieLens needs
  // 90 MB, the Beauty-shaped workload 310 MB, which a GPU adapter's own limit usually allows).
  // Beyond it: the stock, atomic kernel, said once, rather than a failed submission.
  if (rows * numSegments * 4 > webgpu.device.limits.maxStorageBufferBindingSize) {
    if (!largeSumWarned) {
      console.warn(
        `webgpu: a gather gradient of ${rows} rows into ${numSegments} segments needs a ` +
          `${Math.ceil(rows * numSegments * 4 / 2 ** 20)} MiB one-hot matrix, above this ` +
          "adapter's storage-binding limit: tfjs's atomic UnsortedSegmentSum runs instead, and " +
          "the last bits of such sums follow the GPU's scheduling",
      );
      largeSumWarned = true;
    }
    return stock(args);
  }
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const width = rowShape.reduce((product, n) => product * n, 1);
  const ids = run("Reshape", backend, { x: segmentIds }, { shape: [rows] });
  // oneHot drops ids outside [0, numSegments) (a zero row): TensorFlow's contract, as the wasm
  // and cpu kernels (the stock webgpu shader drops negative ids only and wraps the others).
  const oneHot = run("OneHot", backend, { indices: ids }, {
    depth: numSegments,
    onValue: 1,
    offValue: 0,
    dtype: "float32",
  });
  const a = run("Reshape", backend, { x: oneHot }, { shape: [1, rows, numSegments] });
  const b = run("Reshape", backend, { x }, { shape: [1, rows, width] });
  const product = run("BatchMatMul", backend, { a, b }, { transposeA: true, transposeB: false });
  const out = run("Reshape", backend, { x: product }, { shape: [numSegments, ...rowShape] });
  for (const info of [ids, oneHot, a, b, product]) webgpu.disposeData(info.dataId);
  return out;
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
