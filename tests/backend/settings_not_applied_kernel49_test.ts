/**
 * A later `initBackend` call that asks for what the process's first choice does not have (a
 * notebook's set-up cell edited and run again) is told so (lib/backend/_settings_not_applied.ts);
 * the choice stands. The wiring runs in a process of its own (the choice is made once per process).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  type ChoiceSettings,
  settingsNotApplied,
} from "../../lib/backend/_settings_not_applied.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const DEFAULTS: ChoiceSettings = { requested: undefined, blas: undefined, hostKernels: undefined };
const CPU: ChoiceSettings["requested"] = { name: "cpu", setting: "BackendConfig.backend" };

Deno.test("settingsNotApplied: another backend is named with its setting and the one in force", () => {
  const lines = settingsNotApplied(DEFAULTS, { ...DEFAULTS, requested: CPU }, "wasm");
  assertEquals(lines.length, 1, lines.join("\n"));
  assertStringIncludes(
    lines[0],
    'initBackend: BackendConfig.backend "cpu" is not applied: this process already chose "wasm"',
  );
  assertStringIncludes(lines[0], "Kernel → Restart");
  const fromEnv = settingsNotApplied(DEFAULTS, {
    ...DEFAULTS,
    requested: { name: "webgpu", setting: "DEMURE_BACKEND" },
  }, "cpu");
  assertStringIncludes(fromEnv[0], 'DEMURE_BACKEND "webgpu" is not applied');
});

Deno.test("settingsNotApplied: what the choice has, or a flag not given, says nothing", () => {
  assertEquals(settingsNotApplied(DEFAULTS, DEFAULTS, "wasm"), []);
  assertEquals(settingsNotApplied(DEFAULTS, { ...DEFAULTS, requested: CPU }, "cpu"), []);
  // `initBackend()` after `initBackend({ blas: false })` asks for the choice made.
  assertEquals(settingsNotApplied({ ...DEFAULTS, blas: false }, DEFAULTS, "cpu"), []);
  assertEquals(
    settingsNotApplied(DEFAULTS, { ...DEFAULTS, blas: true, hostKernels: true }, "wasm"),
    [],
  );
  assertEquals(
    settingsNotApplied(
      { ...DEFAULTS, hostKernels: false },
      { ...DEFAULTS, hostKernels: false },
      "cpu",
    ),
    [],
  );
});

Deno.test("settingsNotApplied: a kernel flag other than the one in force is named, on the host backends only", () => {
  const blasOn = settingsNotApplied(
    { ...DEFAULTS, blas: false },
    { ...DEFAULTS, blas: true },
    "cpu",
  );
  assertEquals(blasOn, [
    'initBackend: BackendConfig.blas true is not applied: this process already chose "cpu" with ' +
    "blas false (a backend is chosen once per process: in a notebook, Kernel → Restart and run " +
    "the cells again to choose another)",
  ]);
  const hostOff = settingsNotApplied(DEFAULTS, { ...DEFAULTS, hostKernels: false }, "wasm");
  assertEquals(hostOff.length, 1);
  assertStringIncludes(
    hostOff[0],
    'BackendConfig.hostKernels false is not applied: this process already chose "wasm" with hostKernels true',
  );
  // On webgpu or tensorflow the flags shape nothing.
  assertEquals(settingsNotApplied(DEFAULTS, { ...DEFAULTS, blas: false }, "webgpu"), []);
  assertEquals(settingsNotApplied(DEFAULTS, { ...DEFAULTS, hostKernels: false }, "tensorflow"), []);
});

Deno.test("initBackend: a later call asking for other settings warns once per call; the same or none, never", async () => {
  const warnings = await evalInSubprocess<string[]>(
    `
const { initBackend } = await import(${projectModule("lib/backend/init_backend.ts")});
const warnings = [];
console.warn = (...parts) => warnings.push(parts.join(" "));
const first = await initBackend({ backend: "cpu", blas: false, verbose: false });
await initBackend({ backend: "cpu", blas: false, verbose: false });
await initBackend({ verbose: false });
warnings.push("--");
const later = await initBackend({ backend: "wasm", blas: true, verbose: false });
warnings.push(first.backend + " " + later.backend);
console.log(JSON.stringify(warnings));
`,
    { DEMURE_BACKEND: "", DEMURE_OPENBLAS: "", DEMURE_BLAS_KERNELS: "" },
  );
  assertEquals(warnings.length, 4, warnings.join("\n"));
  assertEquals(warnings[0], "--", "the same settings, or none, warn of nothing");
  assertStringIncludes(
    warnings[1],
    'BackendConfig.backend "wasm" is not applied: this process already chose "cpu"',
  );
  assertStringIncludes(
    warnings[2],
    'BackendConfig.blas true is not applied: this process already chose "cpu" with blas false',
  );
  assertEquals(warnings[3], "cpu cpu", "the first choice stands");
});

Deno.test("initBackend: a call after a failed choice chooses again, with no warning", async () => {
  // A failed choice is not kept: the corrected call's settings are applied, not compared.
  const warnings = await evalInSubprocess<string[]>(
    `
const { initBackend } = await import(${projectModule("lib/backend/init_backend.ts")});
const warnings = [];
console.warn = (...parts) => warnings.push(parts.join(" "));
try { await initBackend({ backend: "tensorflow", verbose: false }); } catch { warnings.push("failed"); }
const corrected = await initBackend({ backend: "cpu", blas: false, verbose: false });
warnings.push(corrected.backend);
console.log(JSON.stringify(warnings));
`,
    { DEMURE_BACKEND: "", DEMURE_OPENBLAS: "", DEMURE_BLAS_KERNELS: "" },
  );
  assertEquals(warnings, ["failed", "cpu"]);
});
