/**
 * Rendered-page audit (VZ48): notebook 01's "Item popularity (5-core)" plot labelled its log axes
 * "5 10 2 5 100 2" upwards (plotly's small digits between powers of ten): a "2" meant 20 below
 * 100 and 200 above it. Log axes of `lineWithBands` now label each tick with its whole value.
 */
import { assertEquals } from "@std/assert";
import { lineWithBands } from "../../lib/viz/mod.ts";

Deno.test("lineWithBands: log axes label 1, 2 and 5 of each decade with their whole value", () => {
  const figure = lineWithBands({
    series: [{ name: "interactions", x: [1, 10, 100, 1000], y: [400, 100, 20, 5] }],
    xScale: "log",
    yScale: "log",
  });
  for (const axis of [figure.layout.xaxis, figure.layout.yaxis]) {
    assertEquals(axis?.type === "log" || axis?.type === undefined, true);
    assertEquals(axis?.dtick, "D2");
    assertEquals(axis?.minorloglabels, "complete");
  }
});

Deno.test("lineWithBands: linear axes and a log axis with its own tick values are left alone", () => {
  const linear = lineWithBands({ series: [{ name: "m", x: [0.1, 0.2], y: [1, 2] }] });
  assertEquals(linear.layout.xaxis?.minorloglabels, undefined);
  assertEquals(linear.layout.yaxis?.minorloglabels, undefined);
  // A sweep's own values label its ticks (04): nothing between them to label.
  const sweep = lineWithBands({
    series: [{ name: "Demure-SASRec", x: [0.02, 0.1, 0.5], y: [0.15, 0.12, 0.08] }],
    xScale: "log",
    xTickValues: [0.02, 0.1, 0.5],
  });
  assertEquals(sweep.layout.xaxis?.minorloglabels, undefined);
  assertEquals(sweep.layout.xaxis?.tickvals, [0.02, 0.1, 0.5]);
});
