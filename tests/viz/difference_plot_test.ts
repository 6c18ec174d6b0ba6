/** The difference plot draws the band, a zero line, the single differences and the mean. */
import { assertEquals, assertThrows } from "@std/assert";
import { differencePlot, symmetricBand, withAlpha } from "../../lib/viz/mod.ts";
import type { ScatterTrace } from "../../lib/viz/mod.ts";

const input = {
  name: "A minus B",
  x: [0.25, 0.5],
  mean: [-0.01, 0.02],
  band: { ...symmetricBand([-0.01, 0.02], [0.005, 0.01]), name: "± 1 std" },
  points: { x: [0.25, 0.5, 0.5], y: [-0.01, 0.01, 0.03], name: "one seed" },
  xTickLabels: ["0.25<br>1 seed", "0.5<br>2 seeds"],
  yTitle: "difference",
};

Deno.test("difference plot: band, zero line across x, dots and mean line, in that order", () => {
  const figure = differencePlot(input);
  const [band, zero, dots, mean] = figure.data as ScatterTrace[];
  assertEquals(band.x, [0.25, 0.5, 0.5, 0.25]);
  assertEquals(band.y, [-0.005, 0.03, 0.01, -0.015]);
  assertEquals([band.fill, band.name], ["toself", "± 1 std"]);
  assertEquals([zero.x, zero.y, zero.line?.dash], [[0.25, 0.5], [0, 0], "dash"]);
  assertEquals([dots.mode, dots.x, dots.y, dots.name], [
    "markers",
    [0.25, 0.5, 0.5],
    [-0.01, 0.01, 0.03],
    "one seed",
  ]);
  assertEquals([mean.x, mean.y, mean.name], [[0.25, 0.5], [-0.01, 0.02], "A minus B"]);
  assertEquals(figure.layout.xaxis?.tickvals, [0.25, 0.5]);
  assertEquals(figure.layout.xaxis?.ticktext, ["0.25<br>1 seed", "0.5<br>2 seeds"]);
  assertEquals(figure.layout.yaxis?.title?.text, "difference");
  // Without band and dots: the zero line and the mean only.
  const bare = differencePlot({ name: "m", x: [1], mean: [0.5] });
  assertEquals(bare.data.map((trace) => trace.name), ["0 = no difference", "m"]);
});

Deno.test("difference plot: bad input names the field", () => {
  assertThrows(() => differencePlot({ ...input, x: [] }), Error, "x is empty");
  assertThrows(() => differencePlot({ ...input, x: [0.5, 0.25] }), Error, "x must ascend");
  assertThrows(() => differencePlot({ ...input, mean: [0, NaN] }), Error, "mean[1] is NaN");
  assertThrows(
    () => differencePlot({ ...input, band: { lower: [0, 1], upper: [0, 0], name: "b" } }),
    Error,
    "band.lower[1] = 1 exceeds upper = 0",
  );
  assertThrows(
    () => differencePlot({ ...input, points: { x: [0.3], y: [0], name: "p" } }),
    Error,
    "points.x[0] = 0.3 is not one of the plot's x",
  );
  assertThrows(
    () => differencePlot({ ...input, xTickLabels: ["one"] }),
    Error,
    "xTickLabels has 1 entries, expected 2",
  );
});

Deno.test("difference plot: a repeated x is refused (x must strictly ascend)", () => {
  // Two means at one x would draw a vertical step and a band that folds back on itself.
  assertThrows(
    () => differencePlot({ name: "m", x: [0.5, 0.5], mean: [0, 0] }),
    Error,
    "x must ascend, x[1] = 0.5 follows 0.5",
  );
});

Deno.test("difference plot: the zero line spans the first to the last x; lengths are checked", () => {
  const figure = differencePlot({ name: "m", x: [1, 2, 4], mean: [0.1, -0.1, 0.2] });
  const zero = (figure.data as ScatterTrace[]).find((trace) => trace.name === "0 = no difference");
  assertEquals(zero?.x, [1, 4]);
  assertThrows(
    () => differencePlot({ name: "m", x: [1, 2], mean: [0.1] }),
    Error,
    "differencePlot: mean has 1 entries, expected 2",
  );
  assertThrows(
    () => differencePlot({ ...input, points: { x: [0.25, 0.5], y: [0.01], name: "one seed" } }),
    Error,
    "differencePlot: points.y has 1 entries, expected 2",
  );
});

Deno.test("difference plot: a non-finite x or single difference is refused by name", () => {
  // A NaN x passed the ascending check (every comparison with NaN is false) and drew nothing there.
  assertThrows(
    () => differencePlot({ name: "m", x: [0.25, Number.NaN], mean: [0, 0] }),
    Error,
    "differencePlot: x[1] is NaN, expected a finite number",
  );
  assertThrows(
    () => differencePlot({ ...input, points: { x: [0.25], y: [Number.NaN], name: "p" } }),
    Error,
    "differencePlot: points.y[0] is NaN, expected a finite number",
  );
});

Deno.test("difference plot: the title and each axis's title go where they are asked", () => {
  const figure = differencePlot({
    name: "m",
    x: [1, 2],
    mean: [0, 0.1],
    title: "Gain by noise",
    xTitle: "noise fraction",
    yTitle: "difference in NDCG@10",
  });
  assertEquals(
    [figure.layout.title, figure.layout.xaxis?.title, figure.layout.yaxis?.title],
    [{ text: "Gain by noise" }, { text: "noise fraction" }, { text: "difference in NDCG@10" }],
  );
  // Without titles: none, not the other axis's.
  const bare = differencePlot({ name: "m", x: [1], mean: [0], yTitle: "d" });
  assertEquals([bare.layout.title, bare.layout.xaxis?.title], [undefined, undefined]);
});

Deno.test("difference plot: the band and the dots are the mean line's colour; a descending x names both values", () => {
  const [band, , dots, mean] = differencePlot(input).data as ScatterTrace[];
  // A band or dots of another series' colour would read as another system's spread.
  const color = mean.line?.color as string;
  assertEquals(band.fillcolor, withAlpha(color, 0.2));
  assertEquals(dots.marker?.color, withAlpha(color, 0.55));
  assertThrows(
    () => differencePlot({ name: "m", x: [0.5, 0.25], mean: [0, 0] }),
    Error,
    "x must ascend, x[1] = 0.25 follows 0.5",
  );
});

Deno.test("difference plot: a mean at a single x shows its point (markers, not only a line)", () => {
  const traces = differencePlot({ name: "m", x: [0.5], mean: [0.01] }).data as ScatterTrace[];
  assertEquals(traces.find((trace) => trace.name === "m")?.mode, "lines+markers");
});
