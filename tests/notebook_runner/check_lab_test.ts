/**
 * scripts/check_lab.ts apart from the browser run (the run itself is the test stage `lab-browser`,
 * a minute with Chromium and the server): its options (`--timeout` 1..3600, default 150; `--help`)
 * and how it ends before the run when it cannot run here: one line `check_lab: ...` and status 1,
 * not an uncaught exception with its stack. Found by mutation round CC.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { CHECK_LAB_USAGE, checkLabOptions } from "../../scripts/check_lab.ts";
import { UsageError } from "../../scripts/cli/options.ts";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;
const task = denoTask("check-lab");
const words = task.split(/\s+/).slice(1);

Deno.test("check_lab: --timeout is seconds in 1..3600, default 150; --help/-h asks for the usage", () => {
  assertEquals(checkLabOptions([]), { help: false, timeoutS: 150 });
  assertEquals(checkLabOptions(["--timeout", "1"]), { help: false, timeoutS: 1 });
  assertEquals(checkLabOptions(["--timeout", "3600"]), { help: false, timeoutS: 3600 });
  for (const bad of ["0", "3601", "1.5"]) {
    assertThrows(
      () => checkLabOptions(["--timeout", bad]),
      UsageError,
      `--timeout ${bad}: must be an integer in 1..3600`,
    );
  }
  assertEquals(checkLabOptions(["--help"]), { help: true });
  assertEquals(checkLabOptions(["-h", "--timeout", "0"]), { help: true });
});

Deno.test("check_lab: the --timeout default --help states is the one the parser takes", () => {
  const parsed = checkLabOptions([]);
  assert(!parsed.help);
  assertStringIncludes(CHECK_LAB_USAGE, `default ${parsed.timeoutS})`);
});

Deno.test("check_lab: --help prints the usage and exits 0, before looking for a browser or a server", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...words, "--help"],
    cwd: root,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  assertEquals(
    [output.code, decoder.decode(output.stdout), decoder.decode(output.stderr)],
    [0, `${CHECK_LAB_USAGE}\n`, ""],
  );
});

Deno.test("check_lab: a lab that cannot run here is one line and status 1, not an uncaught error", async () => {
  // A Python outside the task's --allow-run: labProblem's reason (or, without Chromium, that one).
  const output = await new Deno.Command(Deno.execPath(), {
    args: words,
    cwd: root,
    env: { DEMURE_JUPYTER_PYTHON: "/nonexistent/python3" },
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assertEquals(output.code, 1, stderr);
  assert(/^check_lab: [^\n]+\n$/.test(stderr), `one line: ${stderr}`);
  assert(
    stderr.startsWith("check_lab: cannot run /nonexistent/python3") ||
      stderr === "check_lab: no Chromium (apt-get install chromium)\n",
    stderr,
  );
});
