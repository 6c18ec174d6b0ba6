/**
 * Runs a project shell script with a PATH of only the named tools, for the tests of what answers
 * before the set-up: a set-up or a test stage that ran would call `dpkg-query`, `npm` or `deno`,
 * and write "command not found" to stderr. One home for the run.sh tests' runner.
 */
import { assert } from "@std/assert";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Whether `path` is a file (following links). */
function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * `bash script ...args` in `cwd`, with an environment of only PATH, a folder of links to `tools`
 * (each found in /usr/bin or /bin).
 */
export async function runWithOnlyTools(
  script: string,
  args: string[],
  options: { cwd: string; tools: string[] },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = await Deno.makeTempDir({ prefix: "run_with_only_tools_" });
  try {
    for (const tool of options.tools) {
      const found = ["/usr/bin", "/bin"].map((dir) => `${dir}/${tool}`).find(isFile);
      assert(found, `${tool} not found in /usr/bin or /bin`);
      await Deno.symlink(found, `${bin}/${tool}`);
    }
    const output = await new Deno.Command("/bin/bash", {
      args: [script, ...args],
      cwd: options.cwd,
      stdin: "null",
      env: { PATH: bin },
      clearEnv: true,
    }).output();
    return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}
