/**
 * Third-pass gaps of lineWithBands (mutation round LH): a second series' band and ring are in its
 * own colour, error bars are checked when a band is drawn too, every error bar's sign is checked,
 * a log y axis asks nothing of x, and the input's own fields are checked before the series.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { lineWithBands, seriesColor, symmetricBand, withAlpha } from "../../lib/viz/mod.ts";
import type { ScatterTrace } from "../../lib/viz/mod.ts";

Deno.test("lineWithBands: a second series' band and marked ring are in its own colour, not the first's (LH07, LH08, LH10)", () => {
  const figure = lineWithBands({
    series: [
      { name: "a", x: [1, 2], y: [1, 2] },
      {
        name: "b",
        x: [1, 2],
        y: [3, 4],
        band: symmetricBand([3, 4], [0.5, 0.5]),
        marked: { name: "selected", x: [2] },
      },
    ],
  });
  const [lineA, bandB, lineB, ringB] = figure.data as ScatterTrace[];
  assertEquals([lineA.name, bandB.name, lineB.name, ringB.name], ["a", "b band", "b", "selected"]);
  assertEquals(lineB.line?.color, seriesColor(1));
  assertEquals(bandB.fillcolor, withAlpha(seriesColor(1), 0.2));
  // An open ring is stroked in marker.color; its line colour alone does not colour it.
  assertEquals([ringB.marker?.color, ringB.marker?.line?.color], [seriesColor(1), seriesColor(1)]);
});

Deno.test("lineWithBands: error bars are checked when the series has a band too (LH02)", () => {
  const band = symmetricBand([1, 2], [0.1, 0.1]);
  assertThrows(
    () => lineWithBands({ series: [{ name: "m", x: [1, 2], y: [1, 2], band, errors: [0.1] }] }),
    Error,
    'lineWithBands: series "m".errors has 1 entries, expected 2',
  );
  assertThrows(
    () => lineWithBands({ series: [{ name: "m", x: [1, 2], y: [1, 2], band, errors: [0.1, -1] }] }),
    Error,
    'lineWithBands: series "m".errors[1] is -1, must be >= 0',
  );
});

Deno.test("lineWithBands: a negative error bar after the first is refused by its position (LH09)", () => {
  assertThrows(
    () =>
      lineWithBands({
        series: [{ name: "m", x: [1, 2, 3], y: [1, 2, 3], errors: [0, 0.2, -0.2] }],
      }),
    Error,
    'lineWithBands: series "m".errors[2] is -0.2, must be >= 0',
  );
});

Deno.test("lineWithBands: a log y axis with a linear x axis takes an x at or below 0 (LH04)", () => {
  const figure = lineWithBands({
    series: [{ name: "m", x: [-1, 0, 1], y: [1, 10, 100] }],
    yScale: "log",
  });
  assertEquals((figure.data[0] as ScatterTrace).x, [-1, 0, 1]);
  assertEquals([figure.layout.xaxis?.type, figure.layout.yaxis?.type], ["linear", "log"]);
});

Deno.test("lineWithBands: a misspelt input field is named even when there is no series (LH05)", () => {
  assertThrows(
    () =>
      lineWithBands(
        { series: [], xscale: "log" } as unknown as Parameters<typeof lineWithBands>[0],
      ),
    Error,
    'lineWithBands: the input has no field "xscale"',
  );
});

Deno.test("lineWithBands: whole-number ticks only when every series' x allows them (LH36)", () => {
  // The second series spans 1..50: one tick per whole number would be 50 ticks.
  const long = lineWithBands({
    series: [{ name: "a", x: [1, 2], y: [1, 2] }, { name: "b", x: [1, 50], y: [1, 2] }],
  });
  assertEquals([long.layout.xaxis?.tickmode, long.layout.xaxis?.dtick], [undefined, undefined]);
  // The second series has half values: no tick falls on them.
  const half = lineWithBands({
    series: [{ name: "a", x: [1, 2], y: [1, 2] }, { name: "b", x: [0.5, 2.5], y: [1, 2] }],
  });
  assertEquals(half.layout.xaxis?.dtick, undefined);
});

Deno.test("lineWithBands: a misspelt band field is refused when the series has error bars too (LH37)", () => {
  assertThrows(
    () =>
      lineWithBands({
        series: [{
          name: "m",
          x: [1],
          y: [1],
          errors: [0.1],
          band: { lower: [0.5], upper: [1.5], uper: [2] } as { lower: number[]; upper: number[] },
        }],
      }),
    Error,
    'lineWithBands: series "m".band has no field "uper"',
  );
});
