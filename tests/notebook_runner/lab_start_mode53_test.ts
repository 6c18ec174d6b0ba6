/**
 * `./run.sh lab`'s start message says the mode its kernels run in: started as
 * `DEMURE_QUICK=1 ./run.sh lab` it serves quick pages only, and until 2026-12-07 its message read
 * as a full-mode lab's (a reader took the quick runs for the records). The flags are read in a
 * process of their own (the suite's process must not set them).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { labStartMessage } from "../../scripts/lab.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const URL_SHOWN = "http://127.0.0.1:8888/?token=abc";

Deno.test("lab start message: quick mode says so, and that the pages are not the records", () => {
  const message = labStartMessage(URL_SHOWN, ["DEMURE_QUICK"]);
  assertStringIncludes(message, `    ${URL_SHOWN}\n`);
  assertStringIncludes(message, "Quick mode (DEMURE_QUICK=1)");
  assertStringIncludes(message, "results/quick");
  assertStringIncludes(message, "not the results of record");
  assert(!message.includes("Full mode"), message);
  assert(!message.includes("DEMURE_RERUN"), message);
  assertStringIncludes(message, "Ctrl-C stops the server");
});

Deno.test("lab start message: full mode names the records; DEMURE_RERUN is said when set", () => {
  const full = labStartMessage(URL_SHOWN, []);
  assertStringIncludes(full, "Full mode: the pages read the results of record");
  assert(!full.includes("Quick mode"), full);
  assert(!full.includes("DEMURE_RERUN=1:"), full);
  const rerun = labStartMessage(URL_SHOWN, ["DEMURE_RERUN"]);
  assertStringIncludes(rerun, "DEMURE_RERUN=1: a cell that loads missing results computes them.");
  assertStringIncludes(rerun, "Full mode");
});

Deno.test("kernelFlagsOn: the flags on in the environment the kernels inherit", async () => {
  const code = `import { kernelFlagsOn } from ${
    projectModule("lib/notebook_runner/kernel_flags.ts")
  };
console.log(JSON.stringify(kernelFlagsOn()));`;
  const off = { DEMURE_QUICK: "", DEMURE_RERUN: "0" };
  assertEquals(await evalInSubprocess<string[]>(code, off), []);
  assertEquals(await evalInSubprocess<string[]>(code, { ...off, DEMURE_QUICK: "1" }), [
    "DEMURE_QUICK",
  ]);
  assertEquals(
    await evalInSubprocess<string[]>(code, { DEMURE_QUICK: "true", DEMURE_RERUN: "1" }),
    ["DEMURE_QUICK", "DEMURE_RERUN"],
  );
});
