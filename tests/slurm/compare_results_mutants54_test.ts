/**
 * scripts/slurm/compare_results.ts, mutation pass 54 (mu54a): `--help` (and `-h`) prints the usage
 * on stdout and exits 0, as asked, not the error of two missing folders (status 2).
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { runCaptured } from "./_run.ts";

const cli = (...args: string[]) =>
  runCaptured(Deno.execPath(), ["run", "-A", "scripts/slurm/compare_results.ts", ...args], {});

Deno.test("compare_results --help and -h print the usage on stdout and exit 0", () => {
  // Mutants mu54a C17 (--help not looked at) and C18 (exit 2 after the usage) made asking for help
  // an error: exit 2, the usage on stderr.
  const help = cli("--help");
  assertEquals([help.code, help.stderr], [0, ""]);
  assertNotEquals(help.stdout.trim(), "");
  assertEquals(cli("-h"), help);
  // The usage is the one that a missing folder prints as its error (one home).
  const missing = cli();
  assertEquals([missing.code, missing.stderr], [2, help.stdout]);
});
