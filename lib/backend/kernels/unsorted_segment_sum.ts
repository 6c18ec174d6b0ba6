/**
 * A linear-time `UnsortedSegmentSum` kernel for the `wasm` and `cpu` backends.
 *
 * The gradient of `tf.gather` (every embedding lookup) is an unsorted segment sum. tfjs's `wasm`
 * backend has no such kernel, and the stock `cpu` kernel builds one mask per segment, which is
 * O(segments x rows x width): one SASRec step with 5,000 items did not finish in 15 minutes.
 * This kernel scatters each row once: O(rows x width).
 */
import { tf } from "../tf.ts";

type TypedValues = Float32Array | Int32Array;

/** Sums rows of `values` ([rows, width]) into `out` ([segments, width]) by `ids` ([rows]). */
export function scatterAddRows(
  values: TypedValues,
  ids: ArrayLike<number>,
  width: number,
  numSegments: number,
  out: TypedValues,
): void {
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row];
    // tf.unsortedSegmentSum drops ids outside [0, numSegments) (TensorFlow semantics); we keep
    // that contract so the kernel is a drop-in replacement for the stock one.
    if (segment < 0 || segment >= numSegments) continue;
    const src = row * width;
    const dst = segment * width;
    for (let k = 0; k < width; k++) out[dst + k] += values[src + k];
  }
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): TypedValues;
}

interface CpuBackendLike {
  data: { get(dataId: unknown): { values: TypedValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: TypedValues): tf.TensorInfo;
}

function outputShape(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number) {
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const width = rowShape.reduce((a, b) => a * b, 1);
  return { shape: [numSegments, ...rowShape], width };
}

const wasmKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as WasmBackendLike;
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const { shape, width } = outputShape(x, segmentIds, numSegments);
  const out = wasm.makeOutput(shape, x.dtype);
  const outValues = wasm.typedArrayFromHeap(out);
  outValues.fill(0);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  scatterAddRows(wasm.typedArrayFromHeap(x), ids, width, numSegments, outValues);
  return out;
};

const cpuKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as unknown as CpuBackendLike;
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const { shape, width } = outputShape(x, segmentIds, numSegments);
  const size = shape.reduce((a, b) => a * b, 1);
  const outValues = x.dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
  const ids = cpu.data.get(segmentIds.dataId).values;
  scatterAddRows(cpu.data.get(x.dataId).values, ids, width, numSegments, outValues);
  return cpu.makeTensorInfo(shape, x.dtype, outValues);
};

/** Registers the kernel on `wasm` and `cpu`, replacing the stock `cpu` one. Idempotent. */
export function registerUnsortedSegmentSum(): void {
  for (const [backendName, kernelFunc] of [["wasm", wasmKernel], ["cpu", cpuKernel]] as const) {
    if (tf.getKernel("UnsortedSegmentSum", backendName) !== undefined) {
      const registered = tf.getKernel("UnsortedSegmentSum", backendName);
      if (registered?.kernelFunc === kernelFunc) continue;
      tf.unregisterKernel("UnsortedSegmentSum", backendName);
    }
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName, kernelFunc });
  }
}
