/**
 * The peak resident set size of this process, for the memory benchmarks (bench/peak_memory.ts,
 * bench/recbole_import_memory.ts). A file of its own, loading nothing: the import benchmark's peak
 * must not hold tfjs, which bench/peak_memory.ts loads.
 *
 * @module
 */

/**
 * Peak resident set size of this process in MiB (Linux `VmHWM`, never the current `VmRSS`), or NaN
 * elsewhere; `status` stands in for `/proc/self/status` (a test's text).
 *
 * @example
 * ```ts
 * peakResidentMiB(); // e.g. 612.4
 * ```
 */
export function peakResidentMiB(status?: string): number {
  try {
    const text = status ?? Deno.readTextFileSync("/proc/self/status");
    const match = /VmHWM:\s+(\d+) kB/.exec(text);
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
