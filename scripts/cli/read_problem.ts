/**
 * Why a path named on a command line cannot be read, in words for one line: checked before a
 * script starts its work, so that a typo or a path outside the task's permissions is not a
 * NotFound or NotCapable stack (a `--no-prompt` run stops with one) halfway through.
 */
import { UsageError } from "./options.ts";

/**
 * Why `path` cannot be read as a `kind` under this process's permissions, or `undefined` when it
 * can.
 *
 * @example
 * ```ts
 * readProblem("results/ful/report.html", "file"); // "no such file"
 * ```
 */
export function readProblem(path: string, kind: "file" | "folder"): string | undefined {
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
    return "outside the task's --allow-read (add its folder: docs/permissions.md)";
  }
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return `no such ${kind}`;
    return `cannot be read (${(error as Error).message})`;
  }
  const isKind = kind === "file" ? info.isFile : info.isDirectory;
  return isKind ? undefined : `not a ${kind}`;
}

/**
 * Refuses a `--results` folder that cannot be one: a file, or a path through a file, which a run
 * found at its first read or `mkdir` inside it ("Not a directory", a stack from the benchmark
 * scripts). A folder that does not exist yet is fine: the run makes it.
 *
 * @example
 * ```ts
 * checkResultsFolder("README.md"); // UsageError: "--results README.md: not a folder"
 * ```
 */
export function checkResultsFolder(path: string): void {
  const problem = readProblem(path, "folder");
  if (problem !== undefined && problem !== "no such folder") {
    throw new UsageError(`--results ${path}: ${problem}`);
  }
}
