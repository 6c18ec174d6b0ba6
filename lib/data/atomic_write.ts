/**
 * Writes a set of files so that either all of them appear or none does: each is written to a
 * temporary sibling and renamed only after every write succeeded.
 */

/** One file to write: text or bytes. */
export interface FileToWrite {
  /** Target path. */
  path: string;
  /** Content: text (UTF-8) or bytes. */
  data: string | Uint8Array;
}

/**
 * Writes all files atomically (temporary path, then rename); on failure removes the temporaries
 * and rethrows, leaving earlier versions of the targets untouched.
 *
 * @example
 * ```ts
 * writeFilesAtomically([{ path: "out/items.csv", data: "movieId\n1\n" }]);
 * ```
 */
export function writeFilesAtomically(files: FileToWrite[]): void {
  const suffix = `.tmp-${Deno.pid}-${Date.now()}`;
  const written: string[] = [];
  try {
    for (const file of files) {
      const temporary = `${file.path}${suffix}`;
      written.push(temporary);
      if (typeof file.data === "string") Deno.writeTextFileSync(temporary, file.data);
      else Deno.writeFileSync(temporary, file.data);
    }
  } catch (error) {
    for (const temporary of written) {
      try {
        Deno.removeSync(temporary);
      } catch {
        // The temporary was never created: nothing to clean.
      }
    }
    throw error;
  }
  files.forEach((file, i) => Deno.renameSync(written[i], file.path));
}
