/**
 * Loads the system OpenBLAS through Deno FFI and exposes a row-major `sgemm` on Float32Array views.
 *
 * Debian's `libopenblas0-pthread` puts the library under an alternatives directory; we look in a
 * fixed list of system locations ({@linkcode OPENBLAS_CANDIDATES}) and return `undefined` when it
 * is absent or FFI is not permitted, so callers can keep tfjs's stock kernels.
 *
 * `DEMURE_OPENBLAS` (an explicit setting) names another library instead. Because `dlopen` runs a
 * library's constructors before any symbol can be checked, that file is checked BEFORE it is
 * opened ({@linkcode checkNamedOpenBlas}): an absolute path whose real file is named
 * `libopenblas*.so*` / `.dylib`, a regular file not writable by group or others, a shared object
 * (ELF or Mach-O), and holding the names of the symbols used. A named library that fails a check
 * or cannot be opened is a `SettingError` naming `DEMURE_OPENBLAS`: it used to fall back to tfjs's
 * stock kernels after one notice, which give other numbers than the ones asked for. The deno
 * tasks allow FFI only on the fixed list, so a library elsewhere also needs `--allow-ffi=<path>`
 * (see docs/permissions.md).
 */
import { SettingError } from "../../util/settings.ts";
import {
  type BlasKernelSetting,
  blasKernelSetting,
  chooseBlasCore,
  cpuRunsRecordsKernels,
  RECORDS_BLAS_CORE,
  RECORDS_BLAS_FINGERPRINT,
  recordsKernelNotice,
} from "../blas_kernels.ts";

/** Candidate paths of a CBLAS-providing OpenBLAS, first match wins. */
export const OPENBLAS_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0",
  "/usr/local/lib/libopenblas.so.0",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
];

const SYMBOLS = {
  // CBLAS enums and `blasint` are C ints: Debian's libopenblas0 is the 32-bit-index build.
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // M
      "i32", // N
      "i32", // K
      "f32", // alpha
      // Buffers, not pointers: Deno's pointer API (UnsafePointer.of) needs --allow-ffi for every
      // library, while typed-array views work under --allow-ffi scoped to this library's path.
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f32", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
  // DYNAMIC_ARCH builds only (optional: null elsewhere): the kernel-set switch (pinRecordsKernels).
  support_avx2: { parameters: [], result: "i32", optional: true },
  gotoblas_dynamic_quit: { parameters: [], result: "void", optional: true },
  gotoblas_dynamic_init: { parameters: [], result: "void", optional: true },
} as const;

/** The symbols a library must have (the kernel-set switch is optional). */
const REQUIRED_SYMBOLS = ["cblas_sgemm", "openblas_set_num_threads", "openblas_get_num_threads"];

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/** A batch of equal-shaped row-major products `C_i[m,n] = op(A_i)[m,k] . op(B_i)[k,n]`. */
export interface GemmBatch {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  /** Start of each A_i in elements; its length is the batch size. */
  offsetsA: ArrayLike<number>;
  /** Start of each B_i in elements; same length as `offsetsA`. */
  offsetsB: ArrayLike<number>;
  /** C_i starts at `i * m * n`. */
}

/** The loaded library: batched sgemm on views (no copies) plus the thread control. */
export interface OpenBlas {
  /** Where the library was loaded from. */
  path: string;
  /** Writes every C_i of `batch` into `c` (overwriting it). */
  sgemmBatch(a: Float32Array, b: Float32Array, c: Float32Array, batch: GemmBatch): void;
  setThreads(count: number): void;
  getThreads(): number;
  /**
   * The kernel set's fingerprint: 8 hex digits of a hash of the bits of two fixed products, at one
   * thread (see {@linkcode kernelFingerprint}).
   */
  kernelFingerprint(): string;
}

let loaded: OpenBlas | undefined;
let failure: string | undefined;

/** What `DEMURE_OPENBLAS` allows, for its `SettingError`. */
const NAMED_OPENBLAS_ALLOWED = "the absolute path of a loadable OpenBLAS shared library " +
  "(a regular file named libopenblas*.so* or libopenblas*.dylib, not writable by group or " +
  "others, with cblas_sgemm, openblas_set_num_threads and openblas_get_num_threads, and " +
  "--allow-ffi for it), or unset for the usual places";

/**
 * Opens OpenBLAS once per process: the library `DEMURE_OPENBLAS` names, else the first of
 * {@linkcode OPENBLAS_CANDIDATES} that opens; `undefined` (with {@linkcode openBlasFailure} set)
 * when none of those does. A `DEMURE_OPENBLAS` that is refused or cannot be opened throws a
 * `SettingError` naming it, every time it is called (a corrected value is then loaded).
 *
 * @example
 * ```ts
 * const blas = loadOpenBlas();
 * if (blas) {
 *   const a = new Float32Array([1, 2, 3, 4]), b = new Float32Array([1, 0, 0, 1]);
 *   const c = new Float32Array(4);
 *   blas.sgemmBatch(a, b, c, { transA: false, transB: false, m: 2, n: 2, k: 2, offsetsA: [0], offsetsB: [0] });
 * }
 * ```
 */
export function loadOpenBlas(): OpenBlas | undefined {
  if (loaded !== undefined) return loaded;
  // Before any library is opened: a bad value stops here, every time, until it is corrected.
  const setting = blasKernelSetting();
  let override: string | undefined;
  try {
    override = Deno.env.get("DEMURE_OPENBLAS");
  } catch {
    override = undefined; // no permission to read the variable: the fixed list
  }
  if (override) {
    loaded = loadNamedOpenBlas(override, setting);
    return loaded;
  }
  if (failure !== undefined) return undefined;
  const errors: string[] = [];
  for (const path of OPENBLAS_CANDIDATES) {
    try {
      Deno.statSync(path);
    } catch {
      errors.push(`${path}: not found`);
      continue;
    }
    try {
      loaded = openLibrary(path, setting);
      return loaded;
    } catch (error) {
      errors.push(`${path}: ${firstLine(error)}`);
    }
  }
  failure = errors.join("; ");
  return undefined;
}

/** The library `DEMURE_OPENBLAS` names, checked, then opened; a `SettingError` when it cannot be. */
function loadNamedOpenBlas(path: string, setting: BlasKernelSetting): OpenBlas {
  const refused = checkNamedOpenBlas(path);
  if (refused !== undefined) {
    throw new SettingError(
      "DEMURE_OPENBLAS",
      path,
      `${NAMED_OPENBLAS_ALLOWED} (refused before loading: ${refused})`,
    );
  }
  try {
    return openLibrary(path, setting);
  } catch (error) {
    throw new SettingError(
      "DEMURE_OPENBLAS",
      path,
      `${NAMED_OPENBLAS_ALLOWED} (it cannot be loaded: ${firstLine(error)})`,
    );
  }
}

/**
 * Opens `path` with the records' kernel set where wanted and safe (lib/backend/blas_kernels.ts has
 * the two routes: OPENBLAS_CORETYPE while opening, else pinRecordsKernels after), and says when the
 * kernels that run are not the records' (recordsKernelNotice).
 */
function openLibrary(path: string, setting: BlasKernelSetting): OpenBlas {
  const askWhileOpening = setting === "records" && !coreTypeSet() &&
    cpuRunsRecordsKernels() === true;
  // Readable here (coreTypeSet is false): unset, or empty.
  const previous = askWhileOpening ? Deno.env.get("OPENBLAS_CORETYPE") : undefined;
  if (askWhileOpening) Deno.env.set("OPENBLAS_CORETYPE", RECORDS_BLAS_CORE);
  let symbols: Symbols;
  try {
    symbols = Deno.dlopen(path, SYMBOLS).symbols;
  } finally {
    // The processes this one starts choose for themselves.
    if (askWhileOpening) restoreCoreType(previous);
  }
  const opened = kernelFingerprint(symbols);
  const alreadyRecords = opened === RECORDS_BLAS_FINGERPRINT;
  const reason = alreadyRecords ? undefined : pinRecordsKernels(symbols, setting);
  // Only a switch (no reason, not already the records') changes the kernels: fingerprint again.
  const fingerprint = alreadyRecords || reason !== undefined ? opened : kernelFingerprint(symbols);
  const notice = recordsKernelNotice(fingerprint, { setting, reason });
  if (notice !== undefined) console.log(notice);
  return wrap(path, symbols);
}

/**
 * The kernel set a value of `OPENBLAS_CORETYPE` asks OpenBLAS for: none when unset or empty
 * (OpenBLAS 0.3.21 reads an empty value as unset and picks its own kernels; kept as a choice, it
 * ran Cooperlake's on an AVX-512 CPU, with a notice "OPENBLAS_CORETYPE is .").
 */
function coreTypeAsked(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}

/** Puts `OPENBLAS_CORETYPE` back as it was before a switch (unset, or the user's empty value). */
function restoreCoreType(previous: string | undefined): void {
  if (previous === undefined) Deno.env.delete("OPENBLAS_CORETYPE");
  else Deno.env.set("OPENBLAS_CORETYPE", previous);
}

/** Whether the user set `OPENBLAS_CORETYPE` (true when it cannot be read: it is left alone). */
function coreTypeSet(): boolean {
  try {
    return coreTypeAsked(Deno.env.get("OPENBLAS_CORETYPE")) !== undefined;
  } catch {
    return true;
  }
}

/**
 * Switches a just-opened OpenBLAS, before any product, to the kernel set `chooseBlasCore` picks:
 * `OPENBLAS_CORETYPE` set for the moment of OpenBLAS's own choice (`gotoblas_dynamic_quit`, then
 * `gotoblas_dynamic_init`, which reads it), then restored, so that the processes this one starts
 * choose for themselves. Returns why the records' set was not switched to (undefined when it was).
 * Measured: the switch takes a library that chose Cooperlake to the Haswell fingerprint, with
 * the permissions of the tasks (no /proc, no -A). Only for processes with one OpenBLAS user (the
 * scoped tasks): between the two calls OpenBLAS has no kernels, and a product another thread ran
 * then would crash (processes with threads that share OpenBLAS, deno test --parallel, have -A and
 * take the other route).
 */
function pinRecordsKernels(symbols: Symbols, setting: BlasKernelSetting): string | undefined {
  const canSwitch = symbols.support_avx2 !== null && symbols.gotoblas_dynamic_quit !== null &&
    symbols.gotoblas_dynamic_init !== null;
  let previous: string | undefined;
  try {
    previous = Deno.env.get("OPENBLAS_CORETYPE");
  } catch (error) {
    return `OPENBLAS_CORETYPE cannot be read (${firstLine(error)})`;
  }
  const choice = chooseBlasCore({
    setting,
    supportsAvx2: canSwitch ? symbols.support_avx2!() !== 0 : undefined,
    openBlasCoreType: coreTypeAsked(previous),
  });
  if (choice.switchTo === undefined) return choice.reason;
  try {
    Deno.env.set("OPENBLAS_CORETYPE", choice.switchTo);
  } catch (error) {
    return `OPENBLAS_CORETYPE cannot be set (${firstLine(error)})`;
  }
  try {
    symbols.gotoblas_dynamic_quit!();
    symbols.gotoblas_dynamic_init!();
  } finally {
    restoreCoreType(previous);
  }
  return undefined;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** Shared-object magic numbers: ELF, Mach-O 64/32 (both byte orders), universal binary. */
const LIBRARY_MAGIC = [
  [0x7f, 0x45, 0x4c, 0x46],
  [0xcf, 0xfa, 0xed, 0xfe],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xca, 0xfe, 0xba, 0xbe],
];

/**
 * Why the explicitly named library at `path` must not be opened, or undefined when it passes the
 * checks of the module documentation (run before `dlopen`, which would run its constructors).
 */
export function checkNamedOpenBlas(path: string): string | undefined {
  if (!path.startsWith("/")) return "not an absolute path";
  let real: string;
  let info: Deno.FileInfo;
  try {
    real = Deno.realPathSync(path);
    info = Deno.statSync(real);
  } catch (error) {
    return `cannot inspect it (${(error as Error).message.split("\n")[0]})`;
  }
  const name = real.slice(real.lastIndexOf("/") + 1);
  if (!/^libopenblas[\w.+-]*\.(so(\.\d+)*|dylib)$/.test(name)) {
    return `its file ${real} is not named libopenblas*.so* or libopenblas*.dylib`;
  }
  if (!info.isFile) return `${real} is not a regular file`;
  if (info.mode !== null && (info.mode & 0o022) !== 0) {
    return `${real} is writable by group or others (mode ${(info.mode & 0o777).toString(8)})`;
  }
  const bytes = Deno.readFileSync(real);
  if (!LIBRARY_MAGIC.some((magic) => magic.every((byte, i) => bytes[i] === byte))) {
    return `${real} is not a shared library (no ELF or Mach-O header)`;
  }
  const text = new TextDecoder("latin1").decode(bytes);
  const missing = REQUIRED_SYMBOLS.filter((symbol) => !text.includes(`${symbol}\0`));
  if (missing.length > 0) return `${real} lacks the symbols ${missing.join(", ")}`;
  return undefined;
}

/** Why {@linkcode loadOpenBlas} returned `undefined`, or `undefined` if it did not. */
export function openBlasFailure(): string | undefined {
  return failure;
}

/**
 * Throws unless every product of `g` reads and writes inside `a`, `b` and `c`. OpenBLAS is handed
 * raw addresses and trusts the shapes: a product that ran past a view's end would read other
 * memory or, for C, overwrite it (a JavaScript array's backing store sits in the process heap,
 * where a stray write shows up only later, as an allocator abort such as "corrupted size vs.
 * prev_size" at exit). The check is O(batch) against O(m n k) for the products.
 */
export function checkExtents(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  g: GemmBatch,
): void {
  const batch = g.offsetsA.length;
  if (g.offsetsB.length !== batch) {
    throw new Error(`OpenBLAS: ${batch} offsets for A but ${g.offsetsB.length} for B`);
  }
  const sizeA = g.m * g.k, sizeB = g.k * g.n, sizeC = g.m * g.n;
  if (batch * sizeC > c.length) {
    throw new Error(
      `OpenBLAS: C holds ${c.length} elements, ${batch} products of [${g.m}, ${g.n}] need ` +
        `${batch * sizeC}`,
    );
  }
  for (let i = 0; i < batch; i++) {
    const startA = g.offsetsA[i], startB = g.offsetsB[i];
    if (!(startA >= 0 && startA + sizeA <= a.length)) {
      throw new Error(
        `OpenBLAS: product ${i} reads A[${startA}, ${startA + sizeA}) of ${a.length} elements`,
      );
    }
    if (!(startB >= 0 && startB + sizeB <= b.length)) {
      throw new Error(
        `OpenBLAS: product ${i} reads B[${startB}, ${startB + sizeB}) of ${b.length} elements`,
      );
    }
  }
}

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

function wrap(path: string, symbols: Symbols): OpenBlas {
  // A view starting at `elements` (no copy): the buffer argument passes its start address.
  const at = (view: Float32Array, elements: number): Float32Array =>
    elements === 0 ? view : view.subarray(elements);
  const one = (
    pa: Float32Array,
    pb: Float32Array,
    pc: Float32Array,
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
  ) => {
    // Row-major leading dimensions: the stored row length of each operand.
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    symbols.cblas_sgemm(
      ROW_MAJOR,
      transA ? TRANS : NO_TRANS,
      transB ? TRANS : NO_TRANS,
      m,
      n,
      k,
      1,
      pa,
      lda,
      pb,
      ldb,
      0,
      pc,
      n,
    );
  };
  return {
    path,
    sgemmBatch(a, b, c, g) {
      if (c.length === 0) return;
      if (g.k === 0) {
        c.fill(0);
        return;
      }
      if (a.length === 0 || b.length === 0) {
        throw new Error("OpenBLAS: an operand is empty while k > 0");
      }
      const size = g.m * g.n;
      checkExtents(a, b, c, g);
      for (let i = 0; i < g.offsetsA.length; i++) {
        one(
          at(a, g.offsetsA[i]),
          at(b, g.offsetsB[i]),
          at(c, i * size),
          g.transA,
          g.transB,
          g.m,
          g.n,
          g.k,
        );
      }
    },
    setThreads(count) {
      symbols.openblas_set_num_threads(count);
    },
    getThreads() {
      return symbols.openblas_get_num_threads();
    },
    kernelFingerprint() {
      return kernelFingerprint(symbols);
    },
  };
}

/**
 * 8 hex digits (FNV-1a) of the bits of two fixed products, [16,16]x[16,16] and [64,64]x[64,64], of
 * seeded values in [-0.5, 0.5), computed at one thread (restored after): kernel sets that sum in
 * another order give another fingerprint, and one thread keeps the thread count out of it (Haswell's
 * kernels split a [200,64]x[64,64] product between 2 threads so that its bits change; these two
 * shapes are not split). Measured (OpenBLAS 0.3.21): Haswell and Zen give one fingerprint,
 * SkylakeX and Cooperlake another, Sandybridge a third.
 */
function kernelFingerprint(symbols: Symbols): string {
  const threads = symbols.openblas_get_num_threads();
  symbols.openblas_set_num_threads(1);
  let state = 1;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  let hash = 0x811c9dc5;
  try {
    for (const size of [16, 64]) {
      const a = Float32Array.from({ length: size * size }, next);
      const b = Float32Array.from({ length: size * size }, next);
      const c = new Float32Array(size * size);
      symbols.cblas_sgemm(
        ROW_MAJOR,
        NO_TRANS,
        NO_TRANS,
        size,
        size,
        size,
        1,
        a,
        size,
        b,
        size,
        0,
        c,
        size,
      );
      for (const byte of new Uint8Array(c.buffer)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    }
  } finally {
    symbols.openblas_set_num_threads(threads);
  }
  return hash.toString(16).padStart(8, "0");
}
