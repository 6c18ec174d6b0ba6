/** formatProgressLine: a step past the total shows a full bar at 100%, a negative one an empty bar. */
import { assertEquals } from "@std/assert";
import { formatProgressLine } from "../../lib/notebook/progress.ts";

Deno.test("progress: the bar and percentage are clamped to 0..100%", () => {
  assertEquals(
    formatProgressLine("train", { step: 12, total: 10 }),
    `train 12/10 [${"#".repeat(20)}] 100%`,
  );
  assertEquals(
    formatProgressLine("train", { step: -1, total: 10 }),
    `train -1/10 [${"-".repeat(20)}] 0%`,
  );
});
