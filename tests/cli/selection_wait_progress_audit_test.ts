/**
 * `reproduce --cell` waiting for a selection (scripts/cli/selection_wait.ts): over the default
 * 6 h wait, checked every 20 s, its log held a line per check (1,080 identical lines, without the
 * time waited or the limit). It now says so at the first check and every 10 minutes, with both.
 */
import { assertEquals } from "@std/assert";
import {
  SELECTION_POLL_SECONDS,
  SELECTION_WAIT_LINE_EVERY,
  selectionWaitLine,
} from "../../scripts/cli/selection_wait.ts";

const SIX_HOURS = 6 * 3600;

Deno.test("selectionWaitLine: the first check and every 10 minutes print, with time waited and the limit", () => {
  const checks = SIX_HOURS / SELECTION_POLL_SECONDS;
  assertEquals(checks, 1080);
  const lines = Array.from(
    { length: checks },
    (_, check) => selectionWaitLine("quick/x/seed=0", ["x", "y"], check, check * 20, SIX_HOURS),
  ).filter((line) => line !== null);
  // One line per 10 minutes (30 checks of 20 s), not one per check.
  assertEquals(SELECTION_WAIT_LINE_EVERY * SELECTION_POLL_SECONDS, 600);
  assertEquals(lines.length, 36);
  assertEquals(
    lines[0],
    "quick/x/seed=0: waiting for the selection of x, y (0 min waited, at most 360 min; " +
      "checked every 20 s)",
  );
  assertEquals(
    lines[1],
    "quick/x/seed=0: waiting for the selection of x, y (10 min waited, at most 360 min; " +
      "checked every 20 s)",
  );
  assertEquals(lines[35]?.includes("(350 min waited, at most 360 min;"), true);
  assertEquals(selectionWaitLine("k", ["x"], 29, 580, SIX_HOURS), null);
  // A limit that is not whole minutes is rounded up: the wait may last that long.
  assertEquals(selectionWaitLine("k", ["x"], 0, 0, 90)?.includes("at most 2 min;"), true);
});
