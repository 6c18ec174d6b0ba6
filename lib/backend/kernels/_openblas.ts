/**
 * Loads the system OpenBLAS through Deno FFI and exposes a row-major `sgemm` on Float32Array views.
 *
 * Debian's `libopenblas0-pthread` puts the library under an alternatives directory; we look in the
 * usual places (and `DEMURE_OPENBLAS`, when set) and return `undefined` when it is absent or FFI is
 * not permitted, so callers can keep tfjs's stock kernels.
 */

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
      "pointer", // A
      "i32", // lda
      "pointer", // B
      "i32", // ldb
      "f32", // beta
      "pointer", // C
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
} as const;

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
}

let loaded: OpenBlas | undefined;
let failure: string | undefined;

/**
 * Opens OpenBLAS once per process; `undefined` (with {@linkcode openBlasFailure} set) when absent.
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
  if (loaded !== undefined || failure !== undefined) return loaded;
  const override = Deno.env.get("DEMURE_OPENBLAS");
  const candidates = override ? [override] : OPENBLAS_CANDIDATES;
  const errors: string[] = [];
  for (const path of candidates) {
    try {
      Deno.statSync(path);
    } catch {
      errors.push(`${path}: not found`);
      continue;
    }
    try {
      const lib = Deno.dlopen(path, SYMBOLS);
      loaded = wrap(path, lib.symbols);
      return loaded;
    } catch (error) {
      errors.push(`${path}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  failure = errors.join("; ");
  return undefined;
}

/** Why {@linkcode loadOpenBlas} returned `undefined`, or `undefined` if it did not. */
export function openBlasFailure(): string | undefined {
  return failure;
}

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

function wrap(path: string, symbols: Symbols): OpenBlas {
  const floatBytes = Float32Array.BYTES_PER_ELEMENT;
  const base = (view: Float32Array) => {
    const pointer = Deno.UnsafePointer.of(view);
    if (pointer === null) throw new Error("OpenBLAS: cannot take the address of an empty array");
    return pointer;
  };
  const at = (pointer: Deno.PointerObject, elements: number): Deno.PointerValue =>
    elements === 0 ? pointer : Deno.UnsafePointer.offset(pointer, elements * floatBytes);
  const one = (
    pa: Deno.PointerValue,
    pb: Deno.PointerValue,
    pc: Deno.PointerValue,
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
      const pa = base(a), pb = base(b), pc = base(c);
      const size = g.m * g.n;
      for (let i = 0; i < g.offsetsA.length; i++) {
        one(
          at(pa, g.offsetsA[i]),
          at(pb, g.offsetsB[i]),
          at(pc, i * size),
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
  };
}
