/**
 * What `probeWebgpu` and `activateWebgpu` (lib/backend/webgpu.ts) do on the paths the other webgpu
 * tests leave alone: an adapter named by its vendor alone, an empty XDG_RUNTIME_DIR, a temporary
 * folder that cannot be made for another reason than permissions, and a backend that tfjs cannot
 * start on the adapter found. Each probe runs in a process of its own with a stand-in for
 * `navigator.gpu` (the probe sets DENO_WEBGPU_BACKEND and XDG_RUNTIME_DIR and keeps them; `deno
 * test --parallel` runs every test module in one process), so no GPU or Vulkan driver is needed.
 */
import { assert, assertEquals } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

/** A `navigator.gpu` whose one adapter has these `info` fields and `rest` (a JS object body). */
const gpuWith = (info: Record<string, string>, rest = "") =>
  `{ requestAdapter: () => Promise.resolve({ info: ${JSON.stringify(info)}, ${rest} }) }`;

/** The child's prelude: imports the module and puts `gpu` (a JS expression) in navigator. */
const prelude = (gpu: string) => `
import { activateWebgpu, probeWebgpu } from ${projectModule("lib/backend/webgpu.ts")};
Object.defineProperty(navigator, "gpu", { value: ${gpu}, configurable: true });
`;

interface Probe {
  available: boolean;
  reason: string;
  software: boolean;
}

Deno.test("probeWebgpu names an adapter that has only a vendor by the vendor, not 'unnamed'", async () => {
  const gpu = gpuWith({ description: "", device: "", vendor: "nvidia" });
  const probe = await evalInSubprocess<Probe>(
    `${prelude(gpu)}console.log(JSON.stringify(await probeWebgpu()));`,
    { DENO_WEBGPU_BACKEND: "vulkan", XDG_RUNTIME_DIR: "/nonexistent/runtime" },
  );
  assertEquals(probe, { available: true, reason: "nvidia", software: false });
});

Deno.test("probeWebgpu: an empty XDG_RUNTIME_DIR is unset; the private one made is the owner's alone (0700)", async () => {
  // wgpu's warning is for an unset or invalid folder: "" is no folder, so it gets a private one,
  // and XDG's rules want it readable by its owner only.
  const seen = await evalInSubprocess<{ probe: Probe; dir: string; mode: number }>(
    `${prelude(gpuWith({ description: "NVIDIA H100", device: "", vendor: "" }))}
const probe = await probeWebgpu();
const dir = Deno.env.get("XDG_RUNTIME_DIR") ?? "";
console.log(JSON.stringify({ probe, dir, mode: dir === "" ? -1 : Deno.statSync(dir).mode & 0o777 }));`,
    { DENO_WEBGPU_BACKEND: "vulkan", XDG_RUNTIME_DIR: "" },
  );
  assertEquals(seen.probe.available, true);
  assert(seen.dir.includes("demure-xdg-"), `XDG_RUNTIME_DIR is ${JSON.stringify(seen.dir)}`);
  assertEquals(seen.mode.toString(8), "700");
});

Deno.test("probeWebgpu: a runtime folder that cannot be made (no such TMPDIR) is the reason, named", async () => {
  // Only a missing permission is passed over (the warning it would quiet is cosmetic); any other
  // failure is said, with what failed, not swallowed.
  const probe = await evalInSubprocess<Probe>(
    `${prelude(gpuWith({ description: "NVIDIA H100", device: "", vendor: "" }))}
console.log(JSON.stringify(await probeWebgpu()));`,
    { DENO_WEBGPU_BACKEND: "vulkan", XDG_RUNTIME_DIR: "", TMPDIR: "/nonexistent/demure-tmp" },
  );
  assertEquals(probe.available, false);
  assert(probe.reason.startsWith("requestAdapter failed: "), probe.reason);
  assert(
    probe.reason.includes(
      "XDG_RUNTIME_DIR could be made in the temporary folder " +
        "(TMPDIR=/nonexistent/demure-tmp): ",
    ),
    probe.reason,
  );
});

Deno.test("activateWebgpu: an adapter tfjs cannot start a device on is refused, naming setBackend", async () => {
  // The probe finds the adapter; tfjs-backend-webgpu's own requestDevice then fails, and its
  // setBackend says false instead of throwing.
  const gpu = gpuWith(
    { description: "stand-in", device: "", vendor: "" },
    'features: new Set(), limits: {}, requestDevice: () => Promise.reject(new Error("no device"))',
  );
  const seen = await evalInSubprocess<{ message: string }>(
    `${prelude(gpu)}
console.warn = () => {};
let message = "activated";
try {
  await activateWebgpu();
} catch (error) {
  message = error.message;
}
console.log(JSON.stringify({ message }));`,
    { DENO_WEBGPU_BACKEND: "vulkan", XDG_RUNTIME_DIR: "/nonexistent/runtime" },
  );
  assertEquals(seen.message, 'tf.setBackend("webgpu") returned false');
});
