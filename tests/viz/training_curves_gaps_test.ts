/**
 * Edges of `trainingCurves` (lib/viz/training_curves.ts) that tests/viz/builders_test.ts does not
 * reach: an explicit empty title, the figure's own copies of x and y, an infinite x, which check
 * names a NaN at the first point, the second series' fields, and the right axis's zero line.
 * Found by mutation round NB.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { trainingCurves } from "../../lib/viz/mod.ts";
import type { ScatterTrace } from "../../lib/viz/mod.ts";

Deno.test("trainingCurves: an explicit empty title or x title is kept, not replaced by the default", () => {
  // A notebook cell under its own heading asks for no title; "" is asked, not left out (NB07, NB08).
  const { layout } = trainingCurves({
    series: [{ name: "loss", x: [1, 2], y: [0.9, 0.5] }],
    title: "",
    xTitle: "",
  });
  assertEquals([layout.title?.text, layout.xaxis?.title?.text], ["", ""]);
});

Deno.test("trainingCurves: the figure holds its own copies of x and y, not the caller's arrays", () => {
  // A notebook keeps appending to its history arrays after display: the figure shown must not
  // change under it (NB05, NB06).
  const x = [1, 2];
  const y = [0.9, 0.5];
  const figure = trainingCurves({ series: [{ name: "loss", x, y }] });
  x.push(3);
  y.push(0.4);
  const [trace] = figure.data as ScatterTrace[];
  assertEquals([trace.x, trace.y], [[1, 2], [0.9, 0.5]]);
});

Deno.test("trainingCurves: an infinite x is refused by name, though it ascends", () => {
  // The ascending check alone lets Infinity through (NB09).
  assertThrows(
    () => trainingCurves({ series: [{ name: "loss", x: [1, Infinity], y: [0.9, 0.5] }] }),
    Error,
    'trainingCurves: series "loss".x[1] is Infinity, expected a finite number',
  );
});

Deno.test("trainingCurves: a NaN first x is named as not finite, not as the next point's order", () => {
  // Checked in the other order the error blamed x[1] = 1 "after NaN" (NB10).
  assertThrows(
    () => trainingCurves({ series: [{ name: "loss", x: [NaN, 1, 2], y: [1, 2, 3] }] }),
    Error,
    'trainingCurves: series "loss".x[0] is NaN, expected a finite number',
  );
});

Deno.test("trainingCurves: a later series' misspelt field or unknown axis is refused by its name", () => {
  // The first series' good fields do not excuse the second's (NB13).
  const loss = { name: "loss", x: [1, 2], y: [0.9, 0.5] };
  assertThrows(
    () =>
      trainingCurves({
        series: [loss, { name: "ndcg", x: [1, 2], y: [0.1, 0.2], axes: "right" } as never],
      }),
    Error,
    'trainingCurves: series "ndcg" has no field "axes"',
  );
  assertThrows(
    () =>
      trainingCurves({
        series: [loss, { name: "ndcg", x: [1, 2], y: [0.1, 0.2], axis: "y2" as never }],
      }),
    Error,
    'trainingCurves: series "ndcg".axis is "y2", expected one of "left", "right"',
  );
});

Deno.test("trainingCurves: the right axis draws no zero line of its own", () => {
  // A second zero line, at the right axis's 0, would cross the plot at another height than the
  // left axis's: a line that reads as data (NB12).
  const axis = trainingCurves({
    series: [
      { name: "loss", x: [1, 2], y: [8.4, 5.9] },
      { name: "valid NDCG@10", x: [1, 2], y: [-0.01, 0.08], axis: "right" },
    ],
  }).layout.yaxis2;
  assertEquals(axis?.zeroline, false);
});

Deno.test("trainingCurves: numbers given as text are refused by name, not compared as text", () => {
  // A notebook cell is not type-checked: x read from a CSV as "1", "2", "10" would be refused as
  // out of order ("10" < "2" as text) and y drawn from strings. Found by mutation round NB (NB62).
  assertThrows(
    () =>
      trainingCurves({
        series: [{ name: "loss", x: [1, 2], y: ["0.9", "0.5"] as unknown as number[] }],
      }),
    Error,
    'trainingCurves: series "loss".y[0] is 0.9, expected a finite number',
  );
  assertThrows(
    () =>
      trainingCurves({
        series: [{ name: "loss", x: ["1", "2", "10"] as unknown as number[], y: [1, 2, 3] }],
      }),
    Error,
    'trainingCurves: series "loss".x[0] is 1, expected a finite number',
  );
});
