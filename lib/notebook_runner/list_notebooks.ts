/**
 * The notebooks of a folder, in name order (the order the runner and the type check go through
 * them).
 *
 * @example
 * ```ts
 * const paths = await listNotebooks(`${projectRoot}/notebooks`); // [".../00_smoke.ipynb", ...]
 * ```
 */

/**
 * Paths of the `.ipynb` files directly in `dir`, sorted by name. A symbolic link to a file counts
 * as one (Jupyter lists it, and the runner skipped it without a word); a link to a folder does
 * not, and a broken link throws, naming its path.
 */
export async function listNotebooks(dir: string): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isFile || (entry.isSymlink && (await Deno.stat(path)).isFile)) paths.push(path);
  }
  return paths.sort();
}
