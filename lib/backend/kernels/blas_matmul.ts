/**
 * `BatchMatMul` and `_FusedMatMul` kernels for the `wasm` and `cpu` backends that call OpenBLAS's
 * `cblas_sgemm` through Deno FFI on the tensors' own memory (the wasm heap, or the cpu backend's
 * Float32Arrays): no copies in or out.
 *
 * Why: tfjs's wasm backend is single-threaded under Deno and its matmul runs near 1.6 GFLOP/s;
 * OpenBLAS runs the same products at 40-100 GFLOP/s on one AVX2 core. Gradients need nothing more:
 * tfjs differentiates `BatchMatMul` and `_FusedMatMul` into further `BatchMatMul` calls.
 *
 * Anything these kernels do not handle (non-float32 operands) is passed to the stock kernel.
 */
import { tf } from "../tf.ts";
import { loadOpenBlas, type OpenBlas, openBlasFailure } from "./_openblas.ts";
import { matMulGeometry } from "./_matmul_geometry.ts";
import { applyFusedEpilogue, isFusedActivation, type ShapedValues } from "./_fused_epilogue.ts";

type BlasBackendName = "wasm" | "cpu";

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

interface CpuBackendLike {
  data: { get(dataId: unknown): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

interface MatMulInputs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  bias?: tf.TensorInfo;
  preluActivationWeights?: tf.TensorInfo;
}

/** Reads and allocates tensor memory for one backend. */
interface MemoryAccess {
  /** Allocates the output first: on wasm this may grow the heap and detach older views. */
  allocate(shape: number[]): { info: tf.TensorInfo; values: () => Float32Array };
  read(info: tf.TensorInfo): Float32Array;
}

function wasmMemory(backend: WasmBackendLike): MemoryAccess {
  return {
    allocate(shape) {
      const info = backend.makeOutput(shape, "float32");
      return { info, values: () => backend.typedArrayFromHeap(info) as Float32Array };
    },
    read: (info) => backend.typedArrayFromHeap(info) as Float32Array,
  };
}

function cpuMemory(backend: CpuBackendLike): MemoryAccess {
  return {
    allocate(shape) {
      const values = new Float32Array(shape.reduce((x, y) => x * y, 1));
      const info = backend.makeTensorInfo(shape, "float32", values);
      return { info, values: () => values };
    },
    read(info) {
      const values = backend.data.get(info.dataId).values;
      if (!(values instanceof Float32Array)) {
        throw new Error(
          `BLAS matMul: cpu tensor of dtype ${info.dtype} has no Float32Array values`,
        );
      }
      return values;
    },
  };
}

function memoryFor(name: BlasBackendName, backend: unknown): MemoryAccess {
  return name === "wasm"
    ? wasmMemory(backend as WasmBackendLike)
    : cpuMemory(backend as CpuBackendLike);
}

function isFloat(...infos: (tf.TensorInfo | undefined)[]): boolean {
  return infos.every((info) => info === undefined || info.dtype === "float32");
}

function blasProduct(
  blas: OpenBlas,
  memory: MemoryAccess,
  inputs: MatMulInputs,
  attrs: MatMulAttrs,
): { info: tf.TensorInfo; values: Float32Array } {
  const { a, b } = inputs;
  const transA = attrs.transposeA === true, transB = attrs.transposeB === true;
  const g = matMulGeometry(a.shape, b.shape, transA, transB);
  const out = memory.allocate(g.outShape);
  const values = out.values();
  blas.sgemmBatch(memory.read(a), memory.read(b), values, {
    transA,
    transB,
    m: g.m,
    n: g.n,
    k: g.k,
    offsetsA: g.offsetsA,
    offsetsB: g.offsetsB,
  });
  return { info: out.info, values };
}

function shaped(memory: MemoryAccess, info: tf.TensorInfo | undefined): ShapedValues | undefined {
  return info === undefined ? undefined : { values: memory.read(info), shape: info.shape };
}

function makeKernels(blas: OpenBlas, name: BlasBackendName, stock: Map<string, tf.KernelFunc>) {
  const batchMatMul: tf.KernelFunc = (args) => {
    const inputs = args.inputs as unknown as MatMulInputs;
    if (!isFloat(inputs.a, inputs.b)) return stock.get("BatchMatMul")!(args);
    const memory = memoryFor(name, args.backend);
    return blasProduct(blas, memory, inputs, args.attrs as unknown as MatMulAttrs).info;
  };
  const fusedMatMul: tf.KernelFunc = (args) => {
    const inputs = args.inputs as unknown as MatMulInputs;
    const attrs = args.attrs as unknown as MatMulAttrs;
    const activation = attrs.activation ?? "linear";
    const supported = isFloat(inputs.a, inputs.b, inputs.bias, inputs.preluActivationWeights) &&
      isFusedActivation(activation);
    if (!supported) return stock.get("_FusedMatMul")!(args);
    const memory = memoryFor(name, args.backend);
    const out = blasProduct(blas, memory, inputs, attrs);
    applyFusedEpilogue(
      out.values,
      out.info.shape,
      shaped(memory, inputs.bias),
      activation,
      shaped(memory, inputs.preluActivationWeights),
      attrs.leakyreluAlpha ?? 0.2,
    );
    return out.info;
  };
  return { BatchMatMul: batchMatMul, _FusedMatMul: fusedMatMul };
}

const registered = new Map<BlasBackendName, string[]>();
const stockByBackend = new Map<BlasBackendName, Map<string, tf.KernelConfig>>();
let noticePrinted = false;

/** Threads OpenBLAS uses: `DEMURE_BLAS_THREADS`, else the core count. */
function threadCount(): number {
  const fromEnv = Number(Deno.env.get("DEMURE_BLAS_THREADS") ?? "");
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : navigator.hardwareConcurrency;
}

/**
 * Replaces `BatchMatMul` and `_FusedMatMul` of `backend` with OpenBLAS kernels and returns what it
 * registered, e.g. `["BatchMatMul(openblas)", "_FusedMatMul(openblas)"]`. When OpenBLAS cannot be
 * loaded (library missing, no `--allow-ffi`), prints one notice and returns `[]`: the stock
 * kernels stay. Idempotent.
 *
 * @example
 * ```ts
 * import { registerBlasKernels } from "./blas_matmul.ts";
 * const names = registerBlasKernels("wasm"); // [] when OpenBLAS is absent
 * ```
 */
export function registerBlasKernels(backend: BlasBackendName): string[] {
  const done = registered.get(backend);
  if (done !== undefined) return done;
  let blas: OpenBlas | undefined;
  try {
    blas = loadOpenBlas();
  } catch (error) {
    // Without --allow-ffi Deno throws a permission error rather than failing to open the file.
    blas = undefined;
    if (!noticePrinted) {
      console.log(`OpenBLAS not used (${(error as Error).message.split("\n")[0]})`);
      noticePrinted = true;
    }
  }
  if (blas === undefined) {
    if (!noticePrinted) {
      console.log(`OpenBLAS not found, keeping tfjs's matmul kernels (${openBlasFailure()})`);
      noticePrinted = true;
    }
    registered.set(backend, []);
    return [];
  }
  blas.setThreads(threadCount());
  const stock = new Map<string, tf.KernelFunc>();
  const kernels = makeKernels(blas, backend, stock);
  const names: string[] = [];
  const stockConfigs = new Map<string, tf.KernelConfig>();
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    const previous = tf.getKernel(kernelName, backend);
    if (previous === undefined) throw new Error(`no stock ${kernelName} kernel on ${backend}`);
    stock.set(kernelName, previous.kernelFunc);
    stockConfigs.set(kernelName, previous);
    tf.unregisterKernel(kernelName, backend);
    // Keep the stock set-up (wasm cwraps its function there) so the fallback path still works.
    tf.registerKernel({
      kernelName,
      backendName: backend,
      kernelFunc,
      setupFunc: previous.setupFunc,
    });
    names.push(`${kernelName}(openblas)`);
  }
  stockByBackend.set(backend, stockConfigs);
  registered.set(backend, names);
  return names;
}

/**
 * Puts the stock kernels back (for side-by-side tests and benchmarks). Returns whether it did.
 *
 * @example
 * ```ts
 * registerBlasKernels("cpu");
 * unregisterBlasKernels("cpu"); // tfjs's own BatchMatMul again
 * ```
 */
export function unregisterBlasKernels(backend: BlasBackendName): boolean {
  const stockKernels = stockByBackend.get(backend);
  if (stockKernels === undefined) return false;
  for (const [kernelName, config] of stockKernels) {
    tf.unregisterKernel(kernelName, backend);
    tf.registerKernel(config);
  }
  stockByBackend.delete(backend);
  registered.delete(backend);
  return true;
}
