/**
 * Behaviour of the notebook's progress lines that a hand mutation round (session 53, mu53a)
 * changed without any test noticing. Each test names the mutant it kills.
 */
import { assertEquals } from "@std/assert";
import { formatProgressLine } from "../../lib/notebook/progress.ts";

// Mutant: `event.stepText !== undefined` -> `event.stepText` (an empty step text read as none).
Deno.test("formatProgressLine: an empty stepText still replaces the counter and its bar", () => {
  assertEquals(formatProgressLine("run", { step: 1, total: 2, stepText: "" }), "run ");
  assertEquals(
    formatProgressLine("run", { step: 1, total: 2, stepText: "", note: "early stop" }),
    "run  early stop",
  );
});
