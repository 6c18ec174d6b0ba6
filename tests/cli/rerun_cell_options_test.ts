/**
 * scripts/rerun_cell.ts reads its command line as every script does: `--help` prints the usage,
 * and a missing cell file is one line ending "; see --help" with exit 2, before anything runs.
 */
import { assert, assertEquals } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;

async function rerunCell(args: readonly string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/rerun_cell.ts", ...args],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("rerun_cell: --help prints the usage; no cell file is exit 2 pointing at --help", async () => {
  const help = await rerunCell(["--help"]);
  assertEquals([help.code, help.stderr], [0, ""]);
  assert(help.stdout.startsWith("usage: rerun_cell.ts [--write] <cell result file>"), help.stdout);
  const missing = await rerunCell([]);
  assertEquals(missing.code, 2);
  assert(missing.stderr.trimEnd().endsWith("; see --help"), missing.stderr);
});
