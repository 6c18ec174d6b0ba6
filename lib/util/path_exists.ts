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
