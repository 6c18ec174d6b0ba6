/**
 * Which backends Deno's wgpu is asked for (lib/backend/webgpu.ts, `webgpuBackendRequest`): Vulkan
 * alone on Linux unless the user chose, so that EGL's libraries, whose destructors raced Deno's
 * worker threads at exit (a glibc abort after every test had passed), are never loaded.
 */
import { assert, assertEquals } from "@std/assert";
import { LINUX_WEBGPU_BACKENDS, webgpuBackendRequest } from "../../lib/backend/webgpu.ts";

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
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", PROBE],
      cwd: new URL("../../", import.meta.url).pathname,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const text = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
    const seen = JSON.parse(text);
    assertEquals(seen.asked, "vulkan");
    if (!seen.available) {
      // No Vulkan driver here: the reason names the request, so a user can widen it.
      assert(String(seen.reason).includes("DENO_WEBGPU_BACKEND=vulkan"), seen.reason);
      return;
    }
    assertEquals(seen.egl, false, "libEGL was loaded although only Vulkan was asked for");
  },
});
