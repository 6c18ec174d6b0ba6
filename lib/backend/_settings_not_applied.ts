/**
 * What a later `initBackend` call asks for that the process's first choice does not have. The
 * choice is made once per process (tfjs has one engine), so a notebook's set-up cell edited from
 * `initBackend()` to `initBackend({ backend: "cpu" })` and run again kept wasm without a word
 * (found 2026-12-07 on the Deno kernel): the researcher believed the cell ran on cpu. The choice
 * still stands (changing the engine under live tensors and models would break them); these lines
 * say so and how to choose again.
 */
import type { BackendName } from "./backend_names.ts";

/** The settings that made a choice: what a later call is compared with. */
export interface ChoiceSettings {
  /** The backend the call asked for (`config.backend`, else `DEMURE_BACKEND`), or undefined. */
  requested: { name: BackendName; setting: string } | undefined;
  /** `BackendConfig.blas` as the call gave it (undefined: not given, OpenBLAS products on). */
  blas: boolean | undefined;
  /** `BackendConfig.hostKernels` as the call gave it (undefined: not given, host kernels on). */
  hostKernels: boolean | undefined;
}

/** The flags of {@linkcode ChoiceSettings} that shape the kernels of the `wasm` and `cpu` backends. */
const KERNEL_FLAGS = ["blas", "hostKernels"] as const;

/**
 * One line per setting of `later` that the choice made with `first` (whose backend is `chosen`)
 * does not apply, each naming the setting, its value and what the process runs instead; empty
 * when `later` asks for nothing else.
 *
 * @example
 * ```ts
 * settingsNotApplied(
 *   { requested: undefined, blas: undefined, hostKernels: undefined },
 *   { requested: { name: "cpu", setting: "BackendConfig.backend" }, blas: undefined, hostKernels: undefined },
 *   "wasm",
 * ); // ['initBackend: BackendConfig.backend "cpu" is not applied: this process already chose "wasm" ...']
 * ```
 */
export function settingsNotApplied(
  first: ChoiceSettings,
  later: ChoiceSettings,
  chosen: BackendName,
): string[] {
  const restart = "a backend is chosen once per process: in a notebook, Kernel → Restart and " +
    "run the cells again to choose another";
  const lines: string[] = [];
  if (later.requested !== undefined && later.requested.name !== chosen) {
    lines.push(
      `initBackend: ${later.requested.setting} "${later.requested.name}" is not applied: this ` +
        `process already chose "${chosen}" (${restart})`,
    );
  }
  // The flags only shape the host backends' kernels; on webgpu or tensorflow they change nothing.
  if (chosen === "wasm" || chosen === "cpu") {
    for (const flag of KERNEL_FLAGS) {
      // Only a flag the later call gives: `initBackend()` after `initBackend({ blas: false })`
      // asks for the choice made, whatever it is.
      const inForce = first[flag] !== false;
      if (later[flag] === undefined || later[flag] === inForce) continue;
      lines.push(
        `initBackend: BackendConfig.${flag} ${later[flag]} is not applied: this process ` +
          `already chose "${chosen}" with ${flag} ${inForce} (${restart})`,
      );
    }
  }
  return lines;
}
