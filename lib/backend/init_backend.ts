/**
 * Chooses the compute backend once per process and says which one and why.
 *
 * Order: `tensorflow` (native TensorFlow through `@tensorflow/tfjs-node-gpu`, else
 * `@tensorflow/tfjs-node`; each imported lazily and only when installed), then `wasm`, then `cpu`.
 * `DEMURE_BACKEND` (or `config.backend`) forces one: `tensorflow`, `webgpu`, `wasm` or `cpu`.
 * `webgpu` (Deno's WebGPU; see webgpu.ts) is only used when forced: on CPU-only machines its
 * adapter is Mesa's software lavapipe, slower than wasm.
 *
 * In a Jupyter kernel it also installs the kernel's SIGINT listener (`installKernelInterrupt`,
 * lib/util/interrupt.ts): every notebook calls this first, and from then on Jupyter's Interrupt
 * stops a training or an evaluation at its next step instead of killing the kernel.
 *
 * @example
 * ```ts
 * import { initBackend } from "./init_backend.ts";
 * const choice = await initBackend();
 * // prints e.g. "backend: wasm + OpenBLAS and 11 faster kernels (native TensorFlow not installed, ...)"
 * ```
 */
import { BACKEND_NAMES, type BackendName } from "./backend_names.ts";
import { tf } from "./tf.ts";
import { registerUnsortedSegmentSum } from "./kernels/unsorted_segment_sum.ts";
import { registerBlasKernels } from "./kernels/blas_matmul.ts";
import { registerHostKernels } from "./kernels/host_kernels.ts";
import { activateWebgpu, probeWebgpu } from "./webgpu.ts";
import { registerOrderedWebgpuSums } from "./kernels/webgpu_ordered_sums.ts";
import { registerQueuedUploads } from "./kernels/webgpu_uploads.ts";
import { installKernelInterrupt } from "../util/interrupt.ts";
import { checkOneOf } from "../util/settings.ts";

/** Options of {@linkcode initBackend}. */
export interface BackendConfig {
  /** Force a backend; default: `DEMURE_BACKEND`, else the first that works in the order above. */
  backend?: BackendChoice["backend"];
  /** Use OpenBLAS (through Deno FFI) for matrix products on `cpu`/`wasm` when present. Default true. */
  blas?: boolean;
  /** Replace slow stock kernels (`Sum`, `GatherV2`, ...) on `cpu`/`wasm` with faster ones. Default true. */
  hostKernels?: boolean;
  /** Print the choice. Default true. */
  verbose?: boolean;
}

/** What {@linkcode initBackend} picked and why. */
export interface BackendChoice {
  /** The active tfjs backend (the names {@linkcode initBackend} and `DEMURE_BACKEND` accept). */
  backend: BackendName;
  /** Why it was chosen (requested, fallback, probe result). */
  reason: string;
  /** Extra kernels registered by this workspace, e.g. `UnsortedSegmentSum`, `BatchMatMul(openblas)`. */
  kernels: string[];
}

const NATIVE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

let current: Promise<BackendChoice> | undefined;

function requestedBackend(config: BackendConfig): BackendName | undefined {
  const fromEnv = Deno.env.get("DEMURE_BACKEND");
  const name = config.backend ?? (fromEnv === "" ? undefined : fromEnv);
  if (name === undefined) return undefined;
  // The setting that gave the name: a bad `config.backend` was reported as DEMURE_BACKEND's.
  const setting = config.backend !== undefined ? "BackendConfig.backend" : "DEMURE_BACKEND";
  checkOneOf(setting, name, BACKEND_NAMES);
  return name;
}

async function tryNative(): Promise<string | undefined> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      // A computed specifier keeps the optional package out of the module graph (and deno check).
      const specifier: string = pkg;
      await import(specifier);
      if (await tf.setBackend("tensorflow")) return pkg;
      failures.push(`${pkg} loaded but did not register "tensorflow"`);
    } catch (error) {
      const message = (error as Error).message.split("\n")[0];
      if (!isNotInstalled(message)) failures.push(`${pkg}: ${message}`);
    }
  }
  throw new Error(
    failures.length > 0
      ? failures.join("; ")
      : "native TensorFlow not installed, optional: see README",
  );
}

/**
 * True when an import error only says the package is absent. `@tensorflow/tfjs-node` counts as
 * absent when it loads but registers no "tensorflow" backend: danfojs-node's npm override installs
 * plain tfjs under that name (package.json), so tfjs then reports "Backend name 'tensorflow' not
 * found in registry", which is noise to a newcomer.
 */
function isNotInstalled(message: string): boolean {
  return /not a dependency|Cannot find (module|package)|not found in registry/.test(message);
}

/** The one start-up line: the backend, its extra kernels in short, and why it was chosen. */
function describeChoice(backend: BackendName, reason: string, kernels: string[]): string {
  const blas = kernels.some((name) => name.endsWith("(openblas)"));
  const others = kernels.filter((name) => !name.endsWith("(openblas)")).length;
  const extras = [blas ? "OpenBLAS" : "", others > 0 ? `${others} faster kernels` : ""]
    .filter((part) => part !== "").join(" and ");
  return `backend: ${backend}${extras ? ` + ${extras}` : ""} (${reason})`;
}

async function activate(name: Exclude<BackendName, "webgpu" | "tensorflow">): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend("${name}") returned false`);
  await tf.ready();
}

/**
 * Activates the forced webgpu backend; without an adapter, fails with one line that says so and
 * what to use instead (a script prints it and exits; see `scripts/reproduce.ts`).
 */
async function activateForcedWebgpu(config: BackendConfig): Promise<string> {
  const probe = await probeWebgpu();
  const setting = config.backend === "webgpu" ? 'config.backend "webgpu"' : "DEMURE_BACKEND=webgpu";
  if (!probe.available) {
    throw new Error(
      `${setting}: no WebGPU adapter (${probe.reason}); use DEMURE_BACKEND=wasm ` +
        "(the CPU backend, also the default when DEMURE_BACKEND is unset) instead",
    );
  }
  await activateWebgpu();
  return `forced by ${setting}; adapter ${probe.reason}`;
}

async function choose(config: BackendConfig): Promise<BackendChoice> {
  const forced = requestedBackend(config);
  let backend: BackendName;
  let reason: string;
  if (forced === "tensorflow") {
    const pkg = await tryNative();
    backend = "tensorflow";
    reason = `forced; native TensorFlow from ${pkg}`;
  } else if (forced === "webgpu") {
    reason = await activateForcedWebgpu(config);
    backend = forced;
  } else if (forced !== undefined) {
    await activate(forced);
    backend = forced;
    reason = "forced by DEMURE_BACKEND or config";
  } else {
    try {
      const pkg = await tryNative();
      backend = "tensorflow";
      reason = `native TensorFlow from ${pkg}`;
    } catch (nativeError) {
      const why = (nativeError as Error).message;
      try {
        await activate("wasm");
        backend = "wasm";
        reason = `${why}; wasm runs single-threaded under Deno`;
      } catch (wasmError) {
        await activate("cpu");
        backend = "cpu";
        reason = `${why}; wasm failed (${(wasmError as Error).message})`;
      }
    }
  }
  const kernels: string[] = [];
  if (backend === "wasm" || backend === "cpu") {
    registerUnsortedSegmentSum();
    kernels.push("UnsortedSegmentSum(linear)");
    if (config.blas !== false) kernels.push(...registerBlasKernels(backend));
    if (config.hostKernels !== false) kernels.push(...registerHostKernels(backend));
  }
  if (backend === "webgpu") {
    // (Registered by activateWebgpu; these calls only name them.)
    kernels.push(...registerOrderedWebgpuSums(), ...registerQueuedUploads());
    kernels.push("Mean/Sum gradients(broadcast)");
  }
  if (config.verbose !== false) {
    console.log(describeChoice(backend, reason, kernels));
  }
  return { backend, reason, kernels };
}

/**
 * Initialises the backend once; later calls return the first choice. By default it tries native
 * TensorFlow (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`), then `wasm` with the
 * workspace's OpenBLAS and host kernels, then `cpu`; `DEMURE_BACKEND` or `config.backend` forces
 * one. Prints the choice and its reason once (unless `verbose: false`). In a Jupyter kernel it also
 * makes Interrupt stop training and evaluation at their next step instead of the kernel.
 */
export function initBackend(config: BackendConfig = {}): Promise<BackendChoice> {
  installKernelInterrupt();
  // A bad name is checked before the choice is kept: it used to be kept as the rejected choice,
  // so every later call (the corrected one of a notebook included) failed the same way.
  try {
    requestedBackend(config);
  } catch (error) {
    return Promise.reject(error);
  }
  current ??= choose(config);
  return current;
}

/**
 * Throws a clear error unless a tfjs backend is active: set by {@linkcode initBackend} (awaited),
 * or by `tf.setBackend` in a test or benchmark. Called where the library starts work that needs
 * tensors (building a model, training, a cell), so that a notebook that forgot `await
 * initBackend()` does not get tfjs's "The highest priority backend 'wasm' has not yet been
 * initialized" from deep inside. It never initialises a backend itself: which one is chosen, and
 * its kernels, are `initBackend`'s decision, printed once.
 *
 * @example
 * ```ts
 * requireBackend(); // throws before `await initBackend()`
 * ```
 */
export function requireBackend(): void {
  // tfjs names its engine's backend once one is set up (initialising a backend names it last).
  if (tf.engine().backendName != null) return;
  throw new Error(
    current === undefined
      ? "no tfjs backend yet: `await initBackend()` first (mod.ts)"
      : "no tfjs backend yet: initBackend() has not finished; `await initBackend()` first (mod.ts)",
  );
}
