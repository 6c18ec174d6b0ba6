/**
 * The GPU route that installs from the npm registry alone: `@tensorflow/tfjs-backend-webgpu` on
 * Deno's built-in WebGPU (`navigator.gpu`, no flag needed in Deno 2.x). On a machine without a
 * GPU, Mesa's `lavapipe` (Debian `mesa-vulkan-drivers`) still offers a software Vulkan adapter
 * ("llvmpipe"): correct, but slower than the wasm backend, so it is never chosen automatically.
 *
 * @example
 * ```ts
 * const probe = await probeWebgpu();
 * if (probe.available) await activateWebgpu();
 * else console.log(`no WebGPU: ${probe.reason}`);
 * ```
 */
import { tf } from "./tf.ts";
import { registerOrderedWebgpuSums } from "./kernels/webgpu_ordered_sums.ts";
import { registerQueuedUploads } from "./kernels/webgpu_uploads.ts";
import { registerReductionGradients } from "./kernels/reduction_gradients.ts";

/** What {@linkcode probeWebgpu} found. */
export interface WebgpuProbe {
  available: boolean;
  /** Adapter description (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)") or why there is none. */
  reason: string;
  /** True for a software adapter (lavapipe/llvmpipe, SwiftShader). */
  software: boolean;
}

const SOFTWARE_ADAPTERS = /llvmpipe|lavapipe|swiftshader|software/i;

/**
 * wgpu's Vulkan/GL probing warns when `XDG_RUNTIME_DIR` is unset (headless machines, CI, batch
 * jobs and pods): "error: XDG_RUNTIME_DIR is invalid or not set in the environment", two lines for
 * each adapter requested after the first (measured 2026-12-06 on lavapipe, Vulkan alone); point it
 * at a private temporary directory so the only output is ours. A process that may not write the
 * temporary folder (`deno task reproduce` and its Slurm and Kubernetes tasks) goes on without it:
 * the warning is cosmetic. Before, the failed `makeTempDirSync` was the probe's failure, and such a
 * task found no adapter ("requestAdapter failed: Requires write access to <TMP>") wherever
 * `XDG_RUNTIME_DIR` was unset, a GPU node's included.
 */
function ensureRuntimeDir(): void {
  if (Deno.env.get("XDG_RUNTIME_DIR")) return;
  let dir: string;
  try {
    dir = Deno.makeTempDirSync({ prefix: "demure-xdg-" });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return;
    // Deno's message names neither the folder nor its setting ("No such file or directory (os
    // error 2): tmpdir").
    throw new Error(
      "no private XDG_RUNTIME_DIR could be made in the temporary folder " +
        `(TMPDIR=${Deno.env.get("TMPDIR") ?? "unset"}): ${(error as Error).message}`,
      { cause: error },
    );
  }
  Deno.chmodSync(dir, 0o700);
  Deno.env.set("XDG_RUNTIME_DIR", dir);
  // Removed when the process ends (normally or by Deno.exit): every probe used to leave one in the
  // temporary folder (1,203 of them here on 2026-12-06, from a day of test runs).
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // Already gone, or not ours to remove any more: nothing to clean.
    }
  });
}

/** The WebGPU backends `DENO_WEBGPU_BACKEND` asks Deno's wgpu for on Linux when it is unset. */
export const LINUX_WEBGPU_BACKENDS = "vulkan";

/**
 * The value to give `DENO_WEBGPU_BACKEND` before WebGPU starts, or undefined to leave it as it is:
 * {@linkcode LINUX_WEBGPU_BACKENDS} on Linux when unset; a value the user set is theirs, and other
 * systems keep wgpu's own choice (Metal on macOS, DX12 on Windows).
 *
 * Why: wgpu starts every backend it was built with, on Linux OpenGL through EGL (libglvnd's
 * libEGL, Mesa's swrast) beside Vulkan, and those libraries free per-thread state in their
 * destructors at exit while Deno's worker threads free theirs. Measured (2026-12-05, Deno 2.9.6,
 * Mesa 22.3 lavapipe): the three webgpu test modules under `deno test --parallel` ended in a glibc
 * abort ("corrupted size vs. prev_size in fastbins") after every test had passed in 2 of 75 runs
 * (0 of 160 with Vulkan alone); both core dumps show the main thread in libEGL's or
 * libGLdispatch's destructor and a worker thread freeing its heap; one CI run of the whole suite
 * died mid-run without a message. tfjs needs compute only, which Vulkan gives on Linux (lavapipe
 * on CPUs, the vendor's driver on GPUs); with `vulkan` alone EGL is never loaded (lavapipe is the
 * same adapter).
 *
 * @example
 * ```ts
 * webgpuBackendRequest("linux", undefined); // "vulkan"
 * webgpuBackendRequest("linux", "gl"); // undefined: the user's choice stays
 * webgpuBackendRequest("darwin", undefined); // undefined
 * ```
 */
export function webgpuBackendRequest(
  os: typeof Deno.build.os,
  current: string | undefined,
): string | undefined {
  return os === "linux" && current === undefined ? LINUX_WEBGPU_BACKENDS : undefined;
}

/** Asks wgpu for {@linkcode webgpuBackendRequest}'s backends (read when WebGPU first starts). */
function ensureBackendRequest(): void {
  const request = webgpuBackendRequest(Deno.build.os, Deno.env.get("DENO_WEBGPU_BACKEND"));
  if (request !== undefined) Deno.env.set("DENO_WEBGPU_BACKEND", request);
}

/**
 * Asks Deno's WebGPU for an adapter. Never throws: the reason says what is missing.
 *
 * @example
 * ```ts
 * const { available, reason } = await probeWebgpu(); // e.g. true, "llvmpipe (LLVM 15.0.6, 256 bits) [software]"
 * ```
 */
export async function probeWebgpu(): Promise<WebgpuProbe> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (gpu === undefined) {
    return {
      available: false,
      reason: "navigator.gpu is undefined in this runtime",
      software: false,
    };
  }
  try {
    ensureRuntimeDir();
    ensureBackendRequest();
    const adapter = await gpu.requestAdapter();
    if (adapter === null) {
      return {
        available: false,
        reason: "navigator.gpu.requestAdapter() returned null (no GPU, and no Vulkan driver such " +
          "as Mesa lavapipe: apt-get install mesa-vulkan-drivers; backends asked for: " +
          `DENO_WEBGPU_BACKEND=${Deno.env.get("DENO_WEBGPU_BACKEND") ?? "unset (all)"})`,
        software: false,
      };
    }
    const info = adapter.info;
    const description = [info.description, info.device, info.vendor].find((s) => s) ?? "unnamed";
    const software = SOFTWARE_ADAPTERS.test(`${info.description} ${info.device}`);
    return {
      available: true,
      reason: `${description}${software ? " [software]" : ""}`,
      software,
    };
  } catch (error) {
    return {
      available: false,
      reason: `requestAdapter failed: ${(error as Error).message}`,
      software: false,
    };
  }
}

/**
 * Loads the tfjs WebGPU backend with its ordered sums (`kernels/webgpu_ordered_sums.ts`: same
 * seed, same numbers) and makes it current; throws with the probe's reason when there is no
 * adapter.
 *
 * @example
 * ```ts
 * await activateWebgpu(); // tf.getBackend() === "webgpu"
 * ```
 */
export async function activateWebgpu(): Promise<WebgpuProbe> {
  const probe = await probeWebgpu();
  if (!probe.available) throw new Error(`webgpu backend unavailable: ${probe.reason}`);
  // A computed specifier keeps the package out of the module graph of every other entry point.
  const specifier: string = "@tensorflow/tfjs-backend-webgpu";
  await import(specifier);
  registerOrderedWebgpuSums();
  if (!(await tf.setBackend("webgpu"))) throw new Error('tf.setBackend("webgpu") returned false');
  await tf.ready();
  // After setBackend: the upload is replaced on the backend instance, which that call creates.
  registerQueuedUploads();
  // The stock Sum and Mean gradients build a tensor of ones the size of their input on the host,
  // and each one is an upload.
  registerReductionGradients();
  return probe;
}
