/**
 * The on/off settings every notebook's kernel reads from the environment it inherits
 * (`DEMURE_QUICK`: `isQuickMode`, `DEMURE_RERUN`: `ensureCellsInNotebook`), checked by the
 * process that starts the kernels. A value such as "yes" is refused by the kernel itself, but only
 * when a cell reads it: `DEMURE_QUICK=yes deno task notebooks` started a kernel for each of the
 * nine notebooks and failed each at its first cell with a traceback, and the lab served kernels
 * whose cells all failed so.
 */
import { envFlag } from "../util/env_flag.ts";

/** The variables of {@linkcode kernelFlagsProblem}. */
export const KERNEL_FLAGS = ["DEMURE_QUICK", "DEMURE_RERUN"] as const;

/**
 * Why a kernel started from this process would refuse one of {@linkcode KERNEL_FLAGS}, or
 * `undefined`. A variable that `kernelEnv` sets for the kernels (`--quick`: `DEMURE_QUICK=1`) is
 * theirs, whatever this process holds.
 *
 * @example
 * ```ts
 * const problem = kernelFlagsProblem({ DEMURE_QUICK: "1" });
 * if (problem) console.error(problem);
 * ```
 */
export function kernelFlagsProblem(kernelEnv: Record<string, string> = {}): string | undefined {
  for (const name of KERNEL_FLAGS.filter((flag) => !(flag in kernelEnv))) {
    try {
      envFlag(name);
    } catch (error) {
      return `${(error as Error).message} (read by every notebook's kernel)`;
    }
  }
  return undefined;
}

/**
 * Which of {@linkcode KERNEL_FLAGS} are on in this process's environment, and so in every kernel
 * it starts (`./run.sh lab` says so in its start message: a lab started with `DEMURE_QUICK=1`
 * serves quick pages only). Throws as `envFlag` does on a value that is neither on nor off
 * ({@linkcode kernelFlagsProblem} says which first).
 *
 * @example
 * ```ts
 * kernelFlagsOn(); // [] when neither is set, ["DEMURE_QUICK"] under DEMURE_QUICK=1
 * ```
 */
export function kernelFlagsOn(): (typeof KERNEL_FLAGS)[number][] {
  return KERNEL_FLAGS.filter((name) => envFlag(name));
}
