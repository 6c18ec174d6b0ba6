/**
 * The limit a waiting cell's line states is rounded up to whole minutes: a limit of 70 s
 * (`DEMURE_SELECTION_WAIT_S=70`) waits past the first minute, so "at most 1 min" would understate
 * it. Found by mutation round mu54d (SW4: rounding to the nearest minute said 1; the test of 90 s
 * could not tell, as 1.5 rounds up too).
 */
import { assertEquals } from "@std/assert";
import { selectionWaitLine } from "../../scripts/cli/selection_wait.ts";

Deno.test("selectionWaitLine: a limit that is not whole minutes is stated rounded up", () => {
  assertEquals(
    selectionWaitLine("k", ["x"], 0, 0, 70),
    "k: waiting for the selection of x (0 min waited, at most 2 min; checked every 20 s)",
  );
  assertEquals(selectionWaitLine("k", ["x"], 0, 0, 3601)?.includes("at most 61 min;"), true);
});
