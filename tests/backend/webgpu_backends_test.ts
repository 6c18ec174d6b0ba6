/**
 * Which backends Deno's wgpu is asked for (lib/backend/webgpu.ts, `webgpuBackendRequest`): Vulkan
 * alone on Linux unless the user chose, so that EGL's libraries, whose destructors raced Deno's
 * worker threads at exit (a glibc abort after every test had passed), are never loaded. And what
 * `probeWebgpu` says for each adapter it may meet, with a stand-in for `navigator.gpu` (no GPU or
 * Vulkan driver needed). The probe sets DENO_WEBGPU_BACKEND and XDG_RUNTIME_DIR when unset, and
 * `deno test --parallel` runs the test modules in one process, so each probe runs in a process of
 * its own (deno eval).
 */
import { assert, assertEquals } from "@std/assert";
import { LINUX_WEBGPU_BACKENDS, webgpuBackendRequest } from "../../lib/backend/webgpu.ts";

/**
 * The last line `script` prints, run by `deno eval` in the repository root with exactly `env`
 * (it must exit 0).
 */
async function lastLineOf(script: string, env: Record<string, string>): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    cwd: new URL("../../", import.meta.url).pathname,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
}

Deno.test("webgpuBackendRequest: Vulkan on Linux when unset; the user's value and other systems kept", () => {
  assertEquals(LINUX_WEBGPU_BACKENDS, "vulkan");
  assertEquals(webgpuBackendRequest("linux", undefined), "vulkan");
  assertEquals(webgpuBackendRequest("linux", "gl"), undefined);
  assertEquals(webgpuBackendRequest("linux", "vulkan,gl"), undefined);
  assertEquals(webgpuBackendRequest("linux", ""), undefined);
  assertEquals(webgpuBackendRequest("darwin", undefined), undefined);
  assertEquals(webgpuBackendRequest("windows", undefined), undefined);
});

/** The probe, in a fresh process whose environment lacks DENO_WEBGPU_BACKEND. */
const PROBE = `
import { probeWebgpu } from "./lib/backend/webgpu.ts";
const probe = await probeWebgpu();
const maps = Deno.build.os === "linux" ? Deno.readTextFileSync("/proc/self/maps") : "";
console.log(JSON.stringify({
  available: probe.available,
  reason: probe.reason,
  asked: Deno.env.get("DENO_WEBGPU_BACKEND") ?? null,
  egl: maps.includes("libEGL"),
}));
`;

Deno.test({
  name: "probeWebgpu on Linux asks for Vulkan alone: the adapter is found and EGL is never loaded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const env = Deno.env.toObject();
    delete env.DENO_WEBGPU_BACKEND;
    const seen = JSON.parse(await lastLineOf(PROBE, env));
    assertEquals(seen.asked, "vulkan");
    // Checked with or without an adapter: a probe that found none may still have loaded EGL (the
    // check sat after an early return for that case, so a machine without Vulkan skipped it).
    assertEquals(seen.egl, false, "libEGL was loaded although only Vulkan was asked for");
    if (!seen.available) {
      // No Vulkan driver here: the reason names the request, so a user can widen it.
      assert(String(seen.reason).includes("DENO_WEBGPU_BACKEND=vulkan"), seen.reason);
    }
  },
});

/** Where `navigator.gpu` stands for `gpu` (a JS expression) in a fresh process, what the probe says. */
async function probeWith(gpu: string, asked: string | undefined) {
  const script = `
import { probeWebgpu } from "./lib/backend/webgpu.ts";
Object.defineProperty(navigator, "gpu", { value: ${gpu}, configurable: true });
const probe = await probeWebgpu();
const [asked, runtimeDir] = ["DENO_WEBGPU_BACKEND", "XDG_RUNTIME_DIR"].map((name) => Deno.env.get(name));
console.log(JSON.stringify({ probe, asked: asked ?? null, runtimeDir }));
`;
  const env = Deno.env.toObject();
  delete env.DENO_WEBGPU_BACKEND;
  if (asked !== undefined) env.DENO_WEBGPU_BACKEND = asked;
  env.XDG_RUNTIME_DIR = "/nonexistent/runtime";
  return JSON.parse(await lastLineOf(script, env));
}

/** A `navigator.gpu` whose one adapter has these `info` fields (description, device, vendor). */
const gpuWith = (description: string, device: string, vendor: string) =>
  `{ requestAdapter: () => Promise.resolve({ info: ${
    JSON.stringify({ description, device, vendor })
  } }) }`;

Deno.test("probeWebgpu names the adapter by its first non-empty field; software ones say so", async () => {
  const hardware = await probeWith(gpuWith("", "NVIDIA H100", "nvidia"), "vulkan");
  assertEquals(hardware.probe, { available: true, reason: "NVIDIA H100", software: false });
  // A software adapter named only in `device` (SwiftShader's) is a software adapter too.
  const swiftshader = await probeWith(gpuWith("", "SwiftShader Device (Subzero)", "g"), "vulkan");
  assertEquals(swiftshader.probe, {
    available: true,
    reason: "SwiftShader Device (Subzero) [software]",
    software: true,
  });
  // Mesa's lavapipe, the adapter of CPU-only machines, names itself "llvmpipe" in `description`.
  const lavapipe = await probeWith(
    gpuWith("llvmpipe (LLVM 15.0.6, 256 bits)", "", "mesa"),
    "vulkan",
  );
  assertEquals(lavapipe.probe, {
    available: true,
    reason: "llvmpipe (LLVM 15.0.6, 256 bits) [software]",
    software: true,
  });
  const unnamed = await probeWith(gpuWith("", "", ""), "vulkan");
  assertEquals(unnamed.probe.reason, "unnamed");
  // Both named: the description, not the device (a vendor's device id), names it.
  const both = await probeWith(gpuWith("NVIDIA H100 80GB HBM3", "0x2330", "nvidia"), "vulkan");
  assertEquals(both.probe.reason, "NVIDIA H100 80GB HBM3");
  // An adapter that calls itself lavapipe (not llvmpipe) is a software one too.
  const named = await probeWith(gpuWith("Mesa lavapipe", "", "mesa"), "vulkan");
  assertEquals(named.probe.software, true);
});

Deno.test("probeWebgpu without an adapter names the backends asked for; a failure is a reason", async () => {
  const none = "{ requestAdapter: () => Promise.resolve(null) }";
  // The user's own request stays and is named, so they see what to widen.
  const own = await probeWith(none, "gl");
  assertEquals(own.asked, "gl");
  // A runtime directory the user has is theirs too (only an unset one gets a private one).
  assertEquals(own.runtimeDir, "/nonexistent/runtime");
  assertEquals(own.probe.available, false);
  assertEquals(own.probe.reason.endsWith("backends asked for: DENO_WEBGPU_BACKEND=gl)"), true);
  // Unset on Linux, the probe asks for Vulkan alone before the adapter is requested.
  if (Deno.build.os === "linux") {
    const unset = await probeWith(none, undefined);
    assertEquals(unset.asked, "vulkan");
    assertEquals(
      unset.probe.reason.endsWith("backends asked for: DENO_WEBGPU_BACKEND=vulkan)"),
      true,
    );
  }
  const failing = '{ requestAdapter: () => Promise.reject(new Error("driver crashed")) }';
  assertEquals((await probeWith(failing, "vulkan")).probe, {
    available: false,
    reason: "requestAdapter failed: driver crashed",
    software: false,
  });
  assertEquals((await probeWith("undefined", "vulkan")).probe, {
    available: false,
    reason: "navigator.gpu is undefined in this runtime",
    software: false,
  });
});

Deno.test("activateWebgpu without an adapter throws the probe's reason, before tfjs's webgpu is loaded", async () => {
  const script = `
import { activateWebgpu } from "./lib/backend/webgpu.ts";
Object.defineProperty(navigator, "gpu", {
  value: { requestAdapter: () => Promise.resolve(null) },
  configurable: true,
});
let message = "activated";
try {
  await activateWebgpu();
} catch (error) {
  message = (error as Error).message;
}
console.log(JSON.stringify({ message }));
`;
  const env = Deno.env.toObject();
  env.DENO_WEBGPU_BACKEND = "vulkan";
  env.XDG_RUNTIME_DIR = "/nonexistent/runtime";
  const { message } = JSON.parse(await lastLineOf(script, env));
  assert(
    message.startsWith("webgpu backend unavailable: navigator.gpu.requestAdapter() returned null"),
    message,
  );
});

/** Whether this machine has an adapter, asked in a process of its own (the probe sets variables). */
const adapterAvailable: boolean =
  JSON.parse(await lastLineOf(PROBE, Deno.env.toObject())).available;

Deno.test({
  name:
    "activateWebgpu installs the queued uploads on the backend and the broadcast Sum/Mean gradients",
  ignore: !adapterAvailable,
  fn: async () => {
    // A fresh process: nothing else has registered either before activateWebgpu.
    const script = `
import { tf } from "./lib/backend/tf.ts";
import { activateWebgpu } from "./lib/backend/webgpu.ts";
const gradients = () => ["Sum", "Mean"].map((name) => tf.getGradient(name)?.gradFunc);
const stock = gradients();
await activateWebgpu();
const backend = tf.findBackend("webgpu");
console.log(JSON.stringify({
  uploadsReplaced: Object.hasOwn(backend, "uploadToGPU"),
  gradientsReplaced: gradients().map((f, i) => f !== undefined && f !== stock[i]),
}));
`;
    const seen = JSON.parse(await lastLineOf(script, Deno.env.toObject()));
    assertEquals(seen, { uploadsReplaced: true, gradientsReplaced: [true, true] });
  },
});

Deno.test("probeWebgpu without XDG_RUNTIME_DIR, in a process that may not write: the adapter is found", async () => {
  // What `deno task reproduce` and its Slurm and Kubernetes tasks are: no write access to the
  // temporary folder, and, in a batch job or a pod, no XDG_RUNTIME_DIR. The probe made a private
  // runtime folder there and failed ("requestAdapter failed: Requires write access to <TMP>").
  const dir = Deno.makeTempDirSync();
  const script = `${dir}/probe.ts`;
  Deno.writeTextFileSync(
    script,
    `import { probeWebgpu } from "${new URL("../../lib/backend/webgpu.ts", import.meta.url)}";
Object.defineProperty(navigator, "gpu", { value: ${
      gpuWith("NVIDIA H100", "", "nvidia")
    }, configurable: true });
const probe = await probeWebgpu();
console.log(JSON.stringify({ probe, runtimeDir: Deno.env.get("XDG_RUNTIME_DIR") ?? null }));
`,
  );
  const probeAsked = async (asked: string) => {
    const env = Deno.env.toObject();
    delete env.XDG_RUNTIME_DIR;
    env.DENO_WEBGPU_BACKEND = asked;
    const output = await new Deno.Command(Deno.execPath(), {
      // The repository's configuration (its import map), the script being outside it.
      args: ["run", "--config", "deno.json", "--no-prompt", "--allow-read", "--allow-env", script],
      cwd: new URL("../../", import.meta.url).pathname,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
    return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "");
  };
  try {
    const expected = { available: true, reason: "NVIDIA H100", software: false };
    // No runtime folder can be made (it would quiet a warning): the probe goes on without one.
    assertEquals(await probeAsked("vulkan"), { probe: expected, runtimeDir: null });
    assertEquals(await probeAsked("gl"), { probe: expected, runtimeDir: null });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("probeWebgpu's private XDG_RUNTIME_DIR is there while the process runs and gone after it", async () => {
  // Every probe without XDG_RUNTIME_DIR left its folder in the temporary folder for good.
  const script = `
import { probeWebgpu } from "./lib/backend/webgpu.ts";
Object.defineProperty(navigator, "gpu", { value: ${
    gpuWith("NVIDIA H100", "", "nvidia")
  }, configurable: true });
const probe = await probeWebgpu();
const runtimeDir = Deno.env.get("XDG_RUNTIME_DIR") ?? "";
console.log(JSON.stringify({ available: probe.available, runtimeDir, there: Deno.statSync(runtimeDir).isDirectory }));
`;
  for (const exit of ["", "Deno.exit(0);"]) {
    const env = Deno.env.toObject();
    delete env.XDG_RUNTIME_DIR;
    const seen = JSON.parse(await lastLineOf(script + exit, env));
    assertEquals([seen.available, seen.there], [true, true]);
    assert(String(seen.runtimeDir).includes("demure-xdg-"), seen.runtimeDir);
    let gone = false;
    try {
      Deno.statSync(seen.runtimeDir);
    } catch (error) {
      gone = error instanceof Deno.errors.NotFound;
    }
    assert(gone, `${seen.runtimeDir} was left behind${exit ? " (Deno.exit)" : ""}`);
  }
});
