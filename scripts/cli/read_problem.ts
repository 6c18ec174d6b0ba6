/**
 * Why a path named on a command line cannot be read, in words for one line: checked before a
 * script starts its work, so that a typo or a path outside the task's permissions is not a
 * NotFound or NotCapable stack (a `--no-prompt` run stops with one) halfway through.
 */

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
