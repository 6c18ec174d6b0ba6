/**
 * `scripts/reproduce.ts` run as a user would from a folder of their own (the relative paths in its
 * arguments are that folder's): the one home of the run that the records-path, report-address,
 * records-copy and outside-the-project tests each wrote out. With `inTempDir` the folder is a
 * fresh temporary one, removed afterwards, so nothing of the checkout is written.
 */
const root = new URL("../../", import.meta.url).pathname;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** What to add to the run: deno flags before the script, variables added to the environment. */
export interface ReproduceInOptions {
  /** Flags of `deno run` after `-A` (such as `--config`); none unless given. */
  denoFlags?: readonly string[];
  /** Added to this process's environment; nothing unless given. */
  env?: Record<string, string>;
}

/** `deno run -A <denoFlags> scripts/reproduce.ts ...args` in `cwd`, stdin closed: code and output. */
export async function reproduceIn(
  cwd: string,
  args: readonly string[],
  { denoFlags = [], env = {} }: ReproduceInOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...denoFlags, `${root}scripts/reproduce.ts`, ...args],
    cwd,
    env,
    stdin: "null",
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
