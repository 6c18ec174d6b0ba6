/**
 * Figure-builder behaviour that mutation round ME found unpinned: what the heatmap's hover names
 * (modality, then position), the scale a caller forces either way whatever the signs of the
 * values, an infinite contribution and an empty label list refused; grouped bars' titles.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { contributionHeatmap, groupedBars } from "../../lib/viz/mod.ts";
import type { HeatmapTrace } from "../../lib/viz/mod.ts";

const DIVERGING = [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]];

Deno.test("heatmap: hovering names the modality (row) at the position (column), then the value", () => {
  const trace = contributionHeatmap({
    values: [1, 2],
    numPositions: 1,
    modalityNames: ["id", "text"],
  })
    .data[0] as HeatmapTrace;
  // Swapped, a hover over the text row at t-0 read "t-0 @ text".
  assertEquals(trace.hovertemplate, "%{y} @ %{x}<br>%{z:.4g}<extra></extra>");
});

Deno.test("heatmap: a forced scale holds whatever the signs: magnitude with negatives, signed without", () => {
  const heatmap = (values: number[], scale: "signed" | "magnitude") =>
    contributionHeatmap({ values, numPositions: 1, modalityNames: ["a", "b"], scale })
      .data[0] as HeatmapTrace;
  const magnitude = heatmap([-1, 2], "magnitude");
  assertEquals([magnitude.colorscale, magnitude.zmid], ["Viridis", undefined]);
  // Signed on values that are all >= 0: still diverging and centred on 0, so that 0 is white and
  // two signed figures side by side read alike.
  const signed = heatmap([1, 2], "signed");
  assertEquals([signed.colorscale, signed.zmid, signed.zmin, signed.zmax], [
    DIVERGING,
    0,
    undefined,
    undefined,
  ]);
});

Deno.test("heatmap: an infinite contribution is refused by index like NaN", () => {
  for (const bad of [Infinity, -Infinity]) {
    assertThrows(
      () => contributionHeatmap({ values: [1, bad], numPositions: 1, modalityNames: ["a", "b"] }),
      Error,
      `contributionHeatmap: values[1] is ${bad}, expected a finite number`,
    );
  }
});

Deno.test("heatmap: an empty list of position labels is refused, not drawn as 'undefined'", () => {
  assertThrows(
    () =>
      contributionHeatmap({
        values: [1, 2],
        numPositions: 2,
        modalityNames: ["id"],
        positionLabels: [],
      }),
    Error,
    "contributionHeatmap: positionLabels has 0 entries, expected 2",
  );
});

Deno.test("grouped bars: the figure title and each axis title go where they are asked", () => {
  const figure = groupedBars({
    categories: ["HR@10"],
    series: [{ name: "Pop", values: [0.1] }],
    title: "Test metrics",
    xTitle: "metric",
    yTitle: "value",
  });
  assertEquals(figure.layout.title, { text: "Test metrics" });
  assertEquals(figure.layout.xaxis?.title, { text: "metric" });
  assertEquals(figure.layout.yaxis?.title, { text: "value" });
});
