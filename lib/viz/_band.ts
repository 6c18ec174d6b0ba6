/** The shaded band of the figure builders that draw one: one check and one polygon. */
import type { ScatterTrace } from "./figure.ts";
import { assertFinite, assertLength } from "./_validate.ts";
import { withAlpha } from "./palette.ts";

/**
 * The translucent polygon of a band `[lower[i], upper[i]]` at each `x[i]`, in `color`: along the
 * upper edge left to right, back along the lower edge. Throws, naming `builder` and `field` (e.g.
 * `series "Demure".band`), when an edge has the wrong length, a value that is not finite, or a
 * lower edge above the upper one.
 *
 * @example
 * ```ts
 * data.push({ ...bandTrace("lineWithBands", "band", x, { lower, upper }, color), name: "± 1 std" });
 * ```
 */
export function bandTrace(
  builder: string,
  field: string,
  x: number[],
  band: { lower: number[]; upper: number[] },
  color: string,
): ScatterTrace {
  const { lower, upper } = band;
  assertLength(builder, `${field}.lower`, lower, x.length);
  assertLength(builder, `${field}.upper`, upper, x.length);
  assertFinite(builder, `${field}.lower`, lower);
  assertFinite(builder, `${field}.upper`, upper);
  lower.forEach((low, position) => {
    if (low > upper[position]) {
      throw new Error(
        `${builder}: ${field}.lower[${position}] = ${low} exceeds upper = ${upper[position]}`,
      );
    }
  });
  return {
    type: "scatter",
    x: [...x, ...[...x].reverse()],
    y: [...upper, ...[...lower].reverse()],
    fill: "toself",
    fillcolor: withAlpha(color, 0.2),
    line: { color: "rgba(0,0,0,0)" },
    hoverinfo: "skip",
  };
}
