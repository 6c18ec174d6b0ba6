/** OpenBLAS matrix kernels through Deno FFI (being written: see issue 7). */
export function registerBlasKernels(_backend: "wasm" | "cpu"): string[] {
  return [];
}
