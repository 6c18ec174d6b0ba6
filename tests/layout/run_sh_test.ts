/**
 * `./run.sh`, the README's entry point: without a command it prints its usage (the comment block at
 * its top, not the shell code below it) and exits 2; `--help`, `-h` and `help` print the same usage
 * and exit 0; an unknown command is one line naming it, then the usage, and exit 2. None of these
 * reaches the set-up (`scripts/setup.sh`), which may install packages. `./run.sh test` hands its
 * arguments to `scripts/test_all.sh`, which takes none: `--help` prints its usage, anything else
 * is one line and exit 2, before any stage starts. So does the set-up itself (`deno task setup`).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runWithOnlyTools } from "./_run_with_only_tools.ts";

const root = new URL("../../", import.meta.url).pathname;

/**
 * Runs `bash script ...args` with a PATH of only `dirname` and `sed` (what the usage needs): a
 * set-up or a test stage that ran would write "command not found" to stderr.
 */
const runScript = (script: string, ...args: string[]) =>
  runWithOnlyTools(script, args, { cwd: root, tools: ["dirname", "sed"] });

/** `bash run.sh ...args`, as {@linkcode runScript} runs it. */
const runSh = (...args: string[]) => runScript("run.sh", ...args);

/** The usage block's lines: every command of the README's "Three commands" and the others. */
function assertIsUsage(text: string) {
  for (const command of ["reproduce", "test", "lab", "notebooks", "bench"]) {
    assertStringIncludes(text, `./run.sh ${command}`);
  }
  assertStringIncludes(text, "./run.sh reproduce --help");
  assert(!text.includes("set -euo"), `shell code printed as usage:\n${text}`);
  assert(!text.includes("setup:"), `the set-up ran:\n${text}`);
}

Deno.test("./run.sh without a command prints the usage and exits 2", async () => {
  const { code, stdout, stderr } = await runSh();
  assertEquals(code, 2, stderr);
  assertIsUsage(stdout);
});

Deno.test("./run.sh --help, -h and help print the usage and exit 0", async () => {
  for (const flag of ["--help", "-h", "help"]) {
    const { code, stdout, stderr } = await runSh(flag);
    assertEquals([code, stderr], [0, ""], flag);
    assertIsUsage(stdout);
  }
});

Deno.test("./run.sh with an unknown command names it and exits 2 before the set-up", async () => {
  const { code, stdout, stderr } = await runSh("reproduc");
  assertEquals([code, stdout], [2, ""]);
  assert(stderr.startsWith("run.sh: unknown command: reproduc\n"), stderr);
  assertIsUsage(stderr);
});

Deno.test("./run.sh test --help, and an argument to it, are answered before the set-up", async () => {
  // The set-up ran first (and, as root on a fresh machine, installed packages) for a usage line.
  const help = await runSh("test", "--help");
  assertEquals([help.code, help.stderr], [0, ""]);
  assert(help.stdout.startsWith("# The whole test suite:"), help.stdout);
  const refused = await runSh("test", "tests/data/");
  assertEquals([refused.code, refused.stdout], [2, ""]);
  assert(refused.stderr.startsWith("test_all: unexpected argument: tests/data/ ("), refused.stderr);
});

Deno.test("the test suite (./run.sh test) answers --help and refuses an argument before any stage", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await runScript("scripts/test_all.sh", flag);
    assertEquals([code, stderr], [0, ""], flag);
    assert(stdout.startsWith("# The whole test suite:"), stdout);
    assert(!stdout.includes("== fmt"), `a stage started:\n${stdout}`);
  }
  // A would-be filter or option started every stage (the quick reproduction and Slurm included).
  for (const argument of ["tests/data/", "--quick"]) {
    const { code, stdout, stderr } = await runScript("scripts/test_all.sh", argument);
    assertEquals([code, stdout], [2, ""], argument);
    assert(stderr.startsWith(`test_all: unexpected argument: ${argument} (`), stderr);
    assertEquals(stderr.trimEnd().split("\n").length, 1, stderr);
  }
});

Deno.test("the set-up (deno task setup) answers --help and refuses an argument before any step", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await runScript("scripts/setup.sh", flag);
    assertEquals([code, stderr], [0, ""], flag);
    // The usage is the script's two comment lines under the shebang, both of them.
    const usage = Deno.readTextFileSync(`${root}scripts/setup.sh`).split("\n").slice(1, 3);
    assert(usage[0].startsWith("# Idempotent set-up"), usage[0]);
    assertEquals(stdout, `${usage.join("\n")}\n`, flag);
  }
  // It ignored them: the whole set-up ran (here: "command not found" for its tools) and exit 0.
  for (const argument of ["--bogus", "--quick", "tools"]) {
    const { code, stdout, stderr } = await runScript("scripts/setup.sh", argument);
    assertEquals([code, stdout], [2, ""], argument);
    assertEquals(
      stderr,
      `setup: unexpected argument: ${argument} (the set-up takes none; -h, --help: its usage)\n`,
    );
  }
});
