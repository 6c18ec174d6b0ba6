/**
 * Chooses the compute backend once per process and says which one and why.
 *
 * Order: `tensorflow` (native TensorFlow through `@tensorflow/tfjs-node-gpu`, else
 * `@tensorflow/tfjs-node`; each imported lazily and only when installed), then `wasm`, then `cpu`.
 * `DEMURE_BACKEND` (or `config.backend`) forces one: `tensorflow`, `webgpu`, `wasm` or `cpu`.
 * `webgpu` (Deno's WebGPU; see webgpu.ts) is only used when forced: on CPU-only machines its
 * adapter is Mesa's software lavapipe, slower than wasm.
 *
 * (In a Jupyter kernel, Interrupt stops a training or an evaluation at its next step instead of
 * killing the kernel from the import of the library on, whether or not this is called:
 * lib/util/interrupt.ts.)
 *
 * @example
 * ```ts
 * import { initBackend } from "./init_backend.ts";
 * const choice = await initBackend();
 * // prints e.g. "backend: wasm + OpenBLAS and 11 faster kernels (native TensorFlow not installed, ...)"
 * ```
 */
import { BACKEND_NAMES, type BackendName } from "./backend_names.ts";
import { describeChoice } from "./_choice_line.ts";
import { tf } from "./tf.ts";
import { registerUnsortedSegmentSum } from "./kernels/unsorted_segment_sum.ts";
import { registerBlasKernels } from "./kernels/blas_matmul.ts";
import { registerHostKernels } from "./kernels/host_kernels.ts";
import { activateWebgpu, probeWebgpu } from "./webgpu.ts";
import { registerOrderedWebgpuSums } from "./kernels/webgpu_ordered_sums.ts";
import { registerQueuedUploads } from "./kernels/webgpu_uploads.ts";
import {
  checkBoolean,
  checkOneOf,
  checkSettingNames,
  type SettingNames,
} from "../util/settings.ts";
import { blasThreads } from "./blas_threads.ts";
import { blasKernelSetting } from "./blas_kernels.ts";
import { type ChoiceSettings, settingsNotApplied } from "./_settings_not_applied.ts";

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

/** Every setting of {@linkcode BackendConfig}: a misspelt one (`backnd`) ran with its default. */
const BACKEND_CONFIG_SETTINGS: SettingNames<BackendConfig> = Object.freeze({
  backend: true,
  blas: true,
  hostKernels: true,
  verbose: true,
});

const NATIVE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** The choice: pending, or made. A failed one is not kept (see `initBackend`). */
let current: Promise<BackendChoice> | undefined;
/** Why the last `initBackend` failed, until one succeeds (see `requireBackend`). */
let lastFailure: string | undefined;
/** The settings of the call that made `current`, which later calls cannot change. */
let currentSettings: ChoiceSettings | undefined;

/**
 * Throws a `SettingError` for an unknown key of `config` or a flag that is not a boolean (a string
 * `"false"` counted as on), and for the settings the choice reads from the environment
 * (`DEMURE_BACKEND`, `DEMURE_BLAS_THREADS`, `DEMURE_BLAS_KERNELS`), before anything is activated.
 */
function checkBackendSettings(config: BackendConfig): void {
  checkSettingNames("BackendConfig", config, BACKEND_CONFIG_SETTINGS);
  for (const flag of ["blas", "hostKernels", "verbose"] as const) {
    if (config[flag] !== undefined) checkBoolean(`BackendConfig.${flag}`, config[flag]);
  }
  requestedBackend(config);
  // Every cell records the thread count, whichever backend runs it (run_cell.ts).
  blasThreads();
  blasKernelSetting();
}

function requestedBackend(config: BackendConfig): BackendName | undefined {
  return requestedBy(config)?.name;
}

/** The backend `config` or the environment asks for, and the setting that gave it. */
function requestedBy(config: BackendConfig): ChoiceSettings["requested"] {
  const fromEnv = Deno.env.get("DEMURE_BACKEND");
  // Left out or undefined leaves the choice to the environment; null is a value, refused below.
  const name = config.backend !== undefined
    ? config.backend
    : (fromEnv === "" ? undefined : fromEnv);
  if (name === undefined) return undefined;
  // The setting that gave the name: a bad `config.backend` was reported as DEMURE_BACKEND's.
  const setting = config.backend !== undefined ? "BackendConfig.backend" : "DEMURE_BACKEND";
  checkOneOf(setting, name, BACKEND_NAMES);
  return { name, setting };
}

/** What `config` (checked) asks of the choice, to compare a later call with. */
function choiceSettings(config: BackendConfig): ChoiceSettings {
  return { requested: requestedBy(config), blas: config.blas, hostKernels: config.hostKernels };
}

/** The native package that now runs the "tensorflow" backend, or why none does. */
type NativeOutcome = { pkg: string } | { failures: string[] };

/**
 * Activates native TensorFlow from the first package of {@linkcode NATIVE_PACKAGES} that loads.
 * `failures` lists the packages that are installed but failed; empty: none is installed.
 */
async function tryNative(): Promise<NativeOutcome> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      // A computed specifier keeps the optional package out of the module graph (and deno check).
      const specifier: string = pkg;
      await import(specifier);
      if (await tf.setBackend("tensorflow")) return { pkg };
      failures.push(`${pkg} loaded but did not register "tensorflow"`);
    } catch (error) {
      const message = (error as Error).message.split("\n")[0];
      if (!isNotInstalled(message)) failures.push(`${pkg}: ${message}`);
    }
  }
  return { failures };
}

/** The setting that forced `backend`, as the messages name it. */
function forcedBy(config: BackendConfig, backend: BackendName): string {
  return config.backend === backend
    ? `BackendConfig.backend "${backend}"`
    : `DEMURE_BACKEND=${backend}`;
}

/**
 * Activates the forced tensorflow backend; when no package can be loaded, fails with one line that
 * names the setting, why, and what to do instead.
 */
async function activateForcedNative(config: BackendConfig): Promise<string> {
  const native = await tryNative();
  if ("pkg" in native) return `forced; native TensorFlow from ${native.pkg}`;
  const why = native.failures.length > 0
    ? native.failures.join("; ")
    : `neither ${NATIVE_PACKAGES.join(" nor ")} is installed (docs/gpu.md says how)`;
  throw new Error(
    `${forcedBy(config, "tensorflow")} forces native TensorFlow, but its package cannot be ` +
      `loaded: ${why}; unset it for the default (wasm on a CPU)`,
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
  const setting = forcedBy(config, "webgpu");
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
    reason = await activateForcedNative(config);
    backend = "tensorflow";
  } else if (forced === "webgpu") {
    reason = await activateForcedWebgpu(config);
    backend = forced;
  } else if (forced !== undefined) {
    await activate(forced);
    backend = forced;
    reason = "forced by DEMURE_BACKEND or config";
  } else {
    const native = await tryNative();
    if ("pkg" in native) {
      backend = "tensorflow";
      reason = `native TensorFlow from ${native.pkg}`;
    } else {
      const why = native.failures.length > 0
        ? native.failures.join("; ")
        : "native TensorFlow not installed, optional: see README";
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
    kernels.push(...registerWorkspaceKernels(backend, config));
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
 * Registers the workspace's kernels on the host backend `backend` (wasm or cpu), as
 * {@linkcode initBackend} does for the one it chooses: the linear `UnsortedSegmentSum`, OpenBLAS
 * products unless `blas: false`, the host kernels unless `hostKernels: false`; returns their names.
 * A benchmark that times a second host backend in one process calls it after `tf.setBackend`, so
 * that backend runs the kernels users get (one list, here, instead of one per benchmark).
 *
 * @example
 * ```ts
 * await tf.setBackend("cpu");
 * registerWorkspaceKernels("cpu"); // ["UnsortedSegmentSum(linear)", "BatchMatMul(openblas)", ...]
 * ```
 */
export function registerWorkspaceKernels(
  backend: "wasm" | "cpu",
  config: Pick<BackendConfig, "blas" | "hostKernels"> = {},
): string[] {
  registerUnsortedSegmentSum();
  const kernels = ["UnsortedSegmentSum(linear)"];
  if (config.blas !== false) kernels.push(...registerBlasKernels(backend));
  if (config.hostKernels !== false) kernels.push(...registerHostKernels(backend));
  return kernels;
}

/**
 * Initialises the backend once; later calls return the first choice (one that asks for another
 * backend, or other `blas`/`hostKernels`, prints a warning saying it is not applied). By default it tries native
 * TensorFlow (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`), then `wasm` with the
 * workspace's OpenBLAS and host kernels, then `cpu`; `DEMURE_BACKEND` or `config.backend` forces
 * one. Prints the choice and its reason once (unless `verbose: false`).
 *
 * An unknown or mistyped setting of `config`, or a bad `DEMURE_BACKEND` or `DEMURE_BLAS_THREADS`,
 * is a `SettingError`. A choice that fails (a forced backend that cannot run, a `DEMURE_OPENBLAS`
 * that cannot be loaded) is not kept: once the setting is corrected, the next call chooses again.
 */
export function initBackend(config: BackendConfig = {}): Promise<BackendChoice> {
  // Settings are checked before anything is activated or kept.
  try {
    checkBackendSettings(config);
  } catch (error) {
    return Promise.reject(error);
  }
  if (current !== undefined) {
    // A set-up cell edited and run again: its new settings are not applied; say so.
    if (currentSettings) warnOfSettingsNotApplied(current, currentSettings, choiceSettings(config));
  } else {
    const attempt = choose(config);
    current = attempt;
    currentSettings = choiceSettings(config);
    // A failed choice used to be kept, so every later call (the corrected one of a notebook
    // included) failed the same way until the kernel restarted.
    attempt.then(
      () => {
        lastFailure = undefined;
      },
      (error) => {
        if (current === attempt) current = undefined;
        lastFailure = (error as Error).message.split("\n")[0];
      },
    );
  }
  return current;
}

/**
 * Warns, once `choice` is made, of each setting of `later` that it does not apply (a set-up cell
 * edited and run again); a choice that fails says so itself, to the call that made it.
 */
function warnOfSettingsNotApplied(
  choice: Promise<BackendChoice>,
  first: ChoiceSettings,
  later: ChoiceSettings,
): void {
  choice.then(
    ({ backend }) => {
      for (const line of settingsNotApplied(first, later, backend)) console.warn(line);
    },
    () => {},
  );
}

/**
 * Throws a clear error unless a tfjs backend is active: set by {@linkcode initBackend} (awaited),
 * or by `tf.setBackend` in a test or benchmark. Called where the library starts work that needs
 * tensors (building a model, training, a cell), so that a notebook that forgot `await
 * initBackend()` does not get tfjs's "The highest priority backend 'wasm' has not yet been
 * initialized" from deep inside. It never initialises a backend itself: which one is chosen, and
 * its kernels, are `initBackend`'s decision, printed once. After an `initBackend` that failed it
 * throws too, until a later call succeeds: the failed choice may have activated a backend without
 * the kernels asked for.
 *
 * @example
 * ```ts
 * requireBackend(); // throws before `await initBackend()`
 * ```
 */
export function requireBackend(): void {
  // A failed choice may have activated a backend before it failed (e.g. wasm, then OpenBLAS
  // could not be loaded): its kernels are not the ones asked for. Also while the corrected call
  // is pending (it used to pass then, on that backend): only a success clears the failure.
  if (lastFailure !== undefined) {
    throw new Error(
      `initBackend() failed (${lastFailure}): correct that and \`await initBackend()\` again`,
    );
  }
  // tfjs names its engine's backend once one is set up (initialising a backend names it last).
  if (tf.engine().backendName != null) return;
  throw new Error(
    current === undefined
      ? "no tfjs backend yet: `await initBackend()` first (mod.ts)"
      : "no tfjs backend yet: initBackend() has not finished; `await initBackend()` first (mod.ts)",
  );
}
