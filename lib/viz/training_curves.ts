import type { Figure, ScatterTrace } from "./figure.ts";
import type { SettingNames } from "../util/settings.ts";
import {
  assertFinite,
  assertKnownFields,
  assertLength,
  assertOneOfOrAbsent,
  assertStrictlyAscending,
} from "./_validate.ts";
import { seriesColors } from "./palette.ts";
import { countTicks } from "./_count_ticks.ts";

/** One curve: `y[i]` measured at `x[i]` (epoch or step). */
export interface CurveSeries {
  /** Series name (legend). */
  name: string;
  /** Epochs or steps, strictly ascending (checked). */
  x: number[];
  /** The measured value at each `x`. */
  y: number[];
  /** Which y axis: `"left"` (default) or `"right"`, e.g. loss left, NDCG right. */
  axis?: "left" | "right";
}

/** Input of {@linkcode trainingCurves}. */
export interface TrainingCurvesInput {
  /** The curves, drawn in order. */
  series: CurveSeries[];
  /** Default: `"Training curves"`. */
  title?: string;
  /** Default: `"epoch"`. */
  xTitle?: string;
  /** Title of the left axis. Default: none. */
  yTitle?: string;
  /** Title of the right axis (only drawn when a series uses it). */
  rightYTitle?: string;
}

const TRAINING_CURVES_FIELDS: SettingNames<TrainingCurvesInput> = {
  series: true,
  title: true,
  xTitle: true,
  yTitle: true,
  rightYTitle: true,
};

const CURVE_SERIES_FIELDS: SettingNames<CurveSeries> = { name: true, x: true, y: true, axis: true };

/**
 * Lines with markers, one per series, optionally on two y axes.
 *
 * @example
 * ```ts
 * const figure = trainingCurves({
 *   series: [
 *     { name: "loss", x: [1, 2, 3], y: [0.9, 0.6, 0.5] },
 *     { name: "valid NDCG@10", x: [1, 2, 3], y: [0.05, 0.08, 0.09], axis: "right" },
 *   ],
 *   yTitle: "loss",
 *   rightYTitle: "NDCG@10",
 * });
 * ```
 */
export function trainingCurves(input: TrainingCurvesInput): Figure {
  const builder = "trainingCurves";
  assertKnownFields(builder, "the input", input, TRAINING_CURVES_FIELDS);
  if (input.series.length === 0) throw new Error(`${builder}: series is empty`);
  for (const series of input.series) {
    assertKnownFields(builder, `series "${series.name}"`, series, CURVE_SERIES_FIELDS);
    assertOneOfOrAbsent(builder, `series "${series.name}".axis`, series.axis, ["left", "right"]);
  }
  const usesRight = input.series.some((series) => series.axis === "right");
  // A system keeps its colour in every figure (SYSTEM_COLORS), not the colour of its position.
  const colors = seriesColors(input.series.map((series) => series.name));
  const data: ScatterTrace[] = input.series.map((series, index) => {
    assertLength(builder, `series "${series.name}".y`, series.y, series.x.length);
    assertFinite(builder, `series "${series.name}".x`, series.x);
    assertFinite(builder, `series "${series.name}".y`, series.y);
    // A mis-ordered x (histories concatenated, a resumed run appended twice) drew a zigzag.
    assertStrictlyAscending(builder, `series "${series.name}".x`, series.x);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: series.name,
      x: [...series.x],
      y: [...series.y],
      line: { color: colors[index] },
      yaxis: series.axis === "right" ? "y2" : "y",
    };
  });
  return {
    data,
    layout: {
      title: { text: input.title ?? "Training curves" },
      xaxis: {
        title: { text: input.xTitle ?? "epoch" },
        ...countTicks(input.series.map((series) => series.x)),
      },
      yaxis: input.yTitle ? { title: { text: input.yTitle } } : {},
      ...(usesRight
        ? {
          // Round ticks of its own and no second grid: plotly.js 3+ would sync the right axis's
          // ticks to the left axis's grid lines, at values such as 0.0579 and 0.0698.
          yaxis2: {
            title: { text: input.rightYTitle ?? "" },
            overlaying: "y" as const,
            side: "right" as const,
            tickmode: "auto" as const,
            showgrid: false,
            zeroline: false,
          },
        }
        : {}),
      hovermode: "x unified",
      legend: { orientation: "h", y: -0.2 },
    },
  };
}
