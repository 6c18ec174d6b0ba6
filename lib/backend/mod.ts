/**
 * The compute backend: the one tfjs namespace (`tf`) and its tensor types, the backend choice
 * (wasm + OpenBLAS on CPU, webgpu where available), and the extra kernels the workspace registers
 * (BLAS matmul through FFI, host kernels, fused layer norm, seeded dropout). Notebooks rarely need
 * more than {@linkcode initBackend}, which the root `mod.ts` exports; the rest is for benchmarks
 * and tests.
 *
 * @example
 * ```ts
 * import { initBackend, tf } from "./lib/backend/mod.ts";
 * await initBackend();
 * tf.tidy(() => tf.ones([2, 2]).sum().print());
 * ```
 *
 * @module
 */
export * from "./tf.ts";
export * from "./init_backend.ts";
export * from "./backend_names.ts";
export * from "./blas_threads.ts";
export * from "./blas_kernels.ts";
export * from "./webgpu.ts";
export * from "./tidy_read.ts";
export * from "./read_values.ts";
export * from "./gradient_tape.ts";
export {
  blasKernelsInUse,
  registerBlasKernels,
  unregisterBlasKernels,
} from "./kernels/blas_matmul.ts";
export { registerHostKernels, unregisterHostKernels } from "./kernels/host_kernels.ts";
export { layerNorm, registerLayerNormKernels } from "./kernels/layer_norm.ts";
export { seededDropout } from "./kernels/dropout.ts";
export { loadOpenBlas, openBlasFailure } from "./kernels/_openblas.ts";
export { registerReductionGradients } from "./kernels/reduction_gradients.ts";
export { registerUnsortedSegmentSum } from "./kernels/unsorted_segment_sum.ts";
export { registerQueuedUploads, restoreStagedUploads } from "./kernels/webgpu_uploads.ts";
