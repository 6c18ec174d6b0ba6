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
import { blasThreads } from "../blas_threads.ts";
import { SettingError } from "../../util/settings.ts";
import { tf } from "../tf.ts";
import { loadOpenBlas, type OpenBlas, openBlasFailure } from "./_openblas.ts";
import { matMulGeometry } from "./_matmul_geometry.ts";
import { type HostBackendName, type MemoryAccess, memoryFor } from "./_backend_memory.ts";
import { replaceKernel, restoreKernel } from "./_replace_kernel.ts";
import { applyFusedEpilogue, isFusedActivation, type ShapedValues } from "./_fused_epilogue.ts";

type BlasBackendName = HostBackendName;

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

function isFloat(...infos: (tf.TensorInfo | undefined)[]): boolean {
  return infos.every((info) => info === undefined || info.dtype === "float32");
}

/**
 * The product of `inputs` in a fresh output, with `finish` run on its values (the fused tail).
 * When either throws, the output is freed: a kernel that throws returns nothing for tfjs to
 * dispose, so each failed call would keep its output's memory for the rest of the process.
 */
function blasProduct(
  blas: OpenBlas,
  memory: MemoryAccess,
  inputs: MatMulInputs,
  attrs: MatMulAttrs,
  finish: (values: Float32Array, shape: number[]) => void = () => {},
): tf.TensorInfo {
  const { a, b } = inputs;
  const transA = attrs.transposeA === true, transB = attrs.transposeB === true;
  const g = matMulGeometry(a.shape, b.shape, transA, transB);
  const out = memory.allocate(g.outShape, "float32");
  try {
    const values = out.values() as Float32Array;
    const read = (info: tf.TensorInfo) => memory.read(info) as Float32Array;
    blas.sgemmBatch(read(a), read(b), values, {
      transA,
      transB,
      m: g.m,
      n: g.n,
      k: g.k,
      offsetsA: g.offsetsA,
      offsetsB: g.offsetsB,
    });
    finish(values, out.info.shape);
  } catch (error) {
    memory.free(out.info);
    throw error;
  }
  return out.info;
}

function shaped(memory: MemoryAccess, info: tf.TensorInfo | undefined): ShapedValues | undefined {
  return info === undefined
    ? undefined
    : { values: memory.read(info) as Float32Array, shape: info.shape };
}

function makeKernels(blas: OpenBlas, name: BlasBackendName) {
  const batchMatMul = (stock: tf.KernelFunc): tf.KernelFunc => (args) => {
    const inputs = args.inputs as unknown as MatMulInputs;
    if (!isFloat(inputs.a, inputs.b)) return stock(args);
    const memory = memoryFor(name, args.backend);
    return blasProduct(
      blas,
      memory,
      inputs,
      args.attrs as unknown as MatMulAttrs,
    );
  };
  const fusedMatMul = (stock: tf.KernelFunc): tf.KernelFunc => (args) => {
    const inputs = args.inputs as unknown as MatMulInputs;
    const attrs = args.attrs as unknown as MatMulAttrs;
    const activation = attrs.activation ?? "linear";
    const supported = isFloat(inputs.a, inputs.b, inputs.bias, inputs.preluActivationWeights) &&
      isFusedActivation(activation);
    if (!supported) return stock(args);
    const memory = memoryFor(name, args.backend);
    return blasProduct(
      blas,
      memory,
      inputs,
      attrs,
      (values, shape) =>
        applyFusedEpilogue(
          values,
          shape,
          shaped(memory, inputs.bias),
          activation,
          shaped(memory, inputs.preluActivationWeights),
          attrs.leakyreluAlpha ?? 0.2,
        ),
    );
  };
  return { BatchMatMul: batchMatMul, _FusedMatMul: fusedMatMul };
}

const registered = new Map<BlasBackendName, string[]>();
/** The kernel set's fingerprint of each backend whose products OpenBLAS runs. */
const fingerprints = new Map<string, string>();
let noticePrinted = false;

/**
 * Replaces `BatchMatMul` and `_FusedMatMul` of `backend` with OpenBLAS kernels and returns what it
 * registered, e.g. `["BatchMatMul(openblas)", "_FusedMatMul(openblas)"]`. When no OpenBLAS of the
 * usual places can be loaded (library missing, no `--allow-ffi`), prints one notice and returns
 * `[]`: the stock kernels stay. A `DEMURE_OPENBLAS` that cannot be loaded (a `SettingError`) or a
 * bad `DEMURE_BLAS_THREADS` throws, naming it, and nothing is registered. Idempotent.
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
    // The library the user named (DEMURE_OPENBLAS): without it the numbers would be others.
    if (error instanceof SettingError) throw error;
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
  blas.setThreads(blasThreads());
  fingerprints.set(backend, blas.kernelFingerprint());
  const names: string[] = [];
  for (const [kernelName, make] of Object.entries(makeKernels(blas, backend))) {
    replaceKernel(kernelName, backend, make);
    names.push(`${kernelName}(openblas)`);
  }
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
  if (!registered.get(backend)?.length) return false;
  restoreKernel("BatchMatMul", backend);
  restoreKernel("_FusedMatMul", backend);
  registered.delete(backend);
  fingerprints.delete(backend);
  return true;
}

/**
 * The fingerprint of the OpenBLAS kernel set that runs the matrix products of `backend` (8 hex
 * digits: lib/backend/blas_kernels.ts), or undefined when tfjs's own kernels run them.
 *
 * @example
 * ```ts
 * registerBlasKernels("wasm");
 * blasKernelsInUse("wasm"); // e.g. "9b2841e5" (Haswell's); undefined without OpenBLAS
 * ```
 */
export function blasKernelsInUse(backend: string): string | undefined {
  return fingerprints.get(backend);
}
