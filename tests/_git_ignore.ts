/** Whether git ignores `path` (relative to the project's root; it need not exist). */
export function isIgnoredByGit(path: string): boolean {
  const { code } = new Deno.Command("git", {
    args: ["check-ignore", "-q", "--no-index", path],
    cwd: new URL("../", import.meta.url).pathname,
  }).outputSync();
  return code === 0;
}
