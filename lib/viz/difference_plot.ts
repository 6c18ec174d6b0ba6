import type { Figure, ScatterTrace } from "./figure.ts";
import { assertFinite, assertLength } from "./_validate.ts";
import { seriesColor, withAlpha } from "./palette.ts";
import { bandTrace } from "./_band.ts";

/** Input of {@linkcode differencePlot}. */
export interface DifferencePlotInput {
  /** Legend name of the mean difference, e.g. "Demure-SASRec minus SASRec-MM". */
  name: string;
  /** Where the differences were measured, ascending (e.g. planted noise shares). */
  x: number[];
  /** The mean difference at each `x`. */
  mean: number[];
  /**
   * Lower and upper edge of the shaded band at each `x` (e.g. mean ∓ standard deviation, see
   * `symmetricBand`), with its legend name (what the band is). Default: none.
   */
  band?: { lower: number[]; upper: number[]; name: string };
  /**
   * The single differences behind the means (e.g. one per seed), drawn as dots, with their legend
   * name. Each `x` must be one of the plot's `x`. Default: none.
   */
  points?: { x: number[]; y: number[]; name: string };
  /** Tick labels, one per `x` (e.g. "0.25<br>3 seeds"). Default: plotly's automatic ticks. */
  xTickLabels?: string[];
  /** Figure title. Default: none. */
  title?: string;
  /** Title of the x axis. Default: none. */
  xTitle?: string;
  /** Title of the y axis. Default: none. */
  yTitle?: string;
}

/** Grey of the zero line: a reference, not a series. */
const ZERO_LINE_COLOR = "#444444";

/**
 * A difference between two systems against one variable: the mean difference as a line, an
 * optional shaded band around it, optional dots for the single differences, and a dashed line at
 * 0 (no difference), which also keeps 0 inside the y range so a reader sees which side the
 * difference is on.
 *
 * @example
 * ```ts
 * const figure = differencePlot({
 *   name: "Demure minus SASRec",
 *   x: [0.25, 0.5],
 *   mean: [-0.001, 0.004],
 *   band: { ...symmetricBand([-0.001, 0.004], [0.006, 0.012]), name: "± 1 std over seeds" },
 *   points: { x: [0.25, 0.25, 0.5, 0.5], y: [0.002, -0.004, 0.01, -0.002], name: "one seed" },
 *   yTitle: "difference in test NDCG@10",
 * });
 * ```
 */
export function differencePlot(input: DifferencePlotInput): Figure {
  const builder = "differencePlot";
  if (input.x.length === 0) throw new Error(`${builder}: x is empty`);
  assertFinite(builder, "x", input.x);
  input.x.forEach((value, position) => {
    if (position > 0 && value <= input.x[position - 1]) {
      throw new Error(
        `${builder}: x must ascend, x[${position}] = ${value} follows ${input.x[position - 1]}`,
      );
    }
  });
  assertLength(builder, "mean", input.mean, input.x.length);
  assertFinite(builder, "mean", input.mean);
  const color = seriesColor(1);
  const data: ScatterTrace[] = [];
  if (input.band) {
    data.push({ ...bandTrace(builder, "band", input.x, input.band, color), name: input.band.name });
  }
  data.push({
    type: "scatter",
    mode: "lines",
    name: "0 = no difference",
    x: [input.x[0], input.x[input.x.length - 1]],
    y: [0, 0],
    line: { color: ZERO_LINE_COLOR, width: 1, dash: "dash" },
    hoverinfo: "skip",
  });
  if (input.points) {
    const { x, y, name } = input.points;
    assertLength(builder, "points.y", y, x.length);
    assertFinite(builder, "points.x", x);
    assertFinite(builder, "points.y", y);
    x.forEach((value, position) => {
      if (!input.x.includes(value)) {
        throw new Error(`${builder}: points.x[${position}] = ${value} is not one of the plot's x`);
      }
    });
    data.push({
      type: "scatter",
      mode: "markers",
      name,
      x: [...x],
      y: [...y],
      marker: { color: withAlpha(color, 0.55), size: 7 },
    });
  }
  data.push({
    type: "scatter",
    mode: "lines+markers",
    name: input.name,
    x: [...input.x],
    y: [...input.mean],
    line: { color, width: 3 },
    marker: { color, size: 9 },
  });
  if (input.xTickLabels) assertLength(builder, "xTickLabels", input.xTickLabels, input.x.length);
  return {
    data,
    layout: {
      ...(input.title ? { title: { text: input.title } } : {}),
      xaxis: {
        ...(input.xTitle ? { title: { text: input.xTitle } } : {}),
        ...(input.xTickLabels
          ? { tickmode: "array" as const, tickvals: [...input.x], ticktext: [...input.xTickLabels] }
          : {}),
      },
      yaxis: {
        ...(input.yTitle ? { title: { text: input.yTitle } } : {}),
        zeroline: false,
      },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
