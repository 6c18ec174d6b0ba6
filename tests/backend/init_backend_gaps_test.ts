/**
 * `initBackend` (lib/backend/init_backend.ts): the settings and choices its other tests leave
 * open. Each case runs in a process of its own (the choice is made once per process), with
 * `DEMURE_BACKEND` and `DEMURE_OPENBLAS` empty (unset) unless the case sets them.
 * Found by mutation round KB (KB14, KB15, KB16, KB21, KB27, KB36, KB37, KB38, KB39).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const PRELUDE = `
import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
const lines = [];
const attempt = async (label, run) => {
  try {
    const choice = await run();
    lines.push(label + ": " + choice.backend);
  } catch (error) {
    lines.push(label + ": " + error.name + ": " + error.message.split("\\n")[0]);
  }
};
`;

/** The lines `body` records, run after {@linkcode PRELUDE}. */
function linesOf(body: string, env: Record<string, string> = {}): Promise<string[]> {
  return evalInSubprocess<string[]>(
    `${PRELUDE}${body}\nconsole.log(JSON.stringify(lines));`,
    { DEMURE_BACKEND: "", DEMURE_OPENBLAS: "", DEMURE_BLAS_KERNELS: "", ...env },
  );
}

const ALLOWED = 'allowed: one of "tensorflow", "webgpu", "wasm", "cpu"';

Deno.test("initBackend: an empty config.backend is refused, named as BackendConfig.backend", async () => {
  // An empty DEMURE_BACKEND is unset (the shell's `DEMURE_BACKEND= cmd`); an empty config.backend
  // is a bad value, not the default choice, and the message names the setting that gave it even
  // with a good DEMURE_BACKEND beside it.
  const lines = await linesOf(`
await attempt("empty", () => initBackend({ backend: "", verbose: false }));
Deno.env.set("DEMURE_BACKEND", "cpu");
await attempt("empty beside env", () => initBackend({ backend: "", verbose: false }));
`);
  assertEquals(lines, [
    `empty: SettingError: BackendConfig.backend is ""; ${ALLOWED}`,
    `empty beside env: SettingError: BackendConfig.backend is ""; ${ALLOWED}`,
  ]);
});

Deno.test("initBackend: a bad DEMURE_BACKEND after a choice is made is still refused; a good one keeps the first choice", async () => {
  // Later calls return the first choice, but the settings are checked at every call: a typo
  // set after the first call is named, not silently ignored. config.backend does not choose again.
  const lines = await linesOf(`
await attempt("first", () => initBackend({ backend: "cpu", blas: false, verbose: false }));
Deno.env.set("DEMURE_BACKEND", "gpu");
await attempt("bad env", () => initBackend({ verbose: false }));
Deno.env.set("DEMURE_BACKEND", "");
await attempt("other backend", () => initBackend({ backend: "wasm", blas: false, verbose: false }));
const { tf } = await import(${projectModule("lib/backend/tf.ts")});
lines.push("active: " + tf.getBackend());
`);
  assertEquals(lines, [
    "first: cpu",
    `bad env: SettingError: DEMURE_BACKEND is "gpu"; ${ALLOWED}`,
    "other backend: cpu",
    "active: cpu",
  ]);
});

Deno.test("initBackend: a webgpu forced by config.backend without an adapter names BackendConfig.backend", async () => {
  // The DEMURE_BACKEND case is in _webgpu_cases.ts; Vulkan only, without a driver: no adapter.
  const lines = await linesOf(
    `await attempt("webgpu", () => initBackend({ backend: "webgpu", verbose: false }));`,
    { DENO_WEBGPU_BACKEND: "vulkan", VK_ICD_FILENAMES: "/nonexistent/icd.json" },
  );
  assertEquals(lines.length, 1, lines.join("\n"));
  assertStringIncludes(
    lines[0],
    'webgpu: Error: BackendConfig.backend "webgpu": no WebGPU adapter (',
  );
  assertStringIncludes(lines[0], "use DEMURE_BACKEND=wasm");
});

Deno.test("initBackend: the printed line is the choice's backend, kernels and reason, printed once", async () => {
  // start-up_test.ts checks the kernel count of the default choice; the reason in the printed
  // line was not checked (an empty "()" passed).
  const lines = await linesOf(`
const printed = [];
const log = console.log;
console.log = (...parts) => printed.push(parts.join(" "));
try {
  await initBackend({ backend: "cpu", blas: false, hostKernels: false });
  await initBackend({ backend: "cpu", blas: false, hostKernels: false });
} finally {
  console.log = log;
}
lines.push(...printed);
`);
  assertEquals(lines, ["backend: cpu + 1 faster kernels (forced by DEMURE_BACKEND or config)"]);
});

Deno.test("initBackend: a refused setting after a good choice leaves the choice usable", async () => {
  // requireBackend throws after a choice that failed; a call refused for its settings chose
  // nothing and activated nothing, so the first choice stays in force.
  const lines = await linesOf(`
const { requireBackend } = await import(${projectModule("lib/backend/init_backend.ts")});
await attempt("first", () => initBackend({ backend: "cpu", blas: false, verbose: false }));
await attempt("typo", () => initBackend({ backnd: "wasm", verbose: false }));
await attempt("model", async () => (requireBackend(), { backend: "ok" }));
`);
  assertEquals(lines.length, 3, lines.join("\n"));
  assertEquals(lines[1].startsWith("typo: SettingError: BackendConfig.backnd"), true, lines[1]);
  assertEquals([lines[0], lines[2]], ["first: cpu", "model: ok"]);
});

Deno.test("initBackend: DEMURE_BACKEND of white space or in capitals is refused, not unset or taken", async () => {
  // Only the empty value is unset; every other setting is read as written.
  const lines = await linesOf(`
for (const value of [" ", "CPU", "wasm "]) {
  Deno.env.set("DEMURE_BACKEND", value);
  await attempt(JSON.stringify(value), () => initBackend({ blas: false, verbose: false }));
}
`);
  assertEquals(lines, [
    `" ": SettingError: DEMURE_BACKEND is " "; ${ALLOWED}`,
    `"CPU": SettingError: DEMURE_BACKEND is "CPU"; ${ALLOWED}`,
    `"wasm ": SettingError: DEMURE_BACKEND is "wasm "; ${ALLOWED}`,
  ]);
});
