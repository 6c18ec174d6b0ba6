/**
 * The live progress line of one long piece of work (lib/notebook/work_progress.ts): the line's
 * view of an evaluation's users or a file's MiB, and in a terminal a line every few seconds at
 * most on stderr, none for work done sooner, so that a tool reading stdout reads only its result.
 * Events are made by hand with their seconds: no test is timed.
 */
import { assertEquals } from "@std/assert";
import { formatProgressLine } from "../../lib/notebook/progress.ts";
import { workProgress, workProgressEvent } from "../../lib/notebook/work_progress.ts";
import { MEBIBYTES, USERS, type WorkProgress } from "../../lib/util/work_progress.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

Deno.test("the line's view of work: done of all, the rate, the time so far and left", () => {
  const event = workProgressEvent({ done: 512, total: 2048, seconds: 4 }, USERS);
  assertEquals(event, {
    step: 512,
    total: 2048,
    metrics: { "users/s": 128 },
    note: "users, 4.0 s, about 12 s of it left",
  });
  assertEquals(
    formatProgressLine("evaluation (test)", event),
    "evaluation (test) 512/2048 [#####---------------] 25% users/s=128 users, 4.0 s, " +
      "about 12 s of it left",
  );
  // MiB with one decimal; the end has no time left; no time passed has no rate.
  assertEquals(
    workProgressEvent({ done: 3 * 2 ** 20, total: 3 * 2 ** 20, seconds: 2 }, MEBIBYTES),
    { step: 3, total: 3, metrics: { "MiB/s": 1.5 }, note: "MiB, 2.0 s" },
  );
  assertEquals(workProgressEvent({ done: 0, total: 9, seconds: 0 }, USERS).metrics, {});
});

Deno.test("in a terminal: a line every few seconds at most and the end, none for quick work", async () => {
  const lines: string[] = [];
  const progress = workProgress("evaluation (valid)", USERS, {
    everySeconds: 5,
    print: (line) => lines.push(line),
  });
  const events: WorkProgress[] = Array.from({ length: 12 }, (_, i) => ({
    done: 10 * (i + 1),
    total: 120,
    seconds: i + 1,
  }));
  for (const event of events) progress.onProgress(event);
  await progress.done();
  assertEquals(lines.map((line) => line.split(" ")[2]), ["50/120", "100/120", "120/120"]);
  assertEquals(
    lines.at(-1)!.endsWith("120/120 [####################] 100% users/s=10 users, 12.0 s"),
    true,
  );

  const quick: string[] = [];
  const quiet = workProgress("evaluation (test)", USERS, { print: (line) => quick.push(line) });
  for (const event of events) quiet.onProgress({ ...event, seconds: event.seconds / 10 });
  await quiet.done();
  assertEquals(quick, []);
});

Deno.test("in a terminal the lines go to stderr: stdout stays a tool's to read", async () => {
  const output = await evalInSubprocess<{ stdout: string; stderr: string }>(`
    import { workProgress } from ${projectModule("lib/notebook/work_progress.ts")};
    import { USERS } from ${projectModule("lib/util/work_progress.ts")};
    const lines = { stdout: "", stderr: "" };
    const log = console.log, error = console.error;
    console.log = (...a) => { lines.stdout += a.join(" ") + "\\n"; };
    console.error = (...a) => { lines.stderr += a.join(" ") + "\\n"; };
    const progress = workProgress("evaluation (test)", USERS, { everySeconds: 1 });
    progress.onProgress({ done: 5, total: 10, seconds: 2 });
    progress.onProgress({ done: 10, total: 10, seconds: 4 });
    await progress.done();
    console.log = log; console.error = error;
    console.log(JSON.stringify(lines));
  `);
  assertEquals(output.stdout, "");
  assertEquals(output.stderr.trimEnd().split("\n").map((line) => line.split(" ")[2]), [
    "5/10",
    "10/10",
  ]);
});
