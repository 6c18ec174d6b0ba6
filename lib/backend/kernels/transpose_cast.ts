/**
 * `Transpose` and `Cast` kernels for `wasm` and `cpu` that avoid needless copies.
 *
 * Why: the gather gradient transposes with the identity permutation, and the multiply gradient
 * casts float32 to float32; the stock wasm kernels copy the whole tensor each time (a [12800, 64]
 * identity transpose took about 13 ms). Here an identity permutation or a same-dtype cast shares
 * memory (tensors are immutable), and a real permutation is a strided JS copy.
 */
import type { tf } from "../tf.ts";
import {
  type HostBackendName,
  type HostValues,
  isHostDtype,
  memoryFor,
} from "./_backend_memory.ts";

interface RefCountingBackend {
  incRef(dataId: unknown): void;
}

function share(backend: unknown, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * Writes `x` (row-major `shape`) permuted by `perm` into `out`.
 *
 * @example
 * ```ts
 * const out = new Float32Array(6);
 * permute(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0], out); // out = [1, 4, 2, 5, 3, 6]
 * ```
 */
export function permute(
  x: HostValues,
  shape: readonly number[],
  perm: readonly number[],
  out: HostValues,
): void {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  inStrides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) inStrides[d] = inStrides[d + 1] * shape[d + 1];
  const outShape = perm.map((p) => shape[p]);
  const strides = perm.map((p) => inStrides[p]); // input stride of each output dim
  const last = rank - 1;
  const lastSize = outShape[last], lastStride = strides[last];
  const index = new Array<number>(last).fill(0);
  const rows = out.length / lastSize;
  let target = 0;
  for (let r = 0; r < rows; r++) {
    let source = 0;
    for (let d = 0; d < last; d++) source += index[d] * strides[d];
    for (let k = 0; k < lastSize; k++) out[target++] = x[source + k * lastStride];
    for (let d = last - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
}

/**
 * The `Transpose` kernel factory.
 *
 * @example
 * ```ts
 * replaceKernel("Transpose", "wasm", (stock) => makeTransposeKernel("wasm", stock));
 * ```
 */
export function makeTransposeKernel(backend: HostBackendName, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { perm } = args.attrs as unknown as { perm: number[] };
    if (!isHostDtype(x.dtype)) return stock(args);
    const outShape = perm.map((p) => x.shape[p]);
    // Moving only size-1 dims keeps the memory order: same bytes, new shape.
    const moved = perm.filter((p) => x.shape[p] !== 1);
    if (moved.every((p, i) => i === 0 || moved[i - 1] < p)) {
      return share(args.backend, x, outShape);
    }
    const memory = memoryFor(backend, args.backend);
    const out = memory.allocate(outShape, x.dtype);
    const outValues = out.values();
    permute(memory.read(x), x.shape, perm, outValues);
    return out.info;
  };
}

/**
 * The `Cast` kernel factory: a same-dtype cast shares memory; other casts go to the stock kernel.
 *
 * @example
 * ```ts
 * replaceKernel("Cast", "wasm", (stock) => makeCastKernel("wasm", stock));
 * ```
 */
export function makeCastKernel(_backend: HostBackendName, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    if (dtype !== x.dtype || x.dtype === "string") return stock(args);
    return share(args.backend, x, x.shape);
  };
}
