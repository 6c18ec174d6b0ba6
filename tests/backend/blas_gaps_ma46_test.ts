/**
 * Behaviour of the OpenBLAS loader and kernels that two earlier mutation rounds left unpinned.
 * Found by mutation round MA (ids in each test).
 */
import { assertEquals, assertNotEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  registerBlasKernels,
  unregisterBlasKernels,
} from "../../lib/backend/kernels/blas_matmul.ts";
import {
  checkNamedOpenBlas,
  loadOpenBlas,
  OPENBLAS_CANDIDATES,
} from "../../lib/backend/kernels/_openblas.ts";
import { applyFusedEpilogue } from "../../lib/backend/kernels/_fused_epilogue.ts";

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

Deno.test("named BLAS: a file name with a full version after .so passes", () => {
  // (MA38) Source builds install libopenblas.so.0.3.21 (and Debian's real file is versioned too):
  // every numeric part after `.so` counts, not only the first.
  const names = new TextEncoder().encode(BLAS_SYMBOLS.map((symbol) => `${symbol}\0`).join(""));
  const bytes = new Uint8Array(64 + names.length);
  bytes.set([0x7f, 0x45, 0x4c, 0x46]);
  bytes.set(names, 64);
  const path = `${dir}/libopenblas.so.0.3.21`;
  Deno.writeFileSync(path, bytes);
  Deno.chmodSync(path, 0o644);
  assertEquals(checkNamedOpenBlas(Deno.realPathSync(path)), undefined);
});

/** Seeded values in [-0.5, 0.5): products whose sums OpenBLAS and tfjs order differently. */
function seeded(length: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

Deno.test({
  name: "cpu: a fused matMul without bias or prelu weights runs on OpenBLAS, not silently stock",
  ignore,
  fn: async () => {
    // (MA44) An absent bias counted as "not float32" sent every fused product without one to
    // tfjs's kernel: the same numbers to 1e-6, so only the bits show which kernel ran.
    await tf.setBackend("cpu");
    registerBlasKernels("cpu");
    const [m, k, n] = [8, 256, 8];
    const bits = (f: () => tf.Tensor) => tf.tidy(() => Array.from(f().dataSync()));
    const a = () => tf.tensor2d(seeded(m * k, 1), [m, k]),
      b = () => tf.tensor2d(seeded(k * n, 2), [k, n]);
    const product = bits(() => tf.matMul(a(), b()));
    const fused = bits(() => tf.fused.matMul({ a: a(), b: b() }));
    const relu = bits(() => tf.fused.matMul({ a: a(), b: b(), activation: "relu" }));
    unregisterBlasKernels("cpu");
    let stock: number[];
    try {
      stock = bits(() => tf.fused.matMul({ a: a(), b: b() }));
    } finally {
      registerBlasKernels("cpu");
    }
    // The check means something only where tfjs's bits differ from OpenBLAS's (they do here).
    assertNotEquals(stock, product);
    assertEquals(fused, product);
    assertEquals(relu, product.map((v) => (v < 0 ? 0 : v)));
  },
});

/**
 * `script` run as `.cache/<name>_<pid>.ts` inside the project (so that its import map applies) with
 * `permissions` and `--quiet`, in this process's environment without DEMURE_OPENBLAS (the fixed
 * list is searched) and with `env` added; its stdout, once it exited 0. The script is removed after.
 */
async function outputWithoutNamedBlas(
  name: string,
  script: string,
  permissions: readonly string[],
  env: Record<string, string> = {},
): Promise<string> {
  const root = new URL("../../", import.meta.url).pathname;
  Deno.mkdirSync(`${root}.cache`, { recursive: true });
  const file = `${root}.cache/${name}_${Deno.pid}.ts`;
  Deno.writeTextFileSync(file, script);
  const inherited = Deno.env.toObject();
  delete inherited.DEMURE_OPENBLAS;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "--quiet", file],
    cwd: root,
    env: { ...inherited, ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output().finally(() => Deno.removeSync(file));
  const decoder = new TextDecoder();
  assertEquals(output.code, 0, decoder.decode(output.stderr));
  return decoder.decode(output.stdout);
}

Deno.test({
  name: "registerBlasKernels gives OpenBLAS the thread count DEMURE_BLAS_THREADS sets",
  ignore,
  fn: async () => {
    // (MA25) Nothing checked that registration hands blasThreads() to OpenBLAS: without the call
    // the library kept OPENBLAS_NUM_THREADS's count (1 here), whatever DEMURE_BLAS_THREADS said.
    const url = (path: string) => new URL(path, import.meta.url).href;
    const script =
      `import { registerBlasKernels } from "${
        url("../../lib/backend/kernels/blas_matmul.ts")
      }";\nimport { loadOpenBlas } from "${url("../../lib/backend/kernels/_openblas.ts")}";\n` +
      'registerBlasKernels("cpu");\nconsole.log(JSON.stringify(loadOpenBlas()!.getThreads()));\n';
    const stdout = await outputWithoutNamedBlas("blas_gaps_ma46", script, ["-A"], {
      DEMURE_BLAS_THREADS: "2",
      OPENBLAS_NUM_THREADS: "1",
    });
    const lines = stdout.trim().split("\n");
    assertEquals(lines[lines.length - 1], "2");
  },
});

Deno.test("applyFusedEpilogue: a bias as long as the rows' count (not their length) is refused", () => {
  // (MA50) Only square [.., 3, 3] outputs were tried: a bias of m entries against [m, n] rows
  // with m != n was added along the wrong axis when the fast path read the second-last dim.
  const out = new Float32Array(6);
  assertThrows(
    () => applyFusedEpilogue(out, [2, 3], { values: Float32Array.of(1, 2), shape: [2] }, "linear"),
    Error,
    "fused matMul: operand [2] does not broadcast to [2,3]",
  );
  // A column bias [m, 1] is the way to add one value per row.
  applyFusedEpilogue(out, [2, 3], { values: Float32Array.of(1, 2), shape: [2, 1] }, "linear");
  assertEquals(Array.from(out), [1, 1, 1, 2, 2, 2]);
});

Deno.test({
  name: "openBlasFailure: a library of the fixed list that exists but cannot be opened says why",
  ignore,
  fn: async () => {
    // (MA14) Only missing places were tried: a present library that failed to open (here: no
    // --allow-ffi) could read "not found", hiding the reason.
    const url = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url).href;
    const script = `import { loadOpenBlas, openBlasFailure } from "${url}";\n` +
      "loadOpenBlas();\nconsole.log(openBlasFailure());\n";
    const failure = (await outputWithoutNamedBlas("blas_gaps_ma46_failure", script, [
      "--no-prompt",
      "--allow-read",
      "--allow-env",
    ])).trim();
    const present = OPENBLAS_CANDIDATES.filter((path) => {
      try {
        return Deno.statSync(path).isFile;
      } catch {
        return false;
      }
    });
    assertNotEquals(present, []); // OpenBLAS loads in this process, so one place has it
    for (const path of present) {
      assertStringIncludes(failure, `${path}: Requires ffi access to "${path}"`);
    }
  },
});

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test({
    name: `_FusedMatMul(openblas, ${backend}): a call that throws frees the output it allocated`,
    ignore,
    fn: async () => {
      // Found by mutation round MA (looking at the fused tail's error paths): prelu without its
      // weights, or a bias that does not broadcast, threw after the product's output was
      // allocated, and nothing freed it (a kernel that throws returns nothing for tfjs to free).
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      const a = tf.tensor2d([[1, 2]]), b = tf.tensor2d([[1, 0, 1], [0, 1, 1]]);
      const bias = tf.tensor1d([1, 2]);
      const buffers = () => tf.engine().backend.numDataIds();
      const before = buffers();
      assertThrows(
        () => tf.fused.matMul({ a, b, activation: "prelu" }),
        Error,
        "prelu needs its weights",
      );
      const attrs = { transposeA: false, transposeB: false, activation: "linear" };
      assertThrows(
        () => tf.engine().runKernel("_FusedMatMul", { a, b, bias }, attrs),
        Error,
        "operand [2] does not broadcast to [1,3]",
      );
      assertEquals(buffers(), before);
      tf.dispose([a, b, bias]);
    },
  });
}
