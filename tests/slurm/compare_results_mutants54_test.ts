/**
 * scripts/slurm/compare_results.ts, mutation pass 54 (mu54a): `--help` (and `-h`) prints the usage
 * on stdout and exits 0, as asked, not the error of two missing folders (status 2); a null value
 * (JSON's NaN) is compared as itself.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { runCaptured } from "./_run.ts";
import { withoutTimings } from "../../scripts/slurm/compare_results.ts";

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

Deno.test("withoutTimings keeps a null (JSON's NaN) as it is, at any depth, and drops the timings beside it", () => {
  // Mutant mu54a C19 (null taken for an object) threw a TypeError on the first null of a cell.
  assertEquals(
    withoutTimings({ ndcg: null, runs: [null, { trainSeconds: 3, recall: null }], x: [1] }),
    { ndcg: null, runs: [null, { recall: null }], x: [1] },
  );
  assertEquals(withoutTimings(null), null);
});

Deno.test("compare_results: a third folder is refused by name (exit 2), not dropped unsaid", () => {
  // Mutant mu54a C11 (no check of a third argument) compared the first two equal folders and
  // exited 0, the third never read.
  const folders = [0, 1].map(() => {
    const dir = Deno.makeTempDirSync({ prefix: "compare_results_mutants54_" });
    Deno.mkdirSync(`${dir}/cells`);
    Deno.writeTextFileSync(`${dir}/cells/c.json`, JSON.stringify({ ndcg: 0.5 }));
    Deno.writeTextFileSync(`${dir}/summary.json`, JSON.stringify({ main: [1] }));
    return dir;
  });
  try {
    assertEquals(cli(folders[0], folders[1]).code, 0, "the two folders are equal");
    const third = cli(folders[0], folders[1], "third-folder");
    assertEquals([third.code, third.stdout], [2, ""]);
    assertEquals(third.stderr.includes('"third-folder"'), true, third.stderr);
  } finally {
    for (const dir of folders) Deno.removeSync(dir, { recursive: true });
  }
});
