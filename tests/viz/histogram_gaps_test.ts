/**
 * histogram beyond two bins and with nothing to count (mutation round OE): every earlier test drew
 * two bins ([0, 5, 10]), so how a value finds its bin among several, which labels are half-open,
 * what an out-of-range error names as the top edge and what an empty input draws were unpinned.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { histogram } from "../../lib/viz/mod.ts";
import type { BarTrace } from "../../lib/viz/mod.ts";

function bars(values: number[], edges: number[]): { x: unknown; y: unknown } {
  const trace = histogram({ values, edges }).data[0] as BarTrace;
  return { x: trace.x, y: trace.y };
}

Deno.test("histogram: with four bins each value lands in its own bin, and only the last label is closed", () => {
  // Log-spaced history lengths, as the data notebook draws them: an inner edge belongs to the
  // bin above it, the top edge to the last bin.
  assertEquals(bars([1, 2, 3, 4, 7, 8, 15, 16], [1, 2, 4, 8, 16]), {
    x: ["[1, 2)", "[2, 4)", "[4, 8)", "[8, 16]"],
    y: [1, 2, 2, 3],
  });
});

Deno.test("histogram: no values draws every bin at zero, labelled", () => {
  // An empty selection (no user of a kind) is a figure of empty bins, not a figure without bars.
  assertEquals(bars([], [0, 1, 2]), { x: ["[0, 1)", "[1, 2]"], y: [0, 0] });
});

Deno.test("histogram: a value above the top edge names the range from the first to the last edge", () => {
  assertThrows(
    () => histogram({ values: [3, 31], edges: [0, 10, 20, 30] }),
    Error,
    "histogram: values[1] = 31 is outside [0, 30]",
  );
});

Deno.test("histogram: bad edges are named before bad values", () => {
  // The edges decide what a value is checked against: an input wrong in both is refused for its
  // edges first.
  assertThrows(
    () => histogram({ values: [Number.NaN], edges: [0, 0] }),
    Error,
    "histogram: edges must increase, edges[1] = 0",
  );
});
