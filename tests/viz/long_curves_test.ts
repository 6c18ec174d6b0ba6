/**
 * A curve of one point per training step is long: 200 epochs of 1,500 steps is 300,000 points.
 * `countTicks` took the span with `Math.max(...values)`, one argument per point, and such a curve
 * threw "RangeError: Maximum call stack size exceeded" from inside trainingCurves, naming nothing.
 */
import { assertEquals } from "@std/assert";
import { countTicks } from "../../lib/viz/_count_ticks.ts";
import { trainingCurves } from "../../lib/viz/mod.ts";

const LONG = 300_000;

Deno.test("countTicks: a curve of 300,000 steps gets its ticks without overflowing the stack", () => {
  const steps = Array.from({ length: LONG }, (_, i) => i + 1);
  assertEquals(countTicks([steps]), {});
  // The span, not the count, decides: many points over a short span still get unit ticks.
  assertEquals(countTicks([steps.map((step) => step % 5)]), { tickmode: "linear", dtick: 1 });
});

Deno.test("trainingCurves: a per-step loss curve of 300,000 points is drawn", () => {
  const x = Array.from({ length: LONG }, (_, i) => i + 1);
  const figure = trainingCurves({
    series: [{ name: "loss", x, y: x.map((step) => 1 / step) }],
    xTitle: "step",
  });
  assertEquals(figure.layout.xaxis?.tickmode, undefined);
});
