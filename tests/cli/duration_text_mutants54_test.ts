/**
 * The cost line's durations (scripts/cli/duration_text.ts, used by `reproduce --list-cells`) at
 * the edges of each unit: mutation round mu54c found `>= 7200` and `< 600` unpinned (the listing's
 * test estimates never fell on an edge).
 */
import { assertEquals } from "@std/assert";
import { durationText } from "../../scripts/cli/duration_text.ts";

Deno.test("durationText: tenths of a minute below 10 min, whole minutes below 2 h, then hours", () => {
  const cases: [number, string][] = [
    [0, "0.0 min"],
    [90, "1.5 min"],
    [599, "10.0 min"],
    [600, "10 min"],
    [629, "10 min"],
    [630, "11 min"],
    [7199, "120 min"],
    [7200, "2.0 h"],
    [9000, "2.5 h"],
  ];
  assertEquals(cases.map(([seconds]) => durationText(seconds)), cases.map(([, text]) => text));
});
