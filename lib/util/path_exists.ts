/**
 * Whether a path exists, for the checks that decide between reading a folder and starting one.
 * Only "not found" answers no: any other failure (no permission, an I/O error) is thrown, since
 * answering no there would start afresh over a folder that may hold finished work.
 *
 * @example
 * ```ts
 * if (!pathExists("results/full/cells")) console.log("nothing stored yet");
 * ```
 */
export function pathExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * The text of the file at `path`, or undefined when there is none. As for
 * {@linkcode pathExists}, only "not found" answers none: a file that cannot be read is thrown.
 *
 * @example
 * ```ts
 * const plan = readTextIfExists("results/full/plan.json"); // undefined before the first run
 * ```
 */
export function readTextIfExists(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
