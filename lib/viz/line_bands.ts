import type { Figure, ScatterTrace } from "./figure.ts";
import type { SettingNames } from "../util/settings.ts";
import {
  assertFinite,
  assertKnownFields,
  assertLength,
  assertOneOfOrAbsent,
  assertPositiveOnLogAxis,
  assertStrictlyAscending,
} from "./_validate.ts";
import { seriesColors } from "./palette.ts";
import { bandTrace } from "./_band.ts";
import { countTicks } from "./_count_ticks.ts";

/**
 * A line with an optional shaded band `[lower[i], upper[i]]` around it at each `x[i]`, or error
 * bars at its points (for a few separate points, e.g. a parameter sweep, where a band would
 * suggest values between them).
 */
export interface BandSeries {
  /** Series name (legend). */
  name: string;
  /** x values, strictly ascending (checked). */
  x: number[];
  /** The line's value at each `x`. */
  y: number[];
  /** Lower and upper edge of the shaded band at each `x` (see {@linkcode symmetricBand}). Default: none. */
  band?: { lower: number[]; upper: number[] };
  /** Half-length of a vertical error bar at each `x` (e.g. std over seeds; 0: none). Default: none. */
  errors?: number[];
  /**
   * Points to mark (each `x` one of the series' `x`): drawn as a large open ring in the series'
   * colour with a legend entry `name` (e.g. a sweep's selected value). Default: none.
   */
  marked?: { name: string; x: number[] };
}

/** Input of {@linkcode lineWithBands}. */
export interface LineWithBandsInput {
  /** The lines, drawn in order. */
  series: BandSeries[];
  /** Figure title. Default: none. */
  title?: string;
  /** Title of the x axis. Default: none. */
  xTitle?: string;
  /** Title of the y axis. Default: none. */
  yTitle?: string;
  /** Default: `"linear"`; `"log"` for sweeps over orders of magnitude. */
  xScale?: "linear" | "log";
  /** Default: `"linear"`; `"log"` for counts over orders of magnitude (a long tail). */
  yScale?: "linear" | "log";
  /**
   * Ticks on the x axis at exactly these values, labelled with them (a sweep's values, which a
   * log axis would otherwise label 0.01, 2, 5, 0.1). Default: plotly's automatic ticks.
   */
  xTickValues?: number[];
}

/**
 * `{lower, upper}` = `y ∓ spread`, e.g. mean ∓ standard deviation over seeds.
 *
 * @example
 * ```ts
 * symmetricBand([1, 2], [0.1, 0.2]); // { lower: [0.9, 1.8], upper: [1.1, 2.2] }
 * ```
 */
export function symmetricBand(y: number[], spread: number[]): { lower: number[]; upper: number[] } {
  assertLength("symmetricBand", "spread", spread, y.length);
  return {
    lower: y.map((value, index) => value - spread[index]),
    upper: y.map((value, index) => value + spread[index]),
  };
}

/**
 * Line plot where each series may carry an error band (drawn as a translucent polygon that
 * shares the series' colour and legend entry).
 *
 * @example
 * ```ts
 * const figure = lineWithBands({
 *   series: [{ name: "Demure", x: [0.1, 0.2], y: [0.5, 0.6], band: symmetricBand([0.5, 0.6], [0.02, 0.03]) }],
 *   xTitle: "rho",
 *   yTitle: "NDCG@10",
 * });
 * // A sweep over orders of magnitude: log axis, ticks at the swept values, the selected one ringed.
 * lineWithBands({
 *   series: [{ name: "Demure", x: [0.005, 0.02, 0.1], y: [0.087, 0.079, 0.051], marked: { name: "selected", x: [0.02] } }],
 *   xScale: "log",
 *   xTickValues: [0.005, 0.02, 0.1],
 * });
 * ```
 */
export function lineWithBands(input: LineWithBandsInput): Figure {
  checkInput(input);
  if (input.series.length === 0) throw new Error(`${BUILDER}: series is empty`);
  // A system keeps its colour in every figure (SYSTEM_COLORS), not the colour of its position.
  const colors = seriesColors(input.series.map((series) => series.name));
  const data = input.series.flatMap((series, index) => seriesTraces(input, series, colors[index]));
  if (input.xTickValues) assertFinite(BUILDER, "xTickValues", input.xTickValues);
  return {
    data,
    layout: {
      ...(input.title ? { title: { text: input.title } } : {}),
      xaxis: {
        ...(input.xTitle ? { title: { text: input.xTitle } } : {}),
        type: input.xScale ?? "linear",
        ...(input.xTickValues
          ? { tickmode: "array" as const, tickvals: [...input.xTickValues] }
          : input.xScale === "log"
          ? LOG_TICKS
          : countTicks(input.series.map((series) => series.x))),
      },
      yaxis: {
        ...(input.yTitle ? { title: { text: input.yTitle } } : {}),
        ...(input.yScale ? { type: input.yScale } : {}),
        ...(input.yScale === "log" ? LOG_TICKS : {}),
      },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}

/** The name errors are reported under. */
const BUILDER = "lineWithBands";

const LINE_WITH_BANDS_FIELDS: SettingNames<LineWithBandsInput> = {
  series: true,
  title: true,
  xTitle: true,
  yTitle: true,
  xScale: true,
  yScale: true,
  xTickValues: true,
};

const BAND_SERIES_FIELDS: SettingNames<BandSeries> = {
  name: true,
  x: true,
  y: true,
  band: true,
  errors: true,
  marked: true,
};

const BAND_FIELDS: SettingNames<NonNullable<BandSeries["band"]>> = { lower: true, upper: true };

const MARKED_FIELDS: SettingNames<NonNullable<BandSeries["marked"]>> = { name: true, x: true };

/** The input's own fields and scales, before any series is read. */
function checkInput(input: LineWithBandsInput): void {
  assertKnownFields(BUILDER, "the input", input, LINE_WITH_BANDS_FIELDS);
  assertOneOfOrAbsent(BUILDER, "xScale", input.xScale, ["linear", "log"]);
  assertOneOfOrAbsent(BUILDER, "yScale", input.yScale, ["linear", "log"]);
}

/**
 * Log axes label 1, 2 and 5 of each decade: over two decades of a short axis plotly.js labelled
 * every digit (notebook 01's popularity plot read "4 3 2 100 9 8 7 6 5 4 3 2 10 9 ..." upwards).
 * Each label reads its whole value: with plotly's small digits the same plot read "5 10 2 5 100
 * 2" upwards, a "2" that meant 20 below 100 and 200 above it.
 */
const LOG_TICKS = { dtick: "D2" as const, minorloglabels: "complete" as const };

/** One series' traces, checked: its band (if any), its line, its marked points (if any). */
function seriesTraces(
  input: LineWithBandsInput,
  series: BandSeries,
  color: string,
): ScatterTrace[] {
  const field = `series "${series.name}"`;
  assertKnownFields(BUILDER, field, series, BAND_SERIES_FIELDS);
  if (series.band) assertKnownFields(BUILDER, `${field}.band`, series.band, BAND_FIELDS);
  if (series.marked) assertKnownFields(BUILDER, `${field}.marked`, series.marked, MARKED_FIELDS);
  checkSeriesValues(input, series, field);
  const traces: ScatterTrace[] = [];
  if (series.band) {
    traces.push({
      ...bandTrace(BUILDER, `${field}.band`, series.x, series.band, color),
      showlegend: false,
      legendgroup: series.name,
      name: `${series.name} band`,
    });
  }
  if (series.errors) checkErrors(series.errors, series.x.length, field);
  traces.push({
    type: "scatter",
    mode: "lines+markers",
    name: series.name,
    x: [...series.x],
    y: [...series.y],
    line: { color },
    legendgroup: series.name,
    ...(series.errors
      ? { error_y: { type: "data" as const, array: [...series.errors], visible: true } }
      : {}),
  });
  if (series.marked && series.marked.x.length > 0) {
    traces.push(markedTrace(series, series.marked, field, color));
  }
  return traces;
}

/**
 * The series' x and y: as long as each other, finite, x strictly ascending, and above 0 on a log
 * axis. Out of order, the line doubled back on itself and the band's polygon crossed itself: a
 * figure that looks like data and is not.
 */
function checkSeriesValues(input: LineWithBandsInput, series: BandSeries, field: string): void {
  assertLength(BUILDER, `${field}.y`, series.y, series.x.length);
  assertFinite(BUILDER, `${field}.x`, series.x);
  assertFinite(BUILDER, `${field}.y`, series.y);
  assertStrictlyAscending(BUILDER, `${field}.x`, series.x);
  if (input.xScale === "log") assertPositiveOnLogAxis(BUILDER, `${field}.x`, series.x);
  if (input.yScale === "log") {
    assertPositiveOnLogAxis(BUILDER, `${field}.y`, series.y);
    if (series.band) {
      assertPositiveOnLogAxis(BUILDER, `${field}.band.lower`, series.band.lower);
    }
  }
}

/** Error bars: one per point, finite and not negative. */
function checkErrors(errors: number[], points: number, field: string): void {
  assertLength(BUILDER, `${field}.errors`, errors, points);
  assertFinite(BUILDER, `${field}.errors`, errors);
  errors.forEach((error, position) => {
    if (error < 0) {
      throw new Error(`${BUILDER}: ${field}.errors[${position}] is ${error}, must be >= 0`);
    }
  });
}

/** The marked points of a series: large open rings on the line, in the series' colour. */
function markedTrace(
  series: BandSeries,
  marked: { name: string; x: number[] },
  field: string,
  color: string,
): ScatterTrace {
  const y = marked.x.map((x) => {
    const position = series.x.indexOf(x);
    if (position < 0) {
      throw new Error(`${BUILDER}: ${field}.marked.x ${x} is not one of the series' x`);
    }
    return series.y[position];
  });
  return {
    type: "scatter",
    mode: "markers",
    name: marked.name,
    x: [...marked.x],
    y,
    marker: { color: color, size: 18, symbol: "circle-open", line: { color, width: 2 } },
    hoverinfo: "skip",
  };
}
