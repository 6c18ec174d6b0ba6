/**
 * Registers the workspace's faster replacements of stock tfjs kernels on `wasm` or `cpu`
 * (each file documents the measurement that justified it).
 */
import type { HostBackendName } from "./_backend_memory.ts";
import { replaceKernel, restoreKernel } from "./_replace_kernel.ts";
import { makeMeanKernel, makeSumKernel } from "./sum.ts";
import { registerReductionGradients } from "./reduction_gradients.ts";
import { makeGatherKernel } from "./gather.ts";
import { makeSharedIdentityKernel } from "./identity.ts";
import { makeSliceKernel, makeUnpackKernel } from "./slice.ts";
import { makeCastKernel, makeTransposeKernel } from "./transpose_cast.ts";
import { registerLayerNormKernels } from "./layer_norm.ts";
import { registerSoftmaxCrossEntropyKernel } from "./softmax_cross_entropy.ts";
import { registerAdamUpdateKernel } from "./adam_update.ts";
import { type BinaryOp, makeBinaryKernel } from "./binary.ts";

const FACTORIES = {
  Sum: makeSumKernel,
  Mean: makeMeanKernel,
  GatherV2: makeGatherKernel,
  Slice: makeSliceKernel,
  Unpack: makeUnpackKernel,
  Transpose: makeTransposeKernel,
  Cast: makeCastKernel,
} as const;

const BINARY_OPS: readonly BinaryOp[] = ["Add", "Sub", "Multiply", "RealDiv"];

/**
 * Replaces `Sum`, `Mean` (and the Sum/Mean gradients), `GatherV2`, `Slice`, `Unpack`, `Transpose`,
 * `Cast` (and on wasm `Identity`) on `backend`, and registers the fused layer norm, softmax
 * cross-entropy and Adam update; returns their names,
 * e.g. `["Sum(host)", "GatherV2(host)", "Identity(shared)"]`.
 * Idempotent.
 *
 * @example
 * ```ts
 * import { registerHostKernels } from "./host_kernels.ts";
 * registerHostKernels("wasm");
 * ```
 */
export function registerHostKernels(backend: HostBackendName): string[] {
  const names = Object.entries(FACTORIES).map(([kernelName, make]) => {
    replaceKernel(kernelName, backend, (stock) => make(backend, stock));
    return `${kernelName}(host)`;
  });
  names.push(...registerLayerNormKernels(backend));
  names.push(...registerSoftmaxCrossEntropyKernel(backend));
  names.push(...registerAdamUpdateKernel(backend));
  registerReductionGradients();
  names.push("Mean/Sum gradients(broadcast)");
  if (backend === "cpu") {
    // wasm's own SIMD element-wise kernels are already fast; cpu's generic loops are not.
    for (const op of BINARY_OPS) {
      replaceKernel(op, backend, (stock) => makeBinaryKernel(op, backend, stock));
      names.push(`${op}(host)`);
    }
  }
  // The cpu backend's Identity already shares memory.
  if (backend === "wasm") {
    replaceKernel("Identity", backend, makeSharedIdentityKernel);
    names.push("Identity(shared)");
  }
  return names;
}

/**
 * Restores the stock kernels replaced by {@linkcode registerHostKernels}.
 *
 * @example
 * ```ts
 * unregisterHostKernels("wasm");
 * ```
 */
export function unregisterHostKernels(backend: HostBackendName): void {
  for (const kernelName of [...Object.keys(FACTORIES), "Identity", ...BINARY_OPS]) {
    restoreKernel(kernelName, backend);
  }
}
