/**
 * `scripts/test_failures.sh`, which repeats what each failed stage of `./run.sh test` said last at
 * the end of its output (CI keeps only the end). A unit log without deno's summary line is a test
 * process that died (CI on e5077e1: the log stopped after passing tests and the report said only
 * "failed stages: unit"): the repeat must say it crashed, with the exit status and its signal.
 */
import { assert, assertStringIncludes } from "@std/assert";

const script = new URL("../../scripts/test_failures.sh", import.meta.url).pathname;

/** Writes `logs` (stage -> [log text, exit status]) into a fresh folder and runs the script. */
async function failures(logs: Record<string, [string, number]>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "test_failures_" });
  try {
    for (const [name, [text, status]] of Object.entries(logs)) {
      await Deno.writeTextFile(`${dir}/${name}.log`, text);
      await Deno.writeTextFile(`${dir}/${name}.status`, `${status}\n`);
    }
    const output = await new Deno.Command("bash", {
      args: [script, dir, ...Object.keys(logs)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(output.success, new TextDecoder().decode(output.stderr));
    return new TextDecoder().decode(output.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const PASSING = "./tests/a_test.ts => one ... \x1b[32mok\x1b[0m (1ms)\n";

Deno.test("test_failures: a unit log cut off without deno's summary is a crash, with its signal", async () => {
  const out = await failures({ unit: [PASSING, 134] });
  assertStringIncludes(
    out,
    "deno test ended without its summary, exit status 134 (signal 6): the test process crashed",
  );
  assertStringIncludes(out, "./tests/a_test.ts => one ... ok (1ms)");
});

Deno.test("test_failures: a status at or under 128 names no signal", async () => {
  const out = await failures({ unit: [PASSING, 1] });
  assertStringIncludes(out, "ended without its summary, exit status 1: the test process crashed");
});

Deno.test("test_failures: failed tests are listed from deno's ERRORS section", async () => {
  const log =
    `${PASSING} ERRORS \n\nb => fails\nerror: AssertionError\n\nFAILED | 1 passed | 1 failed\n`;
  const out = await failures({ unit: [log, 1] });
  assertStringIncludes(out, "== unit, again: the failed tests and their errors");
  assertStringIncludes(out, "error: AssertionError");
});

Deno.test("test_failures: an abort after deno's summary shows the last lines and the status", async () => {
  const log =
    `${PASSING}\nok | 1 passed | 0 failed (1s)\n\ncorrupted size vs. prev_size in fastbins\n`;
  const out = await failures({ unit: [log, 134], lint: ["error[no-unused-vars]\n", 1] });
  assertStringIncludes(out, "== unit, again: its last lines (exit status 134)");
  assertStringIncludes(out, "corrupted size vs. prev_size in fastbins");
  assertStringIncludes(out, "== lint, again: its last lines (exit status 1)");
});
