/**
 * Measures this machine's OpenBLAS ceiling through the same FFI path the kernels use, for the
 * product shapes of the SASRec step, and prints GFLOP/s per shape and thread count.
 *
 * Run: `deno run -A bench/blas_ceiling.ts` (no options; `--help` says so, and anything else is
 * refused).
 */
import { parseOptions, runScript } from "../scripts/cli/options.ts";
import { loadOpenBlas, openBlasFailure } from "../lib/backend/mod.ts";
import { createRng } from "../lib/util/mod.ts";

/** One product shape to time: `batch` x (m x k) . (k x n). */
export interface GemmShape {
  label: string;
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/** The shapes of issue 7's SASRec step (B=256, L=50, d=64, 5,001 items) plus 512^3. */
export const STEP_SHAPES: readonly GemmShape[] = [
  { label: "512x512x512", batch: 1, m: 512, n: 512, k: 512, transA: false, transB: false },
  {
    label: "projection 12800x64x64",
    batch: 1,
    m: 12800,
    n: 64,
    k: 64,
    transA: false,
    transB: false,
  },
  {
    label: "weight grad 64x64x12800 (A^T)",
    batch: 1,
    m: 64,
    n: 64,
    k: 12800,
    transA: true,
    transB: false,
  },
  {
    label: "scores 256 x 50x50x64 (B^T)",
    batch: 256,
    m: 50,
    n: 50,
    k: 64,
    transA: false,
    transB: true,
  },
  { label: "mixing 256 x 50x64x50", batch: 256, m: 50, n: 64, k: 50, transA: false, transB: false },
  {
    label: "logits 256x5001x64 (B^T)",
    batch: 1,
    m: 256,
    n: 5001,
    k: 64,
    transA: false,
    transB: true,
  },
];

/**
 * Where each of `shape`'s `batch` products starts in A (m x k each) and in B (k x n each), in
 * elements: the operands lie one product after another.
 *
 * @example
 * ```ts
 * operandOffsets({ label: "", batch: 2, m: 2, n: 3, k: 4, transA: false, transB: false });
 * // { offsetsA: Int32Array [0, 8], offsetsB: Int32Array [0, 12] }
 * ```
 */
export function operandOffsets(shape: GemmShape): { offsetsA: Int32Array; offsetsB: Int32Array } {
  const offsets = (size: number) => Int32Array.from({ length: shape.batch }, (_, i) => i * size);
  return { offsetsA: offsets(shape.m * shape.k), offsetsB: offsets(shape.k * shape.n) };
}

/**
 * GFLOP/s of `shape` done in `ms` milliseconds: 2 flops (a multiply and an add) per term of each
 * of the `batch` products.
 *
 * @example
 * ```ts
 * gemmGflops(STEP_SHAPES[0], 1); // 268.435456 (2 x 512^3 flops in 1 ms)
 * ```
 */
export function gemmGflops(shape: GemmShape, ms: number): number {
  const flops = 2 * shape.batch * shape.m * shape.n * shape.k;
  return flops / ms / 1e6;
}

function main(): number {
  const { values } = parseOptions(Deno.args, {
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log("usage: deno run -A bench/blas_ceiling.ts (no options; threads: 1 and the cores)");
    return 0;
  }
  const blas = loadOpenBlas();
  if (blas === undefined) {
    console.log(`OpenBLAS not loadable: ${openBlasFailure()}`);
    return 1;
  }
  const rng = createRng(1);
  const random = (n: number) => Float32Array.from({ length: n }, () => rng.next() - 0.5);
  console.log(`OpenBLAS ${blas.path}; ${navigator.hardwareConcurrency} cores`);
  for (const threads of [1, navigator.hardwareConcurrency]) {
    blas.setThreads(threads);
    for (const s of STEP_SHAPES) {
      const a = random(s.batch * s.m * s.k), b = random(s.batch * s.k * s.n);
      const c = new Float32Array(s.batch * s.m * s.n);
      const call = () => blas.sgemmBatch(a, b, c, { ...s, ...operandOffsets(s) });
      call();
      const times: number[] = [];
      for (let r = 0; r < 15; r++) {
        const start = performance.now();
        call();
        times.push(performance.now() - start);
      }
      const best = Math.min(...times);
      console.log(
        `threads ${threads} ${s.label.padEnd(32)} best ${best.toFixed(3)} ms  ` +
          `${gemmGflops(s, best).toFixed(1)} GFLOP/s`,
      );
    }
  }
  return 0;
}

if (import.meta.main) await runScript("blas_ceiling", main);
