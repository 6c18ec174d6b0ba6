/**
 * The shell text both cluster routes write (Slurm batch scripts, the commands of Kubernetes pods):
 * quoting, the stage's cells as a bash array a task indexes, and the `reproduce` call of a task.
 */

/** Quotes `value` for bash (single quotes). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `cells=( ... )`: the keys as a bash array, one per line, task i runs `${cells[i]}`. */
export function cellsArray(keys: readonly string[]): string {
  return ["cells=(", ...keys.map((key) => `  ${shellQuote(key)}`), ")"].join("\n");
}

/** How a task runs `scripts/reproduce.ts` (from the workspace folder). */
export interface ReproduceCall {
  /** The deno executable, as the task's shell finds it. */
  deno: string;
  /**
   * Permission flags: the reproduce task's with the results folder added (`taskPermissions`,
   * scripts/task_permissions.ts).
   */
  permissions: string[];
  /** The results folder the task reads and writes. */
  resultsDir: string;
  /** The plan's flags, passed to every call (e.g. ["--quick"]). */
  planArgs: string[];
}

/**
 * The quoted command line `deno run <permissions> scripts/reproduce.ts <args> --results <dir>
 * <plan flags>`; the argument `"$cell"` is left unquoted for the shell to expand.
 */
export function reproduceCommand(call: ReproduceCall, args: string[]): string {
  return [
    call.deno,
    "run",
    ...call.permissions,
    "scripts/reproduce.ts",
    ...args,
    "--results",
    call.resultsDir,
    ...call.planArgs,
  ].map((word) => word === '"$cell"' ? word : shellQuote(word)).join(" ");
}
