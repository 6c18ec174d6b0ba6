/**
 * A project-local Jupyter kernelspec for the Deno kernel, found through `JUPYTER_PATH`, so that
 * executing notebooks never depends on (or writes to) the user's `~/.local/share/jupyter`.
 */

import { makeFolders, writeFilesAtomically } from "../data/atomic_write.ts";
import {
  checkOptionalText,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

/** Where the kernelspec lives and what to put in `JUPYTER_PATH`. */
export interface DenoKernelspec {
  /** Kernel name notebooks refer to in `metadata.kernelspec.name`. */
  kernelName: string;
  /** Directory to prepend to `JUPYTER_PATH` (it holds `kernels/<name>/kernel.json`). */
  jupyterPath: string;
  /** Absolute path of the written `kernel.json`. */
  kernelJsonPath: string;
  /** True when the file was (re)written, false when it already had this content. */
  changed: boolean;
}

/** Options for {@linkcode ensureDenoKernelspec}. */
export interface KernelspecConfig {
  /** Project root; the spec goes to `<root>/.jupyter` (gitignored). */
  projectRoot: string;
  /** Absolute path of the deno binary the kernel runs. Default: `Deno.execPath()`. */
  denoPath?: string;
  /** Kernel name: letters, digits, `.`, `_` and `-`. Default: `"deno"`, the name `deno jupyter --install` uses. */
  kernelName?: string;
}

/**
 * The names Jupyter accepts for a kernelspec (jupyter_client's `_kernel_name_pat`, case
 * ignored). The name is also a folder under `kernels/`: an empty one wrote the spec as
 * `kernels/kernel.json`, where no kernel is looked for, and one with a `/` wrote it elsewhere.
 */
const KERNEL_NAME = /^[a-z0-9._-]+$/i;

/** The names of {@linkcode KernelspecConfig}, as its siblings NotebookRunnerConfig and LabServerConfig. */
const KERNELSPEC_CONFIG_NAMES: SettingNames<KernelspecConfig> = Object.freeze({
  projectRoot: true,
  denoPath: true,
  kernelName: true,
});

/**
 * Throws a `SettingError` for an unknown name or a setting that is not a text, before anything is
 * written: a null `kernelName` or `denoPath` wrote the default spec ("deno", this Deno), and a
 * `projectRoot` of null or 1 wrote it under a folder named so.
 */
function checkKernelspecConfig(config: KernelspecConfig): void {
  checkSettingNames("KernelspecConfig", config, KERNELSPEC_CONFIG_NAMES);
  const root: unknown = config.projectRoot;
  if (typeof root !== "string") {
    throw new SettingError("KernelspecConfig.projectRoot", root, "a text");
  }
  checkOptionalText("KernelspecConfig.denoPath", config.denoPath);
  checkOptionalText("KernelspecConfig.kernelName", config.kernelName);
}

/**
 * Write (or leave as is, when identical) `<root>/.jupyter/kernels/<name>/kernel.json` with
 * argv `[deno, "jupyter", "--kernel", "--conn", "{connection_file}"]` and `interrupt_mode`
 * `"signal"` (Jupyter's Interrupt is SIGINT, see lib/util/interrupt.ts). Idempotent; written
 * atomically (the old spec or the whole new one; no temporary left when the write fails).
 *
 * @example
 * ```ts
 * const spec = await ensureDenoKernelspec({ projectRoot: Deno.cwd() });
 * // run jupyter with env JUPYTER_PATH=spec.jupyterPath
 * ```
 */
export async function ensureDenoKernelspec(config: KernelspecConfig): Promise<DenoKernelspec> {
  checkKernelspecConfig(config);
  const kernelName = config.kernelName ?? "deno";
  if (!KERNEL_NAME.test(kernelName) || kernelName === "." || kernelName === "..") {
    throw new Error(
      `ensureDenoKernelspec: kernelName ${JSON.stringify(kernelName)} is no kernel name: ` +
        "letters, digits, '.', '_' and '-' only (Jupyter's rule), and not '.' or '..'",
    );
  }
  const denoPath = config.denoPath ?? Deno.execPath();
  const jupyterPath = `${config.projectRoot}/.jupyter`;
  const kernelDir = `${jupyterPath}/kernels/${kernelName}`;
  const kernelJsonPath = `${kernelDir}/kernel.json`;
  const spec = {
    argv: [denoPath, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
    // Jupyter's Interrupt as SIGINT, which the library answers by stopping its loops between two
    // steps (lib/util/interrupt.ts). Not "message": Deno then terminates the running code wherever
    // it is, which left tfjs's engine unusable and the cell's claim held (measured 2026-12-02).
    interrupt_mode: "signal",
  };
  const text = JSON.stringify(spec, null, 2) + "\n";
  let existing: string | null = null;
  try {
    existing = await Deno.readTextFile(kernelJsonPath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (existing === text) return { kernelName, jupyterPath, kernelJsonPath, changed: false };
  const removeMade = makeFolders(kernelDir);
  // The project's atomic write: a plain temporary-then-rename left `kernel.json.<pid>.tmp` when
  // the write was cut short (a full disk).
  try {
    writeFilesAtomically([{ path: kernelJsonPath, data: text }]);
  } catch (error) {
    removeMade();
    // An open's message names the temporary only; a write cut short starts with kernel.json's
    // path already (writeFilesAtomically).
    const message = (error as Error).message;
    const named = message.startsWith(`${kernelJsonPath}: `)
      ? message
      : `${kernelJsonPath}: ${message}`;
    throw new Error(`ensureDenoKernelspec: ${named}`, { cause: error });
  }
  return { kernelName, jupyterPath, kernelJsonPath, changed: true };
}
