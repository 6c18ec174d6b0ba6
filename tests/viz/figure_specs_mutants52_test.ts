/**
 * Gaps found by hand mutation testing (session 52) of the figure builders: each test fails on a
 * small change to the builder that a reader of the figure would see (an axis labelled by the other
 * axis's scale, a series in the wrong place), and passes on the real code.
 */
import { assertEquals } from "@std/assert";
import {
  differencePlot,
  lineWithBands,
  PALETTE,
  seriesColors,
  SYSTEM_COLORS,
  trainingCurves,
} from "../../lib/viz/mod.ts";
import { unresolvedPageReferences } from "../../lib/viz/page_references.ts";

Deno.test("lineWithBands: each axis's log ticks follow its own scale, not the other axis's", () => {
  // A log x over linear y (a sweep without tick values): the x axis labels 1, 2 and 5 of each
  // decade; the y axis gets none of that.
  const sweep = lineWithBands({
    series: [{ name: "m", x: [0.001, 0.01, 0.1], y: [0.5, 0.25, 0.125] }],
    xScale: "log",
  });
  assertEquals(sweep.layout.xaxis?.type, "log");
  assertEquals(sweep.layout.xaxis?.dtick, "D2");
  assertEquals(sweep.layout.xaxis?.minorloglabels, "complete");
  assertEquals(sweep.layout.yaxis?.dtick, undefined);
  // A linear x of whole epochs over a log y: the x axis keeps one tick per epoch, not a log
  // axis's "D2" (which on a linear axis is no step at all).
  const curve = lineWithBands({
    series: [{ name: "loss", x: [1, 2, 3], y: [100, 10, 1] }],
    yScale: "log",
  });
  assertEquals(curve.layout.xaxis?.type, "linear");
  assertEquals(curve.layout.xaxis?.tickmode, "linear");
  assertEquals(curve.layout.xaxis?.dtick, 1);
  assertEquals(curve.layout.xaxis?.minorloglabels, undefined);
  assertEquals(curve.layout.yaxis?.dtick, "D2");
});

Deno.test("trainingCurves: the right axis is drawn on the right, and hover reads every curve at an x", () => {
  const layout = trainingCurves({
    series: [
      { name: "loss", x: [1, 2], y: [8.4, 5.9] },
      { name: "valid NDCG@10", x: [1, 2], y: [0.01, 0.08], axis: "right" },
    ],
    yTitle: "loss",
    rightYTitle: "NDCG@10",
  }).layout;
  // On the left the NDCG@10 ticks lay over the loss ticks, two scales on one side.
  assertEquals(layout.yaxis2?.side, "right");
  assertEquals(layout.yaxis2?.overlaying, "y");
  // One hover box per epoch with the loss and the NDCG@10 of that epoch, not the nearest point.
  assertEquals(layout.hovermode, "x unified");
});

Deno.test("differencePlot: 0 is marked by the dashed reference line alone, not plotly's zero line too", () => {
  const figure = differencePlot({ name: "m", x: [1, 2], mean: [-0.01, 0.02] });
  assertEquals(figure.layout.yaxis?.zeroline, false);
  const zero = figure.data.find((trace) => trace.name === "0 = no difference");
  assertEquals(zero?.type === "scatter" ? zero.line?.dash : undefined, "dash");
});

Deno.test("seriesColors: with every palette colour taken by systems, another series still gets one", () => {
  // The ten systems whose colours are the whole palette, and a series that is no system.
  const systems = Object.keys(SYSTEM_COLORS).filter((name) =>
    PALETTE.includes(SYSTEM_COLORS[name])
  );
  assertEquals(systems.length, PALETTE.length);
  const colors = seriesColors([...systems, "raw", "smoothed"]);
  assertEquals(colors.slice(0, systems.length), systems.map((name) => SYSTEM_COLORS[name]));
  // No free colour is left, so the others cycle through the palette: never an undefined colour.
  assertEquals(colors.slice(systems.length), [PALETTE[0], PALETTE[1]]);
});

Deno.test("seriesColors: a series named like an object's own property is no system", () => {
  // "constructor" and "toString" are inherited names of every object, not systems: their colour
  // is a palette colour, not a function.
  assertEquals(seriesColors(["constructor", "toString (mean)"]), [PALETTE[0], PALETTE[1]]);
});

Deno.test("unresolvedPageReferences: an image button's picture beside the page is named", () => {
  // <input type="image" src> loads its picture like <img src>.
  assertEquals(unresolvedPageReferences('<input type="image" src="go.png" alt="go">'), [
    'resource beside the page: <input src="go.png">',
  ]);
});
