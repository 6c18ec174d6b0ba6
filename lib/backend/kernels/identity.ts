/**
 * An `Identity` kernel for `wasm` that shares the input's memory instead of copying it.
 *
 * Why: tfjs clones tensors (`Identity`) all over the gradient tape; the stock wasm kernel copies
 * every byte (225 copies, about 50 ms per SASRec step). Tensors are immutable (variables swap
 * their dataId on `assign`), so sharing with a reference count is what the wasm `Reshape` kernel
 * and the `cpu` backend's `Identity` already do.
 */
import type { tf } from "../tf.ts";

interface RefCountingBackend {
  incRef(dataId: unknown): void;
}

/**
 * The `Identity` kernel factory (string tensors go to the stock kernel).
 *
 * @example
 * ```ts
 * replaceKernel("Identity", "wasm", makeSharedIdentityKernel);
 * ```
 */
export function makeSharedIdentityKernel(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (x.dtype === "string") return stock(args);
    (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
