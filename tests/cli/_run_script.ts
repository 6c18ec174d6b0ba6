/** Runs a project script as a user would (`deno run -A <script> ...args`) and returns what it printed. */

const root = new URL("../../", import.meta.url).pathname;

/**
 * `deno run <permissions> <script> ...args` from the project root (`-A` unless given), with `env`
 * added to this process's environment: exit code, stdout and stderr. Killed after two minutes: an option that got through by mistake would start
 * minutes to hours of work.
 */
export async function runScript(
  script: string,
  args: readonly string[],
  permissions: readonly string[] = ["-A"],
  env: Record<string, string> = {},
) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, script, ...args],
    cwd: root,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
