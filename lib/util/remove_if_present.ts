/**
 * Removes `path` with everything in it, when it is there. As for {@linkcode pathExists}
 * (path_exists.ts), only "not found" is taken as done: any other failure (no permission, an I/O
 * error) is thrown, since a folder left in place would be read again as current.
 *
 * @example
 * ```ts
 * removeIfPresent("build/old-staging"); // no error when it is gone already
 * ```
 */
export function removeIfPresent(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
