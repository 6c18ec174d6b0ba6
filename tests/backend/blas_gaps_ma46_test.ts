/**
 * Behaviour of the OpenBLAS loader and kernels that two earlier mutation rounds left unpinned.
 * Found by mutation round MA (ids in each test).
 */
import { assertEquals } from "@std/assert";
import { checkNamedOpenBlas, loadOpenBlas } from "../../lib/backend/kernels/_openblas.ts";

const blas = loadOpenBlas();
const ignore = blas === undefined;

const dir = Deno.makeTempDirSync({ prefix: "blas_gaps_ma46_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const BLAS_SYMBOLS = ["cblas_sgemm", "openblas_set_num_threads", "openblas_get_num_threads"];

Deno.test("named BLAS: a header must match every byte of a magic number, not its first one", () => {
  // (MA02) A file starting 0x7f (ELF's first byte) or 0xca (a universal binary's) with the symbol
  // names passed as a shared library when one matching byte was enough.
  for (const [i, magic] of [[0x7f, 0x45, 0x4c, 0x00], [0xca, 0x00, 0x00, 0x00]].entries()) {
    const names = new TextEncoder().encode(BLAS_SYMBOLS.map((symbol) => `${symbol}\0`).join(""));
    const bytes = new Uint8Array(64 + names.length);
    bytes.set(magic);
    bytes.set(names, 64);
    const path = `${dir}/libopenblas_half_header_${i}.so`;
    Deno.writeFileSync(path, bytes);
    Deno.chmodSync(path, 0o644);
    const real = Deno.realPathSync(path);
    assertEquals(
      checkNamedOpenBlas(real),
      `${real} is not a shared library (no ELF or Mach-O header)`,
      `${magic}`,
    );
  }
});

Deno.test({
  name: "sgemmBatch overwrites C: what it held before is not added, for k > 0 and for k = 0",
  ignore,
  fn: () => {
    // (MA03, MA04) The output of a kernel is fresh memory (zeros on the cpu backend), so the
    // kernels' tests could not see beta = 1 or a k = 0 product that leaves C as it was.
    const g = { transA: false, transB: false, m: 2, n: 2, k: 1, offsetsA: [0], offsetsB: [0] };
    const c = new Float32Array([7, 7, 7, 7]);
    blas!.sgemmBatch(new Float32Array([1, 2]), new Float32Array([3, 4]), c, g);
    assertEquals(Array.from(c), [3, 4, 6, 8]);
    c.fill(7);
    blas!.sgemmBatch(new Float32Array(0), new Float32Array(0), c, { ...g, k: 0 });
    assertEquals(Array.from(c), [0, 0, 0, 0]);
  },
});
