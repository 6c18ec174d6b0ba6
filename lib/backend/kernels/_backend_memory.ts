/**
 * Uniform access to tensor memory of the `wasm` backend (views on the wasm heap) and the `cpu`
 * backend (its own typed arrays), so one kernel body serves both without copies.
 */
import type { tf } from "../tf.ts";

/** Backends whose memory this module can reach. */
export type HostBackendName = "wasm" | "cpu";

/** Typed values of the dtypes these kernels handle. */
export type HostValues = Float32Array | Int32Array;

/** Dtypes these kernels handle; others go to the stock kernel. */
export type HostDtype = "float32" | "int32";

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId): void;
  typedArrayFromHeap(info: tf.TensorInfo): HostValues | Uint8Array;
}

interface CpuBackendLike {
  data: { get(dataId: unknown): { values?: unknown } };
  disposeData(dataId: tf.DataId): void;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: HostValues): tf.TensorInfo;
}

/** Reads and allocates tensor memory for one backend. */
export interface MemoryAccess {
  /**
   * Allocates an output. On wasm, allocation may grow the heap and detach older views: allocate
   * every output first, then read inputs and call `values()`.
   */
  allocate(shape: number[], dtype: HostDtype): { info: tf.TensorInfo; values: () => HostValues };
  read(info: tf.TensorInfo): HostValues;
  /**
   * Frees an output allocated here that the kernel will not return (it threw): tfjs never gets
   * it, so it would stay allocated, on the wasm heap too, for the rest of the process.
   */
  free(info: tf.TensorInfo): void;
}

/** Tells whether `dtype` is one these kernels handle. */
export function isHostDtype(dtype: string): dtype is HostDtype {
  return dtype === "float32" || dtype === "int32";
}

/** The number of elements of a tensor of `shape` (1 for a scalar's `[]`); the host kernels' one. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((x, y) => x * y, 1);
}

function wasmMemory(backend: WasmBackendLike): MemoryAccess {
  return {
    allocate(shape, dtype) {
      const info = backend.makeOutput(shape, dtype);
      return { info, values: () => backend.typedArrayFromHeap(info) as HostValues };
    },
    read: (info) => backend.typedArrayFromHeap(info) as HostValues,
    free: (info) => backend.disposeData(info.dataId),
  };
}

function cpuMemory(backend: CpuBackendLike): MemoryAccess {
  return {
    allocate(shape, dtype) {
      const size = sizeOf(shape);
      const values = dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
      const info = backend.makeTensorInfo(shape, dtype, values);
      return { info, values: () => values };
    },
    read(info) {
      const values = backend.data.get(info.dataId).values;
      if (info.dtype === "float32" && values instanceof Float32Array) return values;
      if (info.dtype === "int32" && values instanceof Int32Array) return values;
      // The cpu backend sometimes keeps a float32 tensor in another array type (a cast from
      // bool keeps its Uint8Array): read it through a converted copy; inputs are never written.
      if (ArrayBuffer.isView(values) || Array.isArray(values)) {
        const numbers = values as ArrayLike<number>;
        return info.dtype === "int32" ? Int32Array.from(numbers) : Float32Array.from(numbers);
      }
      throw new Error(`cpu tensor of dtype ${info.dtype} has no readable values`);
    },
    free: (info) => backend.disposeData(info.dataId),
  };
}

/**
 * The memory accessor for a kernel's `backend` argument.
 *
 * @example
 * ```ts
 * const kernel: tf.KernelFunc = ({ inputs, backend }) => {
 *   const memory = memoryFor("wasm", backend);
 *   const x = (inputs as { x: tf.TensorInfo }).x;
 *   const out = memory.allocate(x.shape, "float32");
 *   out.values().set(memory.read(x));
 *   return out.info;
 * };
 * ```
 */
export function memoryFor(name: HostBackendName, backend: unknown): MemoryAccess {
  return name === "wasm"
    ? wasmMemory(backend as WasmBackendLike)
    : cpuMemory(backend as CpuBackendLike);
}
