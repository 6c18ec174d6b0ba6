import { assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import {
  contributionHeatmap,
  groupedBars,
  histogram,
  lineWithBands,
  PALETTE,
  seriesColor,
  symmetricBand,
  trainingCurves,
  withAlpha,
} from "../../lib/viz/mod.ts";
import type { BarTrace, HeatmapTrace, ScatterTrace } from "../../lib/viz/mod.ts";
import { assertLength, assertPositiveOnLogAxis } from "../../lib/viz/_validate.ts";

Deno.test("heatmap: [position, modality] values become z[modality][position]", () => {
  const figure = contributionHeatmap({
    values: [0.1, -0.2, 0.3, 0.0, 0.5, 0.4],
    numPositions: 3,
    modalityNames: ["id", "text"],
  });
  const trace = figure.data[0] as HeatmapTrace;
  assertEquals(trace.z, [[0.1, 0.3, 0.5], [-0.2, 0.0, 0.4]]);
  assertEquals(trace.x, ["t-2", "t-1", "t-0"]);
  assertEquals(trace.y, ["id", "text"]);
  // A negative value makes the scale diverging around zero.
  assertEquals(trace.zmid, 0);
});

Deno.test("heatmap: titles stay distinct when an item repeats; non-negative uses Viridis", () => {
  const trace = contributionHeatmap({
    values: [1, 2, 3, 4],
    numPositions: 2,
    modalityNames: ["id", "text"],
    positionLabels: ["Heat", "Heat"],
  }).data[0] as HeatmapTrace;
  assertEquals(trace.x, ["1. Heat", "2. Heat"]);
  assertEquals(trace.colorscale, "Viridis");
  assertEquals(trace.zmid, undefined);
});

Deno.test("heatmap: bad input names the field", () => {
  assertThrows(
    () => contributionHeatmap({ values: [1, 2, 3], numPositions: 2, modalityNames: ["a", "b"] }),
    Error,
    "values has 3 entries, expected 4",
  );
  assertThrows(
    () => contributionHeatmap({ values: [1, NaN], numPositions: 1, modalityNames: ["a", "b"] }),
    Error,
    "values[1] is NaN",
  );
  assertThrows(
    () => contributionHeatmap({ values: [], numPositions: 0, modalityNames: ["a"] }),
    Error,
    "numPositions must be a positive integer, got 0",
  );
});

Deno.test("heatmap: padding positions neither show nor set the colour scale", () => {
  // Position 0 is padding, with values that would make the scale signed and its top 100.
  const trace = contributionHeatmap({
    values: [-5, 100, 0.2, 0.4],
    valid: [0, 0, 1, 1],
    numPositions: 2,
    modalityNames: ["id", "text"],
  }).data[0] as HeatmapTrace;
  assertEquals(trace.z, [[null, 0.2], [null, 0.4]]);
  assertEquals([trace.colorscale, trace.zmin, trace.zmax], ["Viridis", 0, 0.4]);
});

Deno.test("epoch axes: a short run gets one tick per epoch, never a half epoch", () => {
  // A quick-mode run of 3 epochs drew ticks at 1, 1.5, 2, 2.5, 3 (plotly's step for that span).
  const curves = (x: number[]) =>
    trainingCurves({ series: [{ name: "loss", x, y: x.map((e) => 1 / e) }] }).layout.xaxis;
  assertEquals(curves([1, 2, 3])?.tickmode, "linear");
  assertEquals(curves([1, 2, 3])?.dtick, 1);
  // Long runs keep plotly's own (whole) steps; fractional x (steps of a sweep) is left alone.
  assertEquals(curves(Array.from({ length: 113 }, (_, i) => i + 1))?.dtick, undefined);
  // The axis spans every series: a short first one does not give a long one unit ticks.
  const long = Array.from({ length: 40 }, (_, i) => i + 1);
  const twoRuns = trainingCurves({
    series: [{ name: "short", x: [1, 2], y: [1, 1] }, { name: "long", x: long, y: long }],
  });
  assertEquals(twoRuns.layout.xaxis?.dtick, undefined);
  const bands = (x: number[]) =>
    lineWithBands({ series: [{ name: "m", x, y: x.map(() => 0.1) }] }).layout.xaxis;
  assertEquals(bands([1, 2, 3, 4])?.dtick, 1);
  assertEquals(bands([0.25, 0.5, 0.75])?.dtick, undefined);
  assertEquals(bands([0.25, 0.5, 0.75])?.tickmode, undefined);
});

Deno.test("log axes: only 1, 2 and 5 of each decade are labelled, not every digit", () => {
  const figure = lineWithBands({
    series: [{ name: "interactions", x: [1, 10, 100, 1000], y: [400, 100, 20, 5] }],
    xScale: "log",
    yScale: "log",
  });
  assertEquals(figure.layout.xaxis?.dtick, "D2");
  assertEquals(figure.layout.yaxis?.dtick, "D2");
  const linear = lineWithBands({ series: [{ name: "m", x: [0.1, 0.2], y: [1, 2] }] });
  assertEquals(linear.layout.yaxis?.dtick, undefined);
});

Deno.test("training curves: right-axis series go to y2 and add the overlaying axis", () => {
  const figure = trainingCurves({
    series: [
      { name: "loss", x: [1, 2], y: [0.9, 0.5] },
      { name: "ndcg", x: [1, 2], y: [0.1, 0.2], axis: "right" },
    ],
  });
  assertEquals((figure.data as ScatterTrace[]).map((trace) => trace.yaxis), ["y", "y2"]);
  assertEquals(figure.layout.yaxis2?.overlaying, "y");
  assertEquals(
    trainingCurves({ series: [{ name: "a", x: [1], y: [1] }] }).layout.yaxis2,
    undefined,
  );
  assertThrows(
    () => trainingCurves({ series: [{ name: "loss", x: [1, 2], y: [1] }] }),
    Error,
    'series "loss".y has 1 entries, expected 2',
  );
});

Deno.test("grouped bars: one trace per series with error bars; negative error rejected", () => {
  const figure = groupedBars({
    categories: ["HR@10", "NDCG@10"],
    series: [
      { name: "A", values: [0.1, 0.05], errors: [0.01, 0.002] },
      { name: "B", values: [0.2, 0.1] },
    ],
  });
  assertEquals(figure.layout.barmode, "group");
  assertEquals(figure.data.length, 2);
  const [withErrors, withoutErrors] = figure.data;
  assertEquals(withErrors.type === "bar" ? withErrors.error_y?.array : null, [0.01, 0.002]);
  assertEquals(withoutErrors.type === "bar" ? withoutErrors.error_y : null, undefined);
  assertThrows(
    () => groupedBars({ categories: ["x"], series: [{ name: "A", values: [1], errors: [-0.1] }] }),
    Error,
    'series "A".errors[0] is -0.1',
  );
});

Deno.test("grouped bars: a single series keeps its legend entry (whose bars these are)", () => {
  const figure = groupedBars({
    categories: ["NDCG@10", "HR@10"],
    series: [{ name: "SASRec-MM (1 seed)", values: [0.0035, 0.0089] }],
  });
  assertEquals(figure.data.length, 1);
  assertEquals(figure.layout.showlegend, true);
});

Deno.test("grouped bars: null is a declared gap (no bar), NaN is refused", () => {
  const figure = groupedBars({
    categories: ["0-5 (0 users: no bar)", "6-20"],
    series: [{ name: "A", values: [null, 0.05], errors: [null, 0.01] }],
  });
  const [trace] = figure.data;
  assertEquals(trace.type === "bar" ? [trace.y, trace.error_y?.array] : null, [
    [null, 0.05],
    [null, 0.01],
  ]);
  // A NaN is a value lost by accident: it must not become a gap without a word.
  assertThrows(
    () => groupedBars({ categories: ["x"], series: [{ name: "A", values: [Number.NaN] }] }),
    Error,
    'series "A".values[0] is NaN',
  );
  assertThrows(
    () =>
      groupedBars({ categories: ["x"], series: [{ name: "A", values: [null], errors: [0.1] }] }),
    Error,
    'series "A".errors[0] is 0.1 where the value is null: an error bar needs its bar',
  );
});

Deno.test("grouped bars: a null error under a bar draws that bar without an error bar", () => {
  // plotly.js reads a null error as 0 (a flat whisker): the bars without one go into a second
  // trace in the same slot, colour and legend group, without a legend entry of its own.
  const figure = groupedBars({
    categories: ["Pop", "SASRec", "none"],
    series: [
      { name: "A", values: [0.1, 0.2, null], errors: [null, 0.01, null] },
      { name: "B", values: [0.3, 0.4, 0.5], errors: [0.02, 0.03, 0.04] },
    ],
  });
  const traces = figure.data as BarTrace[];
  assertEquals(
    traces.map((t) => [t.name, t.y, t.error_y?.array, t.offsetgroup, t.legendgroup, t.showlegend]),
    [
      ["A", [null, 0.2, null], [null, 0.01, null], "series 0", "series 0", undefined],
      ["A", [0.1, null, null], undefined, "series 0", "series 0", false],
      ["B", [0.3, 0.4, 0.5], [0.02, 0.03, 0.04], "series 1", undefined, undefined],
    ],
  );
  assertEquals(traces[0].marker, traces[1].marker);
  // Every error null: one trace, no error bars at all.
  const bare = groupedBars({
    categories: ["Pop"],
    series: [{ name: "A", values: [0.1], errors: [null] }],
  });
  assertEquals(bare.data.length, 1);
  assertEquals((bare.data[0] as BarTrace).error_y, undefined);
});

Deno.test("line with bands: band polygon runs along upper then back along lower", () => {
  const band = symmetricBand([1, 2, 3], [0.5, 0.5, 1]);
  assertEquals(band, { lower: [0.5, 1.5, 2], upper: [1.5, 2.5, 4] });
  const figure = lineWithBands({ series: [{ name: "m", x: [10, 20, 30], y: [1, 2, 3], band }] });
  const [polygon, line] = figure.data as ScatterTrace[];
  assertEquals(polygon.x, [10, 20, 30, 30, 20, 10]);
  assertEquals(polygon.y, [1.5, 2.5, 4, 2, 1.5, 0.5]);
  assertEquals(polygon.fill, "toself");
  assertEquals(polygon.showlegend, false);
  assertEquals(line.y, [1, 2, 3]);
  assertEquals(polygon.fillcolor, withAlpha(line.line?.color ?? "", 0.2));
  assertThrows(
    () =>
      lineWithBands({
        series: [{ name: "m", x: [1], y: [1], band: { lower: [2], upper: [1] } }],
      }),
    Error,
    "band.lower[0] = 2 exceeds upper = 1",
  );
});

Deno.test("line with bands: error bars on the line's points; negative or missing ones rejected", () => {
  const figure = lineWithBands({
    series: [
      { name: "m", x: [0.1, 0.3], y: [1, 2], errors: [0.2, 0] },
      { name: "n", x: [0.1, 0.3], y: [1, 2] },
    ],
  });
  const [withErrors, without] = figure.data as ScatterTrace[];
  assertEquals(withErrors.error_y, { type: "data", array: [0.2, 0], visible: true });
  assertEquals(without.error_y, undefined);
  assertThrows(
    () => lineWithBands({ series: [{ name: "m", x: [1], y: [1], errors: [-0.1] }] }),
    Error,
    'series "m".errors[0] is -0.1',
  );
  assertThrows(
    () => lineWithBands({ series: [{ name: "m", x: [1, 2], y: [1, 2], errors: [0.1] }] }),
    Error,
    'series "m".errors has 1 entries, expected 2',
  );
});

Deno.test("line with bands: a value at or below 0 on a log axis is refused by name", () => {
  const series = (x: number[], y: number[], band?: { lower: number[]; upper: number[] }) => ({
    series: [{ name: "m", x, y, ...(band ? { band } : {}) }],
  });
  assertThrows(
    () => lineWithBands({ ...series([0, 1], [1, 2]), xScale: "log" }),
    Error,
    'lineWithBands: series "m".x[0] is 0, expected above 0 on a log axis',
  );
  assertThrows(
    () => lineWithBands({ ...series([1, 2], [1, -2]), yScale: "log" }),
    Error,
    'series "m".y[1] is -2',
  );
  assertThrows(
    () =>
      lineWithBands({
        ...series([1, 2], [1, 2], { lower: [0.5, 0], upper: [1.5, 3] }),
        yScale: "log",
      }),
    Error,
    'series "m".band.lower[1] is 0',
  );
  // On linear axes the same values draw.
  lineWithBands(series([0, 1], [1, -2]));
});

Deno.test("line with bands: log axes, ticks at given values, a marked point ringed in its colour", () => {
  const figure = lineWithBands({
    series: [{
      name: "m",
      x: [0.005, 0.02, 0.1],
      y: [3, 2, 1],
      errors: [0.1, 0.1, 0.1],
      marked: { name: "selected value", x: [0.02] },
    }],
    xScale: "log",
    yScale: "log",
    xTickValues: [0.005, 0.02, 0.1],
  });
  assertEquals(figure.layout.xaxis?.type, "log");
  assertEquals(figure.layout.yaxis?.type, "log");
  assertEquals(figure.layout.xaxis?.tickmode, "array");
  assertEquals(figure.layout.xaxis?.tickvals, [0.005, 0.02, 0.1]);
  const [line, mark] = figure.data as ScatterTrace[];
  assertEquals([mark.name, mark.mode, mark.x, mark.y], ["selected value", "markers", [0.02], [2]]);
  assertEquals(mark.marker?.symbol, "circle-open");
  assertEquals(mark.marker?.line?.color, line.line?.color);
  // Defaults: linear axes, plotly's own ticks, no mark.
  const plain = lineWithBands({ series: [{ name: "m", x: [1, 2], y: [1, 2] }] });
  assertEquals(plain.data.length, 1);
  assertEquals(plain.layout.xaxis?.type, "linear");
  assertEquals(plain.layout.yaxis?.type, undefined);
  assertEquals(plain.layout.xaxis?.tickvals, undefined);
  assertThrows(
    () =>
      lineWithBands({
        series: [{ name: "m", x: [1, 2], y: [1, 2], marked: { name: "s", x: [3] } }],
      }),
    Error,
    'series "m".marked.x 3 is not one of the series\' x',
  );
});

Deno.test("palette: withAlpha converts hex and rejects other forms", () => {
  assertEquals(withAlpha("#ff8000", 0.5), "rgba(255,128,0,0.5)");
  assertThrows(() => withAlpha("red", 0.5), Error, "expected a #rrggbb colour");
  // Eight digits (#rrggbbaa) is not #rrggbb: its alpha pair was dropped without a word.
  assertThrows(
    () => withAlpha("#ff800080", 0.5),
    Error,
    'withAlpha: expected a #rrggbb colour, got "#ff800080"',
  );
});

Deno.test("palette: withAlpha refuses an alpha outside [0, 1] or NaN, naming it", () => {
  assertEquals(withAlpha("#ff8000", 0), "rgba(255,128,0,0)");
  assertEquals(withAlpha("#ff8000", 1), "rgba(255,128,0,1)");
  for (const alpha of [-0.1, 1.5, NaN, Infinity]) {
    assertThrows(
      () => withAlpha("#ff8000", alpha),
      RangeError,
      `withAlpha: alpha must be in [0, 1], got ${alpha}`,
    );
  }
});

Deno.test("palette: seriesColor refuses an index that is not an integer", () => {
  for (const index of [1.5, NaN, Infinity]) {
    assertThrows(
      () => seriesColor(index),
      RangeError,
      `seriesColor: index must be an integer, got ${index}`,
    );
  }
});

Deno.test("palette: seriesColor cycles through the palette both ways", () => {
  assertEquals(seriesColor(0), PALETTE[0]);
  assertEquals(seriesColor(PALETTE.length + 2), PALETTE[2]);
  // A negative index (counted from the end) is a colour, not undefined.
  assertEquals(seriesColor(-1), PALETTE[PALETTE.length - 1]);
  assertEquals(seriesColor(-PALETTE.length - 2), PALETTE[PALETTE.length - 2]);
});

Deno.test("histogram: half-open bins, closed last bin, out-of-range values rejected", () => {
  const figure = histogram({ values: [0, 4.9, 5, 10, 7], edges: [0, 5, 10] });
  const trace = figure.data[0];
  assertEquals(trace.type === "bar" ? trace.y : null, [2, 3]);
  assertEquals(trace.type === "bar" ? trace.x : null, ["[0, 5)", "[5, 10]"]);
  assertThrows(
    () => histogram({ values: [1, 11], edges: [0, 10] }),
    Error,
    "values[1] = 11 is outside [0, 10]",
  );
  assertThrows(() => histogram({ values: [], edges: [0, 0] }), Error, "edges must increase");
});

Deno.test("histogram: a value below the first edge or an edge below the one before it is refused, by index", () => {
  // Each check against its neighbour: [0, 5, 3] is not ascending though every edge is above the
  // first; a value below the first edge is as far outside the bins as one above the last.
  const refused: [() => unknown, string][] = [
    [
      () => histogram({ values: [], edges: [0, 5, 3] }),
      "histogram: edges must increase, edges[2] = 3",
    ],
    [
      () => histogram({ values: [2, -1], edges: [0, 10] }),
      "histogram: values[1] = -1 is outside [0, 10]",
    ],
  ];
  for (const [build, message] of refused) assertThrows(build, Error, message);
});

Deno.test("histogram: the title as asked, the bars in the first series colour", () => {
  const figure = histogram({ values: [1], edges: [0, 5], title: "History lengths" });
  assertEquals(figure.layout.title, { text: "History lengths" });
  assertEquals((figure.data[0] as BarTrace).marker?.color, seriesColor(0));
  assertEquals(histogram({ values: [1], edges: [0, 5] }).layout.title, undefined);
});

Deno.test("heatmap: invalid cells become gaps and are not read", () => {
  const trace = contributionHeatmap({
    values: [0.5, NaN, 0.25, 0.75],
    valid: [1, 0, 1, 1],
    numPositions: 2,
    modalityNames: ["id", "text"],
  }).data[0] as HeatmapTrace;
  assertEquals(trace.z, [[0.5, 0.25], [null, 0.75]]);
  assertEquals(trace.colorscale, "Viridis");
});

Deno.test("training curves: the right axis has round ticks of its own, not the left's grid", () => {
  // plotly.js 3+ defaults an overlaying axis to tickmode "sync", which puts its ticks at the
  // left axis's grid lines (a rendered notebook read 0.0101, 0.0238, ... on its NDCG@10 axis).
  const axis = trainingCurves({
    series: [
      { name: "loss", x: [1, 2], y: [8.4, 5.9] },
      { name: "valid NDCG@10", x: [1, 2], y: [0.01, 0.08], axis: "right" },
    ],
  }).layout.yaxis2;
  assertEquals(axis?.tickmode, "auto");
  assertEquals(axis?.showgrid, false);
});

Deno.test("heatmap: a non-negative scale starts at 0, so an all-ones mask is not drawn mid-scale", () => {
  // Plotly draws a constant z at the middle of an automatic range (0.5 .. 1.5), so notebook 03's
  // anchor view (every pair kept) read as half kept next to the positive view's 0/1 colours.
  const allKept = contributionHeatmap({
    values: [1, 1, 1, 1],
    numPositions: 2,
    modalityNames: ["id", "text"],
    scale: "magnitude",
  }).data[0] as HeatmapTrace;
  assertEquals([allKept.zmin, allKept.zmax], [0, 1]);
  const scores = contributionHeatmap({
    values: [0.5, 2, 3, 0],
    numPositions: 2,
    modalityNames: ["id", "text"],
    valid: [1, 1, 1, 0],
  }).data[0] as HeatmapTrace;
  assertEquals([scores.zmin, scores.zmax], [0, 3]);
  const none = contributionHeatmap({ values: [0, 0], numPositions: 1, modalityNames: ["a", "b"] })
    .data[0] as HeatmapTrace;
  assertEquals([none.zmin, none.zmax], [0, 1]);
  // Signed scales stay centred on 0 with an automatic range; forced magnitude with negatives
  // keeps the automatic range too.
  const signed = contributionHeatmap({
    values: [-1, 2],
    numPositions: 1,
    modalityNames: ["a", "b"],
  })
    .data[0] as HeatmapTrace;
  assertEquals([signed.zmin, signed.zmax, signed.zmid], [undefined, undefined, 0]);
  const forced = contributionHeatmap({
    values: [-1, 2],
    numPositions: 1,
    modalityNames: ["a", "b"],
    scale: "magnitude",
  }).data[0] as HeatmapTrace;
  assertEquals([forced.zmin, forced.zmax], [undefined, undefined]);
});

Deno.test("grouped bars: an error of 0 (a spread of 0 over seeds) is an error bar, not refused", () => {
  const figure = groupedBars({
    categories: ["a", "b"],
    series: [{ name: "S", values: [0.5, 0.6], errors: [0, 0.1] }],
  });
  const [trace] = figure.data as BarTrace[];
  assertEquals(figure.data.length, 1);
  assertEquals(trace.error_y?.array, [0, 0.1]);
});

Deno.test("builders: a misspelt field or an unknown axis or scale is refused, not drawn without it", () => {
  // A notebook cell is not type-checked: each of these drew a figure that lacked what was asked.
  const refused: [() => unknown, string][] = [
    [
      () =>
        groupedBars({
          categories: ["a"],
          series: [{ name: "s", values: [1], error: [0.1] } as never],
        }),
      'groupedBars: series "s" has no field "error" (its fields: name, values, errors; did you ' +
      "mean errors?)",
    ],
    [
      () =>
        groupedBars(
          { categories: ["a"], series: [{ name: "s", values: [1] }], ytitle: "y" } as never,
        ),
      'groupedBars: the input has no field "ytitle"',
    ],
    [
      () => histogram({ values: [1], edges: [0, 2], titel: "t" } as never),
      'histogram: the input has no field "titel"',
    ],
    [
      () =>
        contributionHeatmap({
          values: [1],
          numPositions: 1,
          modalityNames: ["a"],
          positionLabel: ["x"],
        } as never),
      'contributionHeatmap: the input has no field "positionLabel"',
    ],
    [
      () =>
        contributionHeatmap({
          values: [1],
          numPositions: 1,
          modalityNames: ["a"],
          scale: "sign" as never,
        }),
      'contributionHeatmap: scale is "sign", expected one of "signed", "magnitude"',
    ],
    [
      () => trainingCurves({ series: [{ name: "a", x: [1], y: [1], axis: "y2" as never }] }),
      'trainingCurves: series "a".axis is "y2", expected one of "left", "right"',
    ],
    [
      () => trainingCurves({ series: [{ name: "a", x: [1], y: [1], side: "right" } as never] }),
      'trainingCurves: series "a" has no field "side"',
    ],
    [
      () =>
        lineWithBands({ series: [{ name: "a", x: [1], y: [1] }], xScale: "logarithmic" as never }),
      'lineWithBands: xScale is "logarithmic", expected one of "linear", "log"',
    ],
    [
      // Not a string at all (JSON's null for a left-out value): drawn on the default axis.
      () => lineWithBands({ series: [{ name: "a", x: [1], y: [1] }], yScale: null as never }),
      'lineWithBands: yScale is null, expected one of "linear", "log"',
    ],
    [
      () => trainingCurves({ series: [{ name: "a", x: [1], y: [1], axis: 2 as never }] }),
      'trainingCurves: series "a".axis is 2, expected one of "left", "right"',
    ],
    [
      () =>
        lineWithBands({
          series: [{ name: "a", x: [1], y: [1], band: { low: [0], upper: [2] } as never }],
        }),
      'lineWithBands: series "a".band has no field "low"',
    ],
    [
      () =>
        lineWithBands({
          series: [{ name: "a", x: [1], y: [1], marked: { label: "s", x: [1] } as never }],
        }),
      'lineWithBands: series "a".marked has no field "label"',
    ],
  ];
  for (const [build, message] of refused) assertThrows(build, Error, message);
});

Deno.test("line with bands: edges, values and ticks of the wrong length or not finite are refused by name", () => {
  const one = (series: Record<string, unknown>, extra: Record<string, unknown> = {}) => () =>
    lineWithBands(
      {
        series: [{ name: "m", x: [1, 2], y: [1, 2], ...series }],
        ...extra,
      } as Parameters<typeof lineWithBands>[0],
    );
  assertThrows(
    one({ band: { lower: [0.5, 1.5], upper: [1.5] } }),
    Error,
    'lineWithBands: series "m".band.upper has 1 entries, expected 2',
  );
  assertThrows(
    one({ band: { lower: [Number.NaN, 1.5], upper: [1.5, 2.5] } }),
    Error,
    'series "m".band.lower[0] is NaN, expected a finite number',
  );
  assertThrows(one({ y: [1] }), Error, 'series "m".y has 1 entries, expected 2');
  // One too many is refused too: the extra value had no x to be drawn at.
  assertThrows(one({ y: [1, 2, 3] }), Error, 'series "m".y has 3 entries, expected 2');
  assertThrows(
    one({}, { xTickValues: [1, Number.POSITIVE_INFINITY] }),
    Error,
    "xTickValues[1] is Infinity",
  );
});

Deno.test("grouped bars: an infinite value is refused like NaN", () => {
  assertThrows(
    () =>
      groupedBars({
        categories: ["x"],
        series: [{ name: "A", values: [Number.POSITIVE_INFINITY] }],
      }),
    Error,
    'series "A".values[0] is Infinity',
  );
});

Deno.test("training curves: every point of every series in its own colour, under the titles given", () => {
  const figure = trainingCurves({
    series: [
      { name: "loss", x: [1, 2, 3], y: [0.9, 0.6, 0.5] },
      { name: "valid NDCG@10", x: [1, 2, 3], y: [0.05, 0.08, 0.09], axis: "right" },
    ],
    title: "Run 7",
    xTitle: "step",
    yTitle: "loss",
    rightYTitle: "NDCG@10",
  });
  const traces = figure.data as ScatterTrace[];
  assertEquals(traces.map((trace) => [trace.name, trace.x, trace.y]), [
    ["loss", [1, 2, 3], [0.9, 0.6, 0.5]],
    ["valid NDCG@10", [1, 2, 3], [0.05, 0.08, 0.09]],
  ]);
  assertNotEquals(traces[0].line?.color, traces[1].line?.color);
  const { layout } = figure;
  assertEquals(
    [layout.title, layout.xaxis?.title, layout.yaxis?.title, layout.yaxis2?.title],
    [{ text: "Run 7" }, { text: "step" }, { text: "loss" }, { text: "NDCG@10" }],
  );
  const plain = trainingCurves({ series: [{ name: "loss", x: [1], y: [1] }] }).layout;
  assertEquals([plain.title?.text, plain.xaxis?.title?.text], ["Training curves", "epoch"]);
});

Deno.test("training curves: no series, or an x that is not finite, is refused by name", () => {
  assertThrows(() => trainingCurves({ series: [] }), Error, "trainingCurves: series is empty");
  assertThrows(
    () => trainingCurves({ series: [{ name: "loss", x: [1, NaN], y: [1, 2] }] }),
    Error,
    'series "loss".x[1] is NaN',
  );
});

Deno.test("heatmap: positions along x, modalities along y, the colour bar titled as asked", () => {
  const figure = contributionHeatmap({
    values: [1, 2],
    numPositions: 1,
    modalityNames: ["id", "text"],
    colorBarTitle: "normalised score",
    title: "User 3",
  });
  const trace = figure.data[0] as HeatmapTrace;
  assertEquals(trace.colorbar, { title: { text: "normalised score" } });
  assertEquals(figure.layout.title, { text: "User 3" });
  assertEquals(figure.layout.xaxis?.title?.text, "history position (oldest → most recent)");
  assertEquals(figure.layout.yaxis?.title?.text, "modality");
});

Deno.test("heatmap: labels, a mask of the wrong length and no modality are refused by name", () => {
  const input = { values: [1, 2, 3, 4], numPositions: 2, modalityNames: ["id", "text"] };
  assertThrows(
    () => contributionHeatmap({ ...input, positionLabels: ["only one"] }),
    Error,
    "positionLabels has 1 entries, expected 2",
  );
  assertThrows(
    () => contributionHeatmap({ ...input, valid: [1, 1, 1] }),
    Error,
    "valid has 3 entries, expected 4",
  );
  assertThrows(
    () => contributionHeatmap({ values: [], numPositions: 2, modalityNames: [] }),
    Error,
    "contributionHeatmap: modalityNames is empty",
  );
});

Deno.test("training curves: a y that is not finite is refused by name", () => {
  // A diverged epoch's NaN loss would be a silent gap in the curve.
  assertThrows(
    () => trainingCurves({ series: [{ name: "loss", x: [1, 2], y: [1, Number.NaN] }] }),
    Error,
    'trainingCurves: series "loss".y[1] is NaN, expected a finite number',
  );
});

Deno.test("grouped bars: values and errors of the wrong length, a NaN error, no series are refused", () => {
  const refused: [() => unknown, string][] = [
    [
      () => groupedBars({ categories: ["a", "b"], series: [{ name: "S", values: [1] }] }),
      'groupedBars: series "S".values has 1 entries, expected 2',
    ],
    [
      () =>
        groupedBars({
          categories: ["a", "b"],
          series: [{ name: "S", values: [1, 2], errors: [0.1] }],
        }),
      'groupedBars: series "S".errors has 1 entries, expected 2',
    ],
    [
      () =>
        groupedBars({
          categories: ["a"],
          series: [{ name: "S", values: [1], errors: [Number.NaN] }],
        }),
      'groupedBars: series "S".errors[0] is NaN, expected a finite number',
    ],
    [() => groupedBars({ categories: ["a"], series: [] }), "groupedBars: series is empty"],
  ];
  for (const [build, message] of refused) assertThrows(build, Error, message);
});

Deno.test("grouped bars: no categories is refused by name, not drawn as an empty figure", () => {
  // An empty figure said nothing of why; the other builders refuse an empty input by name.
  assertThrows(
    () => groupedBars({ categories: [], series: [{ name: "S", values: [] }] }),
    Error,
    "groupedBars: categories is empty",
  );
  assertThrows(
    () => groupedBars({ categories: [], series: [{ name: "S", values: [], errors: [] }] }),
    Error,
    "groupedBars: categories is empty",
  );
});

Deno.test("grouped bars: each series has a colour of its own", () => {
  const figure = groupedBars({
    categories: ["a"],
    series: [{ name: "A", values: [1] }, { name: "B", values: [2] }, { name: "C", values: [3] }],
  });
  const colours = (figure.data as BarTrace[]).map((trace) => trace.marker?.color);
  assertEquals(colours, [seriesColor(0), seriesColor(1), seriesColor(2)]);
  assertEquals(new Set(colours).size, 3);
});

Deno.test("line with bands: the titles go where asked; a band shares its line's legend entry", () => {
  const figure = lineWithBands({
    series: [{ name: "Demure", x: [1, 2], y: [1, 2], band: symmetricBand([1, 2], [0.1, 0.1]) }],
    title: "Sweep",
    xTitle: "rho",
    yTitle: "NDCG@10",
  });
  assertEquals(
    [figure.layout.title, figure.layout.xaxis?.title, figure.layout.yaxis?.title],
    [{ text: "Sweep" }, { text: "rho" }, { text: "NDCG@10" }],
  );
  // Clicking the legend entry hides the band with its line, not the line alone.
  const [band, line] = figure.data as ScatterTrace[];
  assertEquals([band.legendgroup, line.legendgroup], ["Demure", "Demure"]);
});

Deno.test("line with bands: an empty marked list draws no legend entry for points not drawn", () => {
  const figure = lineWithBands({
    series: [{ name: "m", x: [1, 2], y: [1, 2], marked: { name: "selected", x: [] } }],
  });
  assertEquals(figure.data.map((trace) => trace.name), ["m"]);
});

Deno.test("line with bands: a spread, band edge or error that is short or not finite is refused by name", () => {
  const refused: [() => unknown, string][] = [
    [() => symmetricBand([1, 2], [0.1]), "symmetricBand: spread has 1 entries, expected 2"],
    [
      () =>
        lineWithBands({
          series: [{ name: "m", x: [1, 2], y: [1, 2], band: { lower: [0.5], upper: [1.5, 2.5] } }],
        }),
      'lineWithBands: series "m".band.lower has 1 entries, expected 2',
    ],
    [
      () =>
        lineWithBands({
          series: [{
            name: "m",
            x: [1, 2],
            y: [1, 2],
            band: { lower: [0.5, 1.5], upper: [1.5, Number.NaN] },
          }],
        }),
      'lineWithBands: series "m".band.upper[1] is NaN, expected a finite number',
    ],
    [
      () => lineWithBands({ series: [{ name: "m", x: [1], y: [1], errors: [Number.NaN] }] }),
      'lineWithBands: series "m".errors[0] is NaN, expected a finite number',
    ],
  ];
  for (const [build, message] of refused) assertThrows(build, Error, message);
});

Deno.test("heatmap: a fractional numPositions is refused; modalities read top-down in order", () => {
  assertThrows(
    () => contributionHeatmap({ values: [1, 2, 3], numPositions: 1.5, modalityNames: ["a", "b"] }),
    Error,
    "contributionHeatmap: numPositions must be a positive integer, got 1.5",
  );
  // The first modality (id) is the top row, as in the tables.
  const figure = contributionHeatmap({
    values: [1, 2],
    numPositions: 1,
    modalityNames: ["a", "b"],
  });
  assertEquals(figure.layout.yaxis?.autorange, "reversed");
});

Deno.test("histogram: a NaN value, a non-finite edge or a single edge is refused; titles as asked", () => {
  const refused: [() => unknown, string][] = [
    // NaN is neither below nor above the edges: it was counted in the first bin.
    [
      () => histogram({ values: [1, Number.NaN], edges: [0, 5] }),
      "histogram: values[1] is NaN, expected a finite number",
    ],
    [
      () => histogram({ values: [1], edges: [0, Number.POSITIVE_INFINITY] }),
      "histogram: edges[1] is Infinity, expected a finite number",
    ],
    [() => histogram({ values: [], edges: [0] }), "histogram: edges needs at least 2 entries"],
  ];
  for (const [build, message] of refused) assertThrows(build, Error, message);
  const figure = histogram({ values: [1], edges: [0, 5], xTitle: "length", yTitle: "users" });
  assertEquals(
    [figure.layout.xaxis?.title?.text, figure.layout.yaxis?.title?.text],
    ["length", "users"],
  );
  const plain = histogram({ values: [1], edges: [0, 5] });
  assertEquals([plain.layout.xaxis?.title?.text, plain.layout.yaxis?.title?.text], ["", "count"]);
});

Deno.test("lineWithBands: x out of order or repeated is refused, naming the series and the point", () => {
  // Unsorted x drew a line that doubled back and a band polygon that crossed itself.
  for (
    const [x, message] of [
      [[1, 3, 2], 'series "m".x[2] is 2, after 3'],
      [[1, 1, 2], 'series "m".x[1] is 1, after 1'],
    ] as const
  ) {
    assertThrows(
      () => lineWithBands({ series: [{ name: "m", x: [...x], y: [0.1, 0.2, 0.3] }] }),
      Error,
      `lineWithBands: ${message}: x must ascend strictly`,
    );
  }
  lineWithBands({ series: [{ name: "m", x: [-1, 0, 2.5], y: [0.1, 0.2, 0.3] }] });
});

Deno.test("trainingCurves: x out of order or repeated is refused, naming the series and the point", () => {
  // Unsorted x drew a curve that zigzagged back over earlier epochs.
  for (
    const [x, message] of [
      [[1, 3, 2], 'series "loss".x[2] is 2, after 3'],
      [[1, 1, 2], 'series "loss".x[1] is 1, after 1'],
      [[2, 1, 3], 'series "loss".x[1] is 1, after 2'],
    ] as const
  ) {
    assertThrows(
      () => trainingCurves({ series: [{ name: "loss", x: [...x], y: [0.9, 0.6, 0.5] }] }),
      Error,
      `trainingCurves: ${message}: x must ascend strictly`,
    );
  }
  // The right-axis series is checked too, and the first series' good x does not excuse it.
  assertThrows(
    () =>
      trainingCurves({
        series: [
          { name: "loss", x: [1, 2], y: [0.9, 0.6] },
          { name: "ndcg", x: [2, 1], y: [0.1, 0.2], axis: "right" },
        ],
      }),
    Error,
    'trainingCurves: series "ndcg".x[1] is 1, after 2: x must ascend strictly',
  );
  trainingCurves({ series: [{ name: "loss", x: [-1, 0, 2.5], y: [0.9, 0.6, 0.5] }] });
  trainingCurves({ series: [{ name: "loss", x: [], y: [] }] });
});

Deno.test("heatmap: default titles; the signed scale runs blue (negative) to red (positive)", () => {
  // Found by mutation round XX (XX35, XX36, XX39): the defaults and the direction of the
  // diverging scale were unpinned; reversed, every negative contribution read as positive.
  const figure = contributionHeatmap({
    values: [-1, 2],
    numPositions: 1,
    modalityNames: ["a", "b"],
  });
  const trace = figure.data[0] as HeatmapTrace;
  assertEquals(figure.layout.title, { text: "Contribution by history position and modality" });
  assertEquals(trace.colorbar, { title: { text: "contribution" } });
  assertEquals(trace.colorscale, [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]]);
});

Deno.test("heatmap: more position labels than positions are refused, not silently dropped", () => {
  // Found by mutation round XX (XX42).
  assertThrows(
    () =>
      contributionHeatmap({
        values: [1, 2],
        numPositions: 2,
        modalityNames: ["id"],
        positionLabels: ["a", "b", "c"],
      }),
    Error,
    "contributionHeatmap: positionLabels has 3 entries, expected 2",
  );
});

Deno.test("heatmap: a valid mask entry other than 0 or 1 is refused by index, not read as a gap", () => {
  // A NaN or -1 in the mask hid its cell without a word (valid[i] > 0 was false).
  for (const bad of [Number.NaN, -1, 0.5]) {
    assertThrows(
      () =>
        contributionHeatmap({
          values: [1, 2],
          numPositions: 1,
          modalityNames: ["a", "b"],
          valid: [1, bad],
        }),
      Error,
      `contributionHeatmap: valid[1] is ${bad}, expected 0 (nothing to show) or 1`,
    );
  }
});

Deno.test("lineWithBands: no series, or an x that is not finite, is refused by name", () => {
  // Found by mutation round XX (XX43, XX51): [1, Infinity] ascends, so only the finite check
  // refuses it; a lone NaN point has no neighbour to be out of order with.
  const refused: [() => unknown, string][] = [
    [() => lineWithBands({ series: [] }), "lineWithBands: series is empty"],
    [
      () => lineWithBands({ series: [{ name: "m", x: [1, Infinity], y: [1, 2] }] }),
      'lineWithBands: series "m".x[1] is Infinity, expected a finite number',
    ],
    [
      () => lineWithBands({ series: [{ name: "m", x: [Number.NaN], y: [1] }] }),
      'lineWithBands: series "m".x[0] is NaN, expected a finite number',
    ],
  ];
  for (const [build, message] of refused) assertThrows(build, Error, message);
});

Deno.test("lineWithBands: any negative error is refused; the first point can be marked; each series its colour", () => {
  // Found by mutation round XX (XX45, XX46, XX47).
  assertThrows(
    () => lineWithBands({ series: [{ name: "m", x: [1], y: [1], errors: [-1e-9] }] }),
    Error,
    'lineWithBands: series "m".errors[0] is -1e-9, must be >= 0',
  );
  const figure = lineWithBands({
    series: [
      { name: "a", x: [1, 2], y: [5, 6], marked: { name: "first", x: [1] } },
      { name: "b", x: [1, 2], y: [7, 8] },
    ],
  });
  const [a, mark, b] = figure.data as ScatterTrace[];
  assertEquals([mark.x, mark.y], [[1], [5]]);
  assertEquals([a.line?.color, b.line?.color], [seriesColor(0), seriesColor(1)]);
});

Deno.test("symmetricBand: a negative spread is kept as given, so lineWithBands refuses the band", () => {
  // Found by mutation round XX (XX54): a spread made non-negative in silence would hide a sign bug.
  const band = symmetricBand([1], [-0.5]);
  assertEquals(band, { lower: [1.5], upper: [0.5] });
  assertThrows(
    () => lineWithBands({ series: [{ name: "m", x: [1], y: [1], band }] }),
    Error,
    "band.lower[0] = 1.5 exceeds upper = 0.5",
  );
});

Deno.test("palette: withAlpha takes upper-case hex and refuses text around the colour", () => {
  // Found by mutation round GB (GB20, GB21): the case flag and the `^` anchor were unpinned.
  assertEquals(withAlpha("#FF80aB", 0.2), "rgba(255,128,171,0.2)");
  assertThrows(
    () => withAlpha("x#ff8000", 0.2),
    Error,
    'withAlpha: expected a #rrggbb colour, got "x#ff8000"',
  );
});

Deno.test("training curves: a right axis without its own title stays untitled, never the left's", () => {
  // Loss left, NDCG@10 right: titling the right axis "loss" would label the NDCG@10 scale wrongly.
  const layout = trainingCurves({
    series: [
      { name: "loss", x: [1, 2], y: [8.4, 5.9] },
      { name: "valid NDCG@10", x: [1, 2], y: [0.01, 0.08], axis: "right" },
    ],
    yTitle: "loss",
  }).layout;
  assertEquals([layout.yaxis?.title?.text, layout.yaxis2?.title?.text], ["loss", ""]);
});

Deno.test("grouped bars: a declared gap with no error is not a bar without an error bar (no second trace)", () => {
  // The null error under a null value is the gap's, not a bar's: one trace, its error bars whole.
  const figure = groupedBars({
    categories: ["6-20", "0-5 (0 users: no bar)"],
    series: [{ name: "A", values: [0.05, null], errors: [0.01, null] }],
  });
  const traces = figure.data as BarTrace[];
  assertEquals(
    traces.map((t) => [t.y, t.error_y?.array, t.offsetgroup]),
    [[[0.05, null], [0.01, null], undefined]],
  );
});

Deno.test("grouped bars: an undefined value (a metric a row lacks, in an unchecked notebook) is refused, not a gap", () => {
  // Only null declares a gap: `row.test["NDCG@20"]?.mean` is undefined, a value lost by accident.
  assertThrows(
    () =>
      groupedBars({
        categories: ["NDCG@10", "NDCG@20"],
        series: [{ name: "A", values: [0.05, undefined as unknown as null] }],
      }),
    Error,
    'series "A".values[1] is undefined, expected a finite number or null (no bar)',
  );
});

Deno.test("grouped bars: a repeated category is refused by both positions, not drawn in one slot", () => {
  // plotly.js drew both bars of "NDCG@10" in one slot, the second over the first: 0.05 was hidden
  // and 0.07 read as the value of both.
  assertThrows(
    () =>
      groupedBars({
        categories: ["NDCG@10", "HR@10", "NDCG@10"],
        series: [{ name: "A", values: [0.05, 0.1, 0.07] }],
      }),
    Error,
    'groupedBars: categories[2] = "NDCG@10" repeats categories[0]; each category is one group',
  );
  // Side by side too (a metric listed twice in a row).
  assertThrows(
    () => groupedBars({ categories: ["HR@10", "HR@10"], series: [{ name: "A", values: [1, 2] }] }),
    Error,
    'groupedBars: categories[1] = "HR@10" repeats categories[0]',
  );
});

Deno.test("training curves: a right title alone draws no right axis (no series is on it)", () => {
  const layout = trainingCurves({
    series: [{ name: "loss", x: [1, 2], y: [8.4, 5.9] }],
    yTitle: "loss",
    rightYTitle: "NDCG@10",
  }).layout;
  // An empty axis titled NDCG@10 would say the figure shows an NDCG@10 it does not.
  assertEquals(layout.yaxis2, undefined);
});

Deno.test("grouped bars: error bars are drawn (visible, from the data), split or not", () => {
  const whole = groupedBars({
    categories: ["HR@10", "NDCG@10"],
    series: [{ name: "A", values: [0.1, 0.05], errors: [0.01, 0.002] }],
  }).data as BarTrace[];
  assertEquals(whole[0].error_y, { type: "data", array: [0.01, 0.002], visible: true });
  const split = groupedBars({
    categories: ["HR@10", "NDCG@10"],
    series: [{ name: "A", values: [0.1, 0.05], errors: [0.01, null] }],
  }).data as BarTrace[];
  assertEquals(split[0].error_y, { type: "data", array: [0.01, null], visible: true });
});

Deno.test("training curves: a one-epoch curve shows its point (markers, not only a line)", () => {
  // A quick run of one epoch has one point per curve: a line alone draws nothing there.
  const [trace] = trainingCurves({ series: [{ name: "loss", x: [1], y: [8.4] }] })
    .data as ScatterTrace[];
  assertEquals(trace.mode, "lines+markers");
});

Deno.test("assertPositiveOnLogAxis: NaN is not above 0 either, and is refused by index", () => {
  // lineWithBands checks finiteness first, so there a NaN never reaches this check; the helper
  // promises "every value above 0" to any builder, and a `value <= 0` form let NaN through.
  // Found by mutation round JN (JN10).
  assertThrows(
    () => assertPositiveOnLogAxis("b", "x", [1, NaN]),
    Error,
    "b: x[1] is NaN, expected above 0 on a log axis",
  );
});

Deno.test("builders: an axis or scale given as an array of an allowed name is refused", () => {
  // `["log"]` is no scale; read through String() it matched "log" and was drawn as if given.
  // Found by mutation round JN (JN14).
  const input = { series: [{ name: "m", x: [1, 2], y: [1, 2] }], yScale: ["log"] };
  assertThrows(
    () => lineWithBands(input as unknown as Parameters<typeof lineWithBands>[0]),
    Error,
    'lineWithBands: yScale is ["log"], expected one of "linear", "log"',
  );
});

Deno.test("palette: its ten colours are all different, so ten series never share one", () => {
  // Found by mutation round JN (JN17: the last colour replaced by the first went unnoticed).
  assertEquals(new Set(PALETTE).size, PALETTE.length);
  assertEquals(PALETTE.length, 10);
  const colours = Array.from({ length: PALETTE.length }, (_, index) => seriesColor(index));
  assertEquals(new Set(colours).size, PALETTE.length);
});

Deno.test("assertLength: entries where none are expected are refused too", () => {
  // Found by mutation round JN (JN43: a check skipped for an expected count of 0).
  assertThrows(
    () => assertLength("b", "labels", ["a"], 0),
    Error,
    "b: labels has 1 entries, expected 0",
  );
  assertLength("b", "labels", [], 0);
});
