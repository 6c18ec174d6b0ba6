/**
 * `initBackend`'s settings: its config object and the environment variables it reads are checked
 * and named, and a failed choice is not kept (a notebook corrects the setting and calls again).
 * Each case runs in a fresh process: the choice is made once per process.
 */
import { assertEquals } from "@std/assert";
import { OPENBLAS_CANDIDATES } from "../../lib/backend/kernels/_openblas.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

/**
 * Whether Deno's WebGPU offers an adapter, asked in a process of its own: the probe sets
 * DENO_WEBGPU_BACKEND and XDG_RUNTIME_DIR (lib/backend/webgpu.ts) and keeps them, and this module
 * runs in the suite's one process.
 */
const webgpu = await evalInSubprocess<{ available: boolean }>(`
import { probeWebgpu } from ${projectModule("lib/backend/webgpu.ts")};
console.log(JSON.stringify(await probeWebgpu()));
`);

const systemLibrary = OPENBLAS_CANDIDATES.some((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

/**
 * Runs `body` after a prelude that imports `initBackend` and `requireBackend` and defines
 * `attempt(label, run)`, which records `label: <backend>[ + openblas]` or `label: <error>`; returns
 * the recorded lines. `DEMURE_BACKEND`, `DEMURE_BLAS_THREADS`, `DEMURE_BLAS_KERNELS` and
 * `DEMURE_OPENBLAS` start unset.
 */
async function linesOf(body: string): Promise<string[]> {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `${root}.cache/init_backend_${Deno.pid}.js`;
  Deno.mkdirSync(`${root}.cache`, { recursive: true });
  Deno.writeTextFileSync(
    script,
    `import { initBackend, requireBackend } from "../lib/backend/init_backend.ts";
const lines = [];
const attempt = async (label, run) => {
  try {
    const choice = await run();
    const blas = choice?.kernels.some((name) => name.endsWith("(openblas)")) ? " + openblas" : "";
    lines.push(label + ": " + (choice === undefined ? "ok" : choice.backend + blas));
  } catch (error) {
    lines.push(label + ": " + error.name + ": " + error.message.split("\\n")[0]);
  }
};
${body}
console.log(JSON.stringify(lines));
`,
  );
  try {
    const env = Deno.env.toObject();
    for (
      const name of [
        "DEMURE_BACKEND",
        "DEMURE_BLAS_THREADS",
        "DEMURE_OPENBLAS",
        "DEMURE_BLAS_KERNELS",
      ]
    ) {
      delete env[name];
    }
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", script],
      cwd: root,
      env,
      clearEnv: true,
    }).output();
    assertEquals(code, 0, new TextDecoder().decode(stderr));
    return JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
  } finally {
    Deno.removeSync(script);
  }
}

Deno.test("initBackend: an unknown setting or a flag that is not a boolean is a SettingError naming it", async () => {
  // `backnd` ran the default backend, and the string "false" kept OpenBLAS on.
  const lines = await linesOf(`
await attempt("typo", () => initBackend({ backnd: "cpu", verbose: false }));
await attempt("blas", () => initBackend({ blas: "false", backend: "cpu", verbose: false }));
await attempt("hostKernels", () => initBackend({ hostKernels: 0, verbose: false }));
await attempt("verbose", () => initBackend({ verbose: "no" }));
await attempt("null", () => initBackend(null));
await attempt("corrected", () => initBackend({ backend: "cpu", blas: false, verbose: false }));
`);
  const flag = "allowed: true or false";
  assertEquals(lines, [
    'typo: SettingError: BackendConfig.backnd is "cpu"; allowed: one of the settings backend, ' +
    "blas, hostKernels, verbose; did you mean backend?",
    `blas: SettingError: BackendConfig.blas is "false"; ${flag}`,
    `hostKernels: SettingError: BackendConfig.hostKernels is 0; ${flag}`,
    `verbose: SettingError: BackendConfig.verbose is "no"; ${flag}`,
    "null: SettingError: BackendConfig is null; allowed: an object with some of the settings " +
    "backend, blas, hostKernels, verbose",
    "corrected: cpu",
  ]);
});

Deno.test("initBackend: a failed choice is not kept; a forced tensorflow without its package names DEMURE_BACKEND", async () => {
  // Both failures used to be kept as the choice: the corrected call failed the same way until the
  // kernel restarted. (No native TensorFlow package is installed in this workspace.)
  const lines = await linesOf(`
Deno.env.set("DEMURE_BLAS_THREADS", "0");
await attempt("threads", () => initBackend({ verbose: false }));
Deno.env.delete("DEMURE_BLAS_THREADS");
Deno.env.set("DEMURE_BACKEND", "tensorflow");
await attempt("tensorflow", () => initBackend({ verbose: false }));
await attempt("still forced", () => initBackend({ verbose: false }));
Deno.env.delete("DEMURE_BACKEND");
await attempt("config", () => initBackend({ backend: "tensorflow", verbose: false }));
await attempt("corrected", () => initBackend({ backend: "cpu", verbose: false }));
await attempt("kept", () => initBackend({ verbose: false }));
`);
  const tensorflow = "forces native TensorFlow, but its package cannot be loaded: neither " +
    "@tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed (docs/gpu.md says how); " +
    "unset it for the default (wasm on a CPU)";
  const blas = systemLibrary ? " + openblas" : "";
  assertEquals(lines, [
    "threads: Error: DEMURE_BLAS_THREADS=0: must be an integer in 1..256 (unset: the core count)",
    `tensorflow: Error: DEMURE_BACKEND=tensorflow ${tensorflow}`,
    `still forced: Error: DEMURE_BACKEND=tensorflow ${tensorflow}`,
    `config: Error: BackendConfig.backend "tensorflow" ${tensorflow}`,
    `corrected: cpu${blas}`,
    // A choice that succeeded is kept.
    `kept: cpu${blas}`,
  ]);
});

Deno.test("initBackend: DEMURE_BLAS_THREADS and DEMURE_BLAS_KERNELS are checked before anything is activated", async () => {
  // Each value once ran (or would run) with a thread count or kernel set nobody asked for: 257
  // threads past the bound, "0x10" / "1e2" / "+4" read by Number, " 2 " trimmed. The kernel set is checked even
  // where OpenBLAS is not loaded (blas: false), as every other variable is.
  const lines = await linesOf(`
for (const threads of ["257", "0x10", "1e2", "+4", " 2 "]) {
  Deno.env.set("DEMURE_BLAS_THREADS", threads);
  await attempt(threads, () => initBackend({ backend: "cpu", blas: false, verbose: false }));
}
Deno.env.set("DEMURE_BLAS_THREADS", "256");
Deno.env.set("DEMURE_BLAS_KERNELS", "Records");
await attempt("kernels", () => initBackend({ backend: "cpu", blas: false, verbose: false }));
Deno.env.delete("DEMURE_BLAS_KERNELS");
await attempt("256 threads", () => initBackend({ backend: "cpu", blas: false, verbose: false }));
`);
  const range = "must be an integer in 1..256 (unset: the core count)";
  assertEquals(lines, [
    `257: Error: DEMURE_BLAS_THREADS=257: ${range}`,
    `0x10: Error: DEMURE_BLAS_THREADS=0x10: ${range}`,
    `1e2: Error: DEMURE_BLAS_THREADS=1e2: ${range}`,
    `+4: Error: DEMURE_BLAS_THREADS=+4: ${range}`,
    // Trimmed and taken, where every other setting refuses white space.
    ` 2 : Error: DEMURE_BLAS_THREADS= 2 : ${range}`,
    'kernels: SettingError: DEMURE_BLAS_KERNELS is "Records"; allowed: records or native ' +
    "(unset: records)",
    "256 threads: cpu",
  ]);
});

Deno.test("initBackend: a DEMURE_OPENBLAS that cannot be loaded is a SettingError naming it, not a fallback", async () => {
  // It used to print one notice and train on tfjs's stock matmul kernels: other numbers.
  const text = Deno.realPathSync(Deno.makeTempFileSync({ suffix: ".txt" }));
  const lines = await linesOf(`
Deno.env.set("DEMURE_OPENBLAS", "/nonexistent/libopenblas.so.0");
await attempt("missing", () => initBackend({ verbose: false }));
// The failed choice activated wasm before the library was refused: work must not start on it.
await attempt("model", () => requireBackend());
Deno.env.set("DEMURE_OPENBLAS", ${JSON.stringify(text)});
await attempt("not a library", () => initBackend({ verbose: false }));
// Without BLAS the variable is not read.
await attempt("blas off", () => initBackend({ blas: false, verbose: false }));
`);
  const allowed = "allowed: the absolute path of a loadable OpenBLAS shared library (a regular " +
    "file named libopenblas*.so* or libopenblas*.dylib, not writable by group or others, with " +
    "cblas_sgemm, openblas_set_num_threads and openblas_get_num_threads, and --allow-ffi for " +
    "it), or unset for the usual places";
  assertEquals(lines.length, 4, lines.join("\n"));
  assertEquals(
    lines[0],
    `missing: SettingError: DEMURE_OPENBLAS is "/nonexistent/libopenblas.so.0"; ${allowed} ` +
      "(refused before loading: cannot inspect it (No such file or directory (os error 2): " +
      "realpath '/nonexistent/libopenblas.so.0'))",
  );
  assertEquals(
    lines[1],
    'model: Error: initBackend() failed (DEMURE_OPENBLAS is "/nonexistent/libopenblas.so.0"; ' +
      `${allowed} (refused before loading: cannot inspect it (No such file or directory (os ` +
      "error 2): realpath '/nonexistent/libopenblas.so.0'))): correct that and `await " +
      "initBackend()` again",
  );
  assertEquals(
    lines[2],
    `not a library: SettingError: DEMURE_OPENBLAS is "${text}"; ${allowed} (refused before ` +
      `loading: its file ${text} is not named libopenblas*.so* or libopenblas*.dylib)`,
  );
  assertEquals(lines[3], "blas off: wasm");
  Deno.removeSync(text);
});

Deno.test({
  name: "initBackend: a corrected DEMURE_OPENBLAS is loaded by the next call",
  ignore: !systemLibrary,
  fn: async () => {
    const system = OPENBLAS_CANDIDATES.find((path) => {
      try {
        return Deno.statSync(path).isFile;
      } catch {
        return false;
      }
    })!;
    const lines = await linesOf(`
Deno.env.set("DEMURE_OPENBLAS", "/nonexistent/libopenblas.so.0");
await attempt("missing", () => initBackend({ verbose: false }));
Deno.env.set("DEMURE_OPENBLAS", ${JSON.stringify(system)});
await attempt("corrected", () => initBackend({ verbose: false }));
await attempt("model", () => requireBackend());
`);
    assertEquals(lines.slice(1), ["corrected: wasm + openblas", "model: ok"]);
  },
});

Deno.test("initBackend: the default choice's reason says why native TensorFlow is not used", async () => {
  const lines = await linesOf(`
const choice = await initBackend({ verbose: false });
lines.push(choice.backend, choice.reason);
`);
  // (Where tfjs-node is installed the choice is native TensorFlow, whose reason names it.)
  if (lines[0] === "wasm") {
    assertEquals(
      lines[1],
      "native TensorFlow not installed, optional: see README; wasm runs single-threaded under Deno",
    );
  } else assertEquals(lines, ["tensorflow", lines[1]]);
});

Deno.test({
  name: "initBackend: a forced webgpu lists its replaced kernels on the backend line",
  ignore: !webgpu.available,
  fn: async () => {
    const lines = await linesOf(`
Deno.env.set("DEMURE_BACKEND", "webgpu");
const choice = await initBackend({ verbose: false });
lines.push(choice.backend, ...choice.kernels);
`);
    assertEquals(lines, [
      "webgpu",
      "UnsortedSegmentSum(ordered)",
      "BatchMatMul(no split-K)",
      "_FusedMatMul(no split-K)",
      "uploads(writeBuffer)",
      "Mean/Sum gradients(broadcast)",
    ]);
  },
});

Deno.test("initBackend: a bad backend name after a choice is made is still refused", async () => {
  const lines = await linesOf(`
await attempt("first", () => initBackend({ verbose: false }));
await attempt("bad", () => initBackend({ backend: "gpu", verbose: false }));
`);
  assertEquals(lines.length, 2, lines.join("\n"));
  assertEquals(lines[1].startsWith("bad: SettingError: BackendConfig.backend"), true, lines[1]);
});

Deno.test("initBackend: config.backend outranks DEMURE_BACKEND; an empty DEMURE_BACKEND is unset", async () => {
  // Found by mutation round CH (CH42, CH41): neither the order of the two settings nor the empty
  // value was pinned. (No native TensorFlow package is installed: the forced choice fails, is not
  // kept, and the next call chooses again.)
  const lines = await linesOf(`
Deno.env.set("DEMURE_BACKEND", "cpu");
await attempt("config over env", () => initBackend({ backend: "tensorflow", verbose: false }));
Deno.env.set("DEMURE_BACKEND", "");
const choice = await initBackend({ blas: false, verbose: false });
lines.push("empty: " + choice.backend + "; " + choice.reason);
`);
  assertEquals(lines.length, 2, lines.join("\n"));
  assertEquals(
    lines[0].startsWith('config over env: Error: BackendConfig.backend "tensorflow" forces'),
    true,
    lines[0],
  );
  // The default order (where tfjs-node is installed, native TensorFlow comes first).
  if (!lines[1].startsWith("empty: tensorflow")) {
    assertEquals(
      lines[1],
      "empty: wasm; native TensorFlow not installed, optional: see README; wasm runs " +
        "single-threaded under Deno",
    );
  }
});

Deno.test("requireBackend: after a failed initBackend it throws while the corrected call is pending", async () => {
  // Found by mutation round CH (CH51): the failed choice had activated wasm without its kernels,
  // and a model built before the corrected call finished ran on it, against requireBackend's
  // promise ("throws too, until a later call succeeds").
  const lines = await linesOf(`
Deno.env.set("DEMURE_OPENBLAS", "/nonexistent/libopenblas.so.0");
await attempt("missing", () => initBackend({ verbose: false }));
Deno.env.delete("DEMURE_OPENBLAS");
const pending = initBackend({ blas: false, verbose: false });
await attempt("pending", () => requireBackend());
await attempt("corrected", () => pending);
await attempt("after", () => requireBackend());
`);
  assertEquals(lines.length, 4, lines.join("\n"));
  assertEquals(
    lines[1].startsWith('pending: Error: initBackend() failed (DEMURE_OPENBLAS is "/nonexistent/'),
    true,
    lines[1],
  );
  assertEquals(lines.slice(2), ["corrected: wasm", "after: ok"]);
});

Deno.test("initBackend: a forced wasm or cpu says so in its reason", async () => {
  // Found by mutation round CH (CH45): the reason printed on the backend line was not pinned.
  const lines = await linesOf(`
const choice = await initBackend({ backend: "cpu", blas: false, verbose: false });
lines.push(choice.backend + "; " + choice.reason);
`);
  assertEquals(lines, ["cpu; forced by DEMURE_BACKEND or config"]);
});

Deno.test("initBackend: the host kernels are on by default and off with hostKernels: false", async () => {
  // Found by mutation round CH (CH48): neither the default nor the switch was pinned.
  const lines = await linesOf(`
const choice = await initBackend({ backend: "cpu", blas: false, hostKernels: false, verbose: false });
const { registerWorkspaceKernels } = await import("../lib/backend/init_backend.ts");
lines.push(JSON.stringify(choice.kernels), JSON.stringify(registerWorkspaceKernels("cpu", { blas: false })));
`);
  assertEquals(lines[0], '["UnsortedSegmentSum(linear)"]');
  const byDefault: string[] = JSON.parse(lines[1]);
  assertEquals(byDefault[0], "UnsortedSegmentSum(linear)");
  assertEquals(byDefault.includes("Mean/Sum gradients(broadcast)"), true, lines[1]);
  assertEquals(byDefault.some((name) => name.endsWith("(host)")), true, lines[1]);
});
