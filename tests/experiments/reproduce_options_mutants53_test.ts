/**
 * DEMURE_SELECTION_WAIT_S is a decimal number of seconds in 0..a week, a fraction taken: 1.5 waits
 * 1.5 s, and half a second past the week is refused like a whole one. Read in a process of its own
 * (the variable would reach the other test modules' runs). Found by mutation round mu53c (P26: a
 * pattern without the fraction refused "1.5"; P27: a bound one second late took "604800.5").
 * A run started again once is not offered the restart it will not make (P36).
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { denoTask } from "../_deno_task.ts";

const PROGRAM =
  `const { reproduceOptions } = await import(${projectModule("scripts/reproduce_options.ts")});\n` +
  'console.log(JSON.stringify(reproduceOptions(["--quick", "--list-cells"]).selectionWaitSeconds));';

Deno.test("reproduceOptions: DEMURE_SELECTION_WAIT_S takes a fraction, and refuses one past the week", async () => {
  assertEquals(await evalInSubprocess<number>(PROGRAM, { DEMURE_SELECTION_WAIT_S: "1.5" }), 1.5);
  const error = await assertRejects(() =>
    evalInSubprocess<number>(PROGRAM, { DEMURE_SELECTION_WAIT_S: "604800.5" })
  );
  assertStringIncludes(
    error.message,
    "DEMURE_SELECTION_WAIT_S=604800.5: must be a decimal number of seconds in 0..604800",
  );
});

Deno.test("reproduce: a path inside the project refused to a restarted run offers no folder outside it", async () => {
  // A run started again once does not start again (noRestart): "or one outside the project, which
  // the run adds to its permissions by itself" would send the user to a restart that never comes.
  // Found by mutation round mu53c (P36: the offer was made whenever Deno may be started).
  const words = denoTask("reproduce").split(/\s+/);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      ...words.slice(words.indexOf("run")),
      "--quick",
      "--cell=0",
      "--restarted",
      "--results=lib/out",
    ],
    cwd: new URL("../../", import.meta.url).pathname,
    stdin: "null",
  }).output();
  assertEquals(
    [output.code, new TextDecoder().decode(output.stderr)],
    [
      2,
      "reproduce: --results lib/out: this task may not write there: in the project it writes " +
      "only ./results, ./results-of-record, ./README.md (deno.json's reproduce task); give a " +
      "folder under one of those folders, as docs/permissions.md says\n",
    ],
  );
});
