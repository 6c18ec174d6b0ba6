/**
 * `DEMURE_BLAS_KERNELS`, which OpenBLAS kernel set the matrix products use, read in one place.
 *
 * Why pin a kernel set: Debian's OpenBLAS is built for many CPUs (DYNAMIC_ARCH) and picks its
 * kernels when it is loaded. Kernel sets sum a product's terms in different orders, so their
 * results differ in the last bits, and 100-200 epochs of training amplify that into other metrics.
 * Measured (2026-12-05, AMD EPYC family 25 model 17 with AVX-512, OpenBLAS 0.3.21): OpenBLAS chose
 * its Cooperlake kernels and only 6 of the main job's 16 reruns were bit-identical to their records
 * (e.g. Synthetic SASRec-ID test NDCG@10 0.1083 against the record's 0.1253); with the Haswell
 * kernels, which the records were made with, the same cell gave 0.1253 again. Haswell's and Zen's
 * kernels give the same bits (they share the single-precision kernel); SkylakeX's and Cooperlake's
 * give others.
 *
 * So by default (`records`) the loader (lib/backend/kernels/_openblas.ts) gives OpenBLAS the
 * Haswell kernels, only where the CPU runs AVX2 (and FMA), as every x86 CPU since 2013-2015 does:
 * forcing them elsewhere would stop the process with an illegal instruction. Two routes, because
 * Deno 2.9 reads /proc only under --allow-all:
 * - where /proc/cpuinfo can be read (-A: the tests, the notebooks' kernel), it sets
 *   `OPENBLAS_CORETYPE=Haswell` for the moment of opening (OpenBLAS reads it as it loads): nothing
 *   is switched under the threads of `deno test --parallel`, which share one OpenBLAS;
 * - else (the scoped tasks, one OpenBLAS user per process) it switches the library right after
 *   opening it, before any product, where OpenBLAS's own `support_avx2()` says the CPU runs AVX2:
 *   `OPENBLAS_CORETYPE` set while OpenBLAS's kernel choice runs again (`gotoblas_dynamic_quit`,
 *   `gotoblas_dynamic_init`, exported by DYNAMIC_ARCH builds).
 * Where neither can be done, or an `OPENBLAS_CORETYPE` the user set asks for other kernels,
 * OpenBLAS keeps its choice and {@linkcode recordsKernelNotice} says that reruns may differ from
 * the records. `native` keeps OpenBLAS's own choice silently, e.g. to time an AVX-512 machine's own
 * kernels. Each cell records the kernel set it ran with (`CellEnvironment.blasKernels`, a
 * fingerprint of the products' bits).
 */
import { SettingError } from "../util/settings.ts";

/** The OpenBLAS core type whose kernels made the results of record. */
export const RECORDS_BLAS_CORE = "Haswell";

/** The values of `DEMURE_BLAS_KERNELS`. */
export const BLAS_KERNEL_SETTINGS = ["records", "native"] as const;

/** `records`: the records' kernel set where the CPU can run it; `native`: OpenBLAS's choice. */
export type BlasKernelSetting = typeof BLAS_KERNEL_SETTINGS[number];

/**
 * `DEMURE_BLAS_KERNELS` (or `text`, for tests): `records` when unset or empty; anything but the
 * values of {@linkcode BLAS_KERNEL_SETTINGS} is a `SettingError` naming it.
 *
 * @example
 * ```ts
 * blasKernelSetting(); // "records" with DEMURE_BLAS_KERNELS unset
 * blasKernelSetting("native"); // "native"
 * ```
 */
export function blasKernelSetting(
  text: string | undefined = Deno.env.get("DEMURE_BLAS_KERNELS"),
): BlasKernelSetting {
  if (text === undefined || text === "") return "records";
  if (!(BLAS_KERNEL_SETTINGS as readonly string[]).includes(text)) {
    throw new SettingError(
      "DEMURE_BLAS_KERNELS",
      text,
      `${BLAS_KERNEL_SETTINGS.join(" or ")} (unset: records)`,
    );
  }
  return text as BlasKernelSetting;
}

/** What {@linkcode chooseBlasCore} is given: the setting and what the loaded OpenBLAS says. */
export interface BlasCoreFacts {
  /** `DEMURE_BLAS_KERNELS`. */
  setting: BlasKernelSetting;
  /**
   * OpenBLAS's `support_avx2()`: whether the CPU and its OS run AVX2; undefined when the library
   * cannot switch kernel sets (it lacks `support_avx2` or `gotoblas_dynamic_init`: not a
   * DYNAMIC_ARCH x86-64 build).
   */
  supportsAvx2: boolean | undefined;
  /** `OPENBLAS_CORETYPE` as found (undefined when unset or empty: OpenBLAS reads empty as unset). */
  openBlasCoreType: string | undefined;
}

/** The decision: switch to the records' kernel set, or why not. */
export interface BlasCoreChoice {
  /** The core type to switch OpenBLAS to (see the module documentation); undefined: keep its own. */
  switchTo?: string;
  /** Why the records' kernel set is not switched to (undefined when it is, or with `native`). */
  reason?: string;
}

/**
 * The kernel set to ask OpenBLAS for (no side effects; see the module documentation for why). An
 * `OPENBLAS_CORETYPE` the user set is theirs: it is kept, and the fingerprint after loading says
 * whether it gives the records' bits (Zen's kernels do).
 *
 * @example
 * ```ts
 * chooseBlasCore({ setting: "records", supportsAvx2: true, openBlasCoreType: undefined });
 * // { switchTo: "Haswell" }
 * ```
 */
export function chooseBlasCore(facts: BlasCoreFacts): BlasCoreChoice {
  if (facts.setting === "native") return {};
  if (facts.openBlasCoreType !== undefined) {
    return { reason: `OPENBLAS_CORETYPE is ${facts.openBlasCoreType}` };
  }
  if (facts.supportsAvx2 === undefined) {
    return {
      reason: "this OpenBLAS cannot switch kernel sets (no support_avx2 or " +
        "gotoblas_dynamic_init: not a DYNAMIC_ARCH x86-64 build)",
    };
  }
  if (!facts.supportsAvx2) {
    return {
      reason: `the records' kernels (${RECORDS_BLAS_CORE}) need AVX2, which this CPU lacks`,
    };
  }
  return { switchTo: RECORDS_BLAS_CORE };
}

/** The CPU flags the records' kernels need (their names in /proc/cpuinfo). */
export const RECORDS_CORE_CPU_FLAGS: readonly string[] = ["avx2", "fma"];

/** The flags of the first CPU in a /proc/cpuinfo text (empty when it has no `flags` line). */
export function cpuFlagsOf(cpuinfo: string): Set<string> {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo);
  return new Set(line ? line[1].trim().split(/\s+/) : []);
}

/**
 * Whether /proc/cpuinfo (as `readCpuinfo` returns it; given by tests) says the CPU has every flag
 * of {@linkcode RECORDS_CORE_CPU_FLAGS}; undefined when it cannot be read (not Linux on x86-64,
 * or no --allow-all in Deno 2.9).
 *
 * @example
 * ```ts
 * cpuRunsRecordsKernels(); // true on an AVX2 machine under -A, undefined under scoped reads
 * ```
 */
export function cpuRunsRecordsKernels(
  readCpuinfo: () => string = () => Deno.readTextFileSync("/proc/cpuinfo"),
): boolean | undefined {
  if (Deno.build.arch !== "x86_64") return undefined;
  try {
    const flags = cpuFlagsOf(readCpuinfo());
    return RECORDS_CORE_CPU_FLAGS.every((flag) => flags.has(flag));
  } catch {
    return undefined;
  }
}

/**
 * The fingerprint (lib/backend/kernels/_openblas.ts) of the records' kernel set,
 * {@linkcode RECORDS_BLAS_CORE} in Debian's OpenBLAS 0.3.21 (Zen's kernels give it too).
 */
export const RECORDS_BLAS_FINGERPRINT = "9b2841e5";

/**
 * The notice to print after loading when the records' kernels were wanted and OpenBLAS runs
 * others (undefined when the fingerprint is the records', or with `native`): reruns may then differ
 * from the records in the last bits, which training amplifies.
 *
 * @example
 * ```ts
 * recordsKernelNotice("031787c5", { setting: "records", reason: "OPENBLAS_CORETYPE is SkylakeX" });
 * // "OpenBLAS runs kernels 031787c5, not the records' 9b2841e5 (Haswell): OPENBLAS_CORETYPE is
 * // SkylakeX. Reruns may differ from the records in the last bits, ..."
 * ```
 */
export function recordsKernelNotice(
  fingerprint: string,
  pin: { setting: BlasKernelSetting; reason?: string },
): string | undefined {
  if (pin.setting === "native" || fingerprint === RECORDS_BLAS_FINGERPRINT) return undefined;
  return `OpenBLAS runs kernels ${fingerprint}, not the records' ${RECORDS_BLAS_FINGERPRINT} ` +
    `(${RECORDS_BLAS_CORE}): ${
      pin.reason ?? "this OpenBLAS gives other bits with them (another build or version)"
    }. Reruns may differ from the records in the last bits, which training amplifies ` +
    "(DEMURE_BLAS_KERNELS=native: this is wanted, no notice)";
}

/**
 * How a recorded kernel fingerprint reads in a report: the records' set by name, else the digits.
 *
 * @example
 * ```ts
 * describeBlasKernels("9b2841e5"); // "Haswell (the records' kernels, 9b2841e5)"
 * ```
 */
export function describeBlasKernels(fingerprint: string | undefined): string {
  if (fingerprint === undefined) return "tfjs's own kernels (no OpenBLAS)";
  return fingerprint === RECORDS_BLAS_FINGERPRINT
    ? `${RECORDS_BLAS_CORE} (the records' kernels, ${fingerprint})`
    : `OpenBLAS kernels ${fingerprint} (not the records' ${RECORDS_BLAS_FINGERPRINT})`;
}
