/**
 * `DEMURE_BLAS_THREADS`, the OpenBLAS thread count, read in one place: the kernels use it, every
 * cell records it (a record reruns bit for bit only at its thread count), and `reproduce` checks
 * it before anything loads. A module importing nothing, for that check.
 */

/** The largest thread count accepted (a larger value is a typo). */
export const MAX_BLAS_THREADS = 256;

/**
 * The OpenBLAS threads: `DEMURE_BLAS_THREADS` when set, else the core count. A value that is not
 * a decimal integer in 1..{@linkcode MAX_BLAS_THREADS} (digits only: no sign, notation or white
 * space) throws, naming it: it used to fall back to the core count silently, and the cells
 * recorded that count instead of the one asked for.
 *
 * @example
 * ```ts
 * blasThreads(); // 2 on a 2-core machine with DEMURE_BLAS_THREADS unset
 * ```
 */
export function blasThreads(): number {
  const text = Deno.env.get("DEMURE_BLAS_THREADS");
  if (text === undefined) return navigator.hardwareConcurrency;
  // Digits only, as every other setting is read: " 2 " was trimmed and taken.
  const value = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_BLAS_THREADS) {
    throw new Error(
      `DEMURE_BLAS_THREADS=${text}: must be an integer in 1..${MAX_BLAS_THREADS} ` +
        "(unset: the core count)",
    );
  }
  return value;
}
