/**
 * Behaviour of the notebook's progress lines that a hand mutation round (session 53, mu53a)
 * changed without any test noticing. Each test names the mutant it kills.
 */
import { assertEquals } from "@std/assert";
import { createProgress, formatProgressLine } from "../../lib/notebook/progress.ts";
import { epochProgressEvent } from "../../lib/notebook/training_progress.ts";
import { epochOf } from "./_epoch_progress.ts";

// Mutant: `event.stepText !== undefined` -> `event.stepText` (an empty step text read as none).
Deno.test("formatProgressLine: an empty stepText still replaces the counter and its bar", () => {
  assertEquals(formatProgressLine("run", { step: 1, total: 2, stepText: "" }), "run ");
  assertEquals(
    formatProgressLine("run", { step: 1, total: 2, stepText: "", note: "early stop" }),
    "run  early stop",
  );
});

// Mutant: `step: progress.epoch` -> `progress.epoch - 1` in epochProgressEvent (the step is hidden
// behind stepText on the line, but it is what makes the last epoch final: a line printing every
// n-th event then held the last epoch back until done()).
Deno.test("epochProgressEvent: the step is the epoch, so the last epoch prints at once", () => {
  const event = epochProgressEvent(epochOf({ epoch: 3, maxEpochs: 3 }));
  assertEquals([event.step, event.total], [3, 3]);
  const printed: string[] = [];
  const progress = createProgress({
    label: "run",
    printEvery: 5,
    print: (line) => printed.push(line),
  });
  progress.report(event);
  assertEquals(printed.length, 1);
});
