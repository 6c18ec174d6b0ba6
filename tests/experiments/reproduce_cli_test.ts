/**
 * The command line of `deno task reproduce`: `--help` and `-h` print the usage and exit 0; an
 * unknown option, a missing value, a stray argument or a bad value is one line naming it (no stack)
 * and exit 2.
 * Both stop before the backend or any data is loaded (each run costs about a second of CPU, to load
 * the modules).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;

/** Runs the reproduce task's command (deno.json: its permissions and script) with `args`. */
async function reproduce(...args: string[]) {
  const config = JSON.parse(Deno.readTextFileSync(`${root}deno.json`)) as {
    tasks: Record<string, string>;
  };
  const words = config.tasks.reproduce.split(/\s+/);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...words.slice(words.indexOf("run")), ...args],
    cwd: root,
    stdin: "null",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("reproduce --help and -h print the usage and exit 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await reproduce(flag);
    assertEquals(code, 0, stderr);
    assert(stdout.startsWith("Usage: deno task reproduce"), stdout);
    for (const option of ["--select", "--workers N", "--cell ID_OR_INDEX", "-h, --help"]) {
      assertStringIncludes(stdout, option);
    }
    assertStringIncludes(stdout, "SIGKILL", "says what a stopped run leaves");
  }
});

Deno.test("reproduce: a bad argument is one line naming it, then exit 2", async () => {
  const cases = [
    [["--select", "--wrokers", "2"], "reproduce: Unknown option '--wrokers'; see --help\n"],
    [["--results"], "reproduce: Option '--results <value>' argument missing; see --help\n"],
    // Bad values of known options, including those the plan range-checks.
    [["--seeds=1,x"], 'reproduce: --seeds: "x" is not an integer; see --help\n'],
    [
      ["--seeds=1,1"],
      "reproduce: plan seeds is [1, 1]; allowed: a non-empty list of distinct integers >= 0 " +
      "and < 2^31; see --help\n",
    ],
    [
      ["--first=abc"],
      'reproduce: --first: "abc" is not one of synthetic, movielens, file; see --help\n',
    ],
    [
      ["--list-cells", "--workers=2"],
      "reproduce: --workers: only for runs of many cells, not with --list-cells; see --help\n",
    ],
  ] as const;
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await reproduce(...args);
    assertEquals([code, stdout, stderr], [2, "", message], args.join(" "));
  }
});
