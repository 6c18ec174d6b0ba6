/** What a folder holds, as the tests of folder making and removal compare it. */

/**
 * The entries under `dir`, sorted, each folder as `a/` followed by its own entries (`a/b/`,
 * `a/b/f`).
 */
export function tree(dir: string, prefix = ""): string[] {
  return [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1).flatMap((entry) =>
    entry.isDirectory
      ? [`${prefix}${entry.name}/`, ...tree(`${dir}/${entry.name}`, `${prefix}${entry.name}/`)]
      : [`${prefix}${entry.name}`]
  );
}
