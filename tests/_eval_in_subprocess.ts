/**
 * Runs a module's text in a process of its own (`deno eval`), for the tests whose subject reads
 * an environment variable. `deno test --parallel` runs every test file in one process: a variable
 * set there is seen by every other test running at that moment and by every program they start.
 * The child's code sets what it needs (`env` here, or `Deno.env.set` in its own text) and prints
 * what the test checks as JSON on its last line.
 */

const root = new URL("../", import.meta.url).pathname;

/** `file` (relative to the project root) as a specifier the child's code can import. */
export function projectModule(file: string): string {
  return JSON.stringify(new URL(file, `file://${root}`).href);
}

/**
 * `code` run by `deno eval` from the project root (so its import map applies), its environment
 * this process's plus `env`; its stdout's last line read as JSON. A child that exits with an
 * error is an error giving its stderr.
 */
export async function evalInSubprocess<T>(
  code: string,
  env: Record<string, string> = {},
): Promise<T> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    cwd: root,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if (!output.success) {
    throw new Error(`the child exited with status ${output.code}:\n${decode(output.stderr)}`);
  }
  const last = decode(output.stdout).trimEnd().split("\n").at(-1) ?? "";
  return JSON.parse(last) as T;
}

/**
 * The test module `file` (relative to the project root) run by `deno test -A` in a process of its
 * own, for a module whose subject changes its process's environment (lib/backend/webgpu.ts sets
 * DENO_WEBGPU_BACKEND and XDG_RUNTIME_DIR for wgpu and keeps them); its output (stdout, then
 * stderr). A child whose tests fail, or that ran none, is an error giving that output.
 */
export async function testInSubprocess(file: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    // Not type-checked again (about 6 s a module, measured 2026-12-06): `deno task typecheck`
    // checks tests/, these modules included, and the suite runs it first (scripts/test_all.sh).
    args: ["test", "-A", "--no-check", file],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const text = `${decode(output.stdout)}${decode(output.stderr)}`;
  if (!output.success) {
    throw new Error(`deno test ${file} exited with status ${output.code}:\n${text}`);
  }
  // "ok | 0 passed | 0 failed" would be a module that registered nothing: no check at all.
  if (!/^ok \| [1-9]\d* passed .*\| 0 failed/m.test(text) && !/\| [1-9]\d* ignored/.test(text)) {
    throw new Error(`deno test ${file} ran no test:\n${text}`);
  }
  return text;
}
