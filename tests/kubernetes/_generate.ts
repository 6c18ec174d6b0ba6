/** `deno task kubernetes` as the tests run it: the task's own command line, in the workspace. */

/** The workspace's root (no trailing slash). */
export const root: string = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
  tasks: Record<string, string>;
}).tasks.kubernetes;

/** Runs the task's command line (its flags, from deno.json) with `args`, in the workspace. */
export function generate(args: string[]): { code: number; stdout: string; stderr: string } {
  const output = new Deno.Command(Deno.execPath(), {
    args: [...task.split(/\s+/).slice(1), ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
