/**
 * scripts/rerun_cell.ts reads its command line as every script does: `--help` prints the usage,
 * and a missing cell file is one line ending "; see --help" with exit 2, before anything runs.
 */
import { assert, assertEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";

const rerunCell = (args: readonly string[]) => runScript("scripts/rerun_cell.ts", args);

Deno.test("rerun_cell: --help prints the usage; no cell file is exit 2 pointing at --help", async () => {
  const help = await rerunCell(["--help"]);
  assertEquals([help.code, help.stderr], [0, ""]);
  assert(help.stdout.startsWith("usage: rerun_cell.ts [--write] <cell result file>"), help.stdout);
  const missing = await rerunCell([]);
  assertEquals(missing.code, 2);
  assert(missing.stderr.trimEnd().endsWith("; see --help"), missing.stderr);
});
