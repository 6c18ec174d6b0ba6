/**
 * The shell text both cluster routes write (Slurm batch scripts, the commands of Kubernetes pods):
 * quoting, the stage's cells as a bash array a task indexes, and the `reproduce` call of a task.
 */

/** Quotes `value` for bash (single quotes). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(value) ? value : quoted(value);
}

function quoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Quotes `value` for bash as the first word of a command: as {@linkcode shellQuote}, and quoted
 * too where bash would take it for a variable assignment (a program `X=1` on PATH, bare, set `X`
 * and ran the next word instead).
 */
export function commandWordQuote(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(value) ? quoted(value) : shellQuote(value);
}

/** The word `reproduceCommand` leaves unquoted among its `args`: the cell of a task's index. */
export const CELL_WORD = '"$cell"';

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
 * <plan flags>`; among `args` (the route's own words), {@linkcode CELL_WORD} is left unquoted for
 * the shell to expand. The settings' words are quoted whatever they hold: a plan flag or a results
 * folder that read `"$cell"` was left bare too, and passed the cell's key instead of itself.
 */
export function reproduceCommand(call: ReproduceCall, args: string[]): string {
  return [
    commandWordQuote(call.deno),
    ...["run", ...call.permissions, "scripts/reproduce.ts"].map(shellQuote),
    ...args.map((word) => word === CELL_WORD ? word : shellQuote(word)),
    ...["--results", call.resultsDir, ...call.planArgs].map(shellQuote),
  ].join(" ");
}
