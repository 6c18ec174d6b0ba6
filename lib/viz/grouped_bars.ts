import type { BarTrace, Figure } from "./figure.ts";
import { assertLength } from "./_validate.ts";
import { seriesColor } from "./palette.ts";

/**
 * One bar per category; `errors` are half-widths (e.g. standard deviation over seeds). A `null`
 * value is a declared gap: no bar is drawn there (name why in the category label or the caption);
 * NaN and infinities are refused, so a value lost by accident never becomes a silent gap.
 */
export interface BarSeries {
  /** Series name (legend). */
  name: string;
  /** One value per category; `null`: no bar there. */
  values: Array<number | null>;
  /** Half-width of each error bar, one per category; `null` exactly where `values` is. */
  errors?: Array<number | null>;
}

/** Input of {@linkcode groupedBars}. */
export interface GroupedBarsInput {
  /** Category labels on the x axis (e.g. datasets or metrics). */
  categories: string[];
  /** One series per method; `values[i]` belongs to `categories[i]`. */
  series: BarSeries[];
  /** Default: none. */
  title?: string;
  /** Title of the y axis. Default: none. */
  yTitle?: string;
  /** Title of the x axis. Default: none. */
  xTitle?: string;
}

/**
 * Grouped bars with optional symmetric error bars.
 *
 * @example
 * ```ts
 * const figure = groupedBars({
 *   categories: ["HR@10", "NDCG@10"],
 *   series: [
 *     { name: "SASRec", values: [0.10, 0.05], errors: [0.01, 0.004] },
 *     { name: "Demure", values: [0.12, 0.06], errors: [0.01, 0.005] },
 *   ],
 * });
 * ```
 */
export function groupedBars(input: GroupedBarsInput): Figure {
  const builder = "groupedBars";
  if (input.series.length === 0) throw new Error(`${builder}: series is empty`);
  const data: BarTrace[] = input.series.map((series, index) => {
    const field = `series "${series.name}"`;
    assertLength(builder, `${field}.values`, series.values, input.categories.length);
    const gaps = series.values.map((value) => value === null);
    series.values.forEach((value, position) => {
      if (value !== null && !Number.isFinite(value)) {
        throw new Error(
          `${builder}: ${field}.values[${position}] is ${value}, expected a finite number or ` +
            "null (no bar)",
        );
      }
    });
    const trace: BarTrace = {
      type: "bar",
      name: series.name,
      x: [...input.categories],
      y: [...series.values],
      marker: { color: seriesColor(index) },
    };
    if (series.errors) {
      assertLength(builder, `${field}.errors`, series.errors, input.categories.length);
      series.errors.forEach((error, position) => {
        if ((error === null) !== gaps[position]) {
          throw new Error(
            `${builder}: ${field}.errors[${position}] is ${error} where the value is ` +
              `${series.values[position]}: an error is null exactly where its bar is`,
          );
        }
        if (error === null) return;
        if (!Number.isFinite(error)) {
          throw new Error(
            `${builder}: ${field}.errors[${position}] is ${error}, expected a finite number`,
          );
        }
        if (error < 0) {
          throw new Error(`${builder}: ${field}.errors[${position}] is ${error}, must be >= 0`);
        }
      });
      trace.error_y = { type: "data", array: [...series.errors], visible: true };
    }
    return trace;
  });
  return {
    data,
    layout: {
      barmode: "group",
      ...(input.title ? { title: { text: input.title } } : {}),
      xaxis: input.xTitle ? { title: { text: input.xTitle } } : {},
      yaxis: input.yTitle ? { title: { text: input.yTitle } } : {},
      legend: { orientation: "h", y: -0.2 },
    },
  };
}
