/**
 * The backend's one start-up line (printed by `initBackend`), in a file of its own so that its
 * test reaches the cases this machine's backends never print: native TensorFlow, which replaces
 * no kernel, and a kernel list of OpenBLAS kernels only.
 */
import type { BackendName } from "./backend_names.ts";

/**
 * The one start-up line: the backend, its extra kernels in short, and why it was chosen.
 *
 * @example
 * ```ts
 * describeChoice("wasm", "the default", ["BatchMatMul(openblas)", "UnsortedSegmentSum"]);
 * // "backend: wasm + OpenBLAS and 1 faster kernels (the default)"
 * ```
 */
export function describeChoice(backend: BackendName, reason: string, kernels: string[]): string {
  const blas = kernels.some((name) => name.endsWith("(openblas)"));
  const others = kernels.filter((name) => !name.endsWith("(openblas)")).length;
  const extras = [blas ? "OpenBLAS" : "", others > 0 ? `${others} faster kernels` : ""]
    .filter((part) => part !== "").join(" and ");
  return `backend: ${backend}${extras ? ` + ${extras}` : ""} (${reason})`;
}
