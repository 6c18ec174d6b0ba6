/**
 * What the cluster routes' submission commands share: the workspace's cells as
 * `reproduce --list-cells --json` lists them (run with the reproduce task's own permissions, so that
 * the plan's flags are parsed in one place), the commands they run, and their user-facing errors.
 */
import { resolve } from "node:path";
import type { ListedCell } from "./stages.ts";
import { taskPermissions } from "../task_permissions.ts";
import type { ExperimentMode } from "../../lib/experiments/mod.ts";

/** A clear error for the user (printed without a stack). */
export class UsageError extends Error {}

/** The value of `--<option>` as an integer >= 1, or a {@linkcode UsageError} naming it. */
export function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--${option} ${text}: must be an integer >= 1`);
  }
  return value;
}

/** The plan's flags every `reproduce` call of a cluster route gets: the route's own and those after --. */
export function planArgsOf(
  values: { quick: boolean; seeds?: string },
  positionals: readonly string[],
): string[] {
  return [
    ...(values.quick ? ["--quick"] : []),
    ...(values.seeds ? ["--seeds", values.seeds] : []),
    ...positionals,
  ];
}

/** The workspace this checkout is (the folder above scripts/). */
export const workspace: string = resolve(new URL("../..", import.meta.url).pathname);

/** The plan as `reproduce --list-cells --json` describes it. */
export interface Listing {
  mode: ExperimentMode;
  resultsDir: string;
  cells: ListedCell[];
}

/**
 * Runs `command` and returns its exit code and output; a command that is not on PATH is a
 * {@linkcode UsageError} ending in `missingHint`.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; missingHint?: string } = {},
): { code: number; stdout: string; stderr: string } {
  let output: Deno.CommandOutput;
  try {
    output = new Deno.Command(command, {
      args,
      cwd: options.cwd,
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`${command} not found on PATH${options.missingHint ?? ""}`);
    }
    throw error;
  }
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Fails with a {@linkcode UsageError} ending in `hint` unless `name` is an executable on PATH. */
export function requireTool(name: string, hint: string): void {
  const found = (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${name}`).isFile;
    } catch {
      return false;
    }
  });
  if (!found) throw new UsageError(`${name} not found on PATH${hint}`);
}

/** The reproduce task's command line (deno.json: the home of its permissions). */
export function reproduceTask(): string {
  const config = JSON.parse(Deno.readTextFileSync(`${workspace}/deno.json`)) as {
    tasks: Record<string, string>;
  };
  return config.tasks.reproduce;
}

/**
 * The plan's cells and their state under `resultsDir` (default: the plan's own folder), from
 * `deno run <reproduce task's permissions> scripts/reproduce.ts --list-cells --json <planArgs>`.
 */
export function listPlanCells(
  deno: string,
  resultsDir: string | undefined,
  planArgs: string[],
): Listing {
  const args = [
    "run",
    // Run in the workspace, whose relative paths the task's permissions name.
    ...taskPermissions(reproduceTask(), resultsDir === undefined ? [] : [resultsDir]),
    "scripts/reproduce.ts",
    "--list-cells",
    "--json",
    ...(resultsDir ? ["--results", resultsDir] : []),
    ...planArgs,
  ];
  const listed = runCommand(deno, args, { cwd: workspace });
  if (listed.code !== 0) throw new UsageError(listed.stderr.trim());
  return JSON.parse(listed.stdout) as Listing;
}
