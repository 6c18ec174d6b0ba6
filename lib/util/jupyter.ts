/**
 * Access to the Deno Jupyter kernel API that also works outside the kernel: reading
 * `Deno.jupyter` throws unless the process runs under `deno jupyter`, so callers ask here first.
 */

/** The kernel's display API, as used by this workspace. */
export type JupyterApi = typeof Deno.jupyter;

/**
 * The kernel API when running inside `deno jupyter`, else `null` (terminal, tests, scripts).
 *
 * @example
 * ```ts
 * const jupyter = jupyterOrNull();
 * if (jupyter) await jupyter.display({ "text/plain": "hi" }, { raw: true });
 * else console.log("hi");
 * ```
 */
export function jupyterOrNull(): JupyterApi | null {
  try {
    return Deno.jupyter;
  } catch {
    return null;
  }
}
