/**
 * The notebooks of a folder, in name order (the order the runner and the type check go through
 * them).
 *
 * @example
 * ```ts
 * const paths = await listNotebooks(`${projectRoot}/notebooks`); // [".../00_smoke.ipynb", ...]
 * ```
 */

/** Paths of the `.ipynb` files directly in `dir`, sorted by name. */
export async function listNotebooks(dir: string): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) paths.push(`${dir}/${entry.name}`);
  }
  return paths.sort();
}
