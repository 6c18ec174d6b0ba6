import type { BarTrace, Figure } from "./figure.ts";
import type { SettingNames } from "../util/settings.ts";
import { assertFinite, assertKnownFields } from "./_validate.ts";
import { seriesColor } from "./palette.ts";

/** Input of {@linkcode histogram}. */
export interface HistogramInput {
  /** The values to count; each must fall in a bin. */
  values: ArrayLike<number>;
  /**
   * Ascending bin edges; bin i counts `edges[i] <= v < edges[i+1]`, the last bin also takes
   * `v === edges[last]`. Values outside all bins are an error (nothing is silently dropped).
   */
  edges: number[];
  /** Figure title. Default: none. */
  title?: string;
  /** Title of the x axis. Default: none. */
  xTitle?: string;
  /** Default: `"count"`. */
  yTitle?: string;
}

const HISTOGRAM_FIELDS: SettingNames<HistogramInput> = {
  values: true,
  edges: true,
  title: true,
  xTitle: true,
  yTitle: true,
};

/**
 * Counts per bin, drawn as bars labelled `[low, high)`; bin edges are explicit so that plots of
 * skewed quantities (history lengths, popularity) can use log-spaced bins.
 *
 * @example
 * ```ts
 * const figure = histogram({ values: [1, 2, 2, 9], edges: [0, 5, 10] });
 * figure.data[0].y; // [3, 1]
 * ```
 */
export function histogram(input: HistogramInput): Figure {
  const builder = "histogram";
  assertKnownFields(builder, "the input", input, HISTOGRAM_FIELDS);
  const { edges } = input;
  if (edges.length < 2) throw new Error(`${builder}: edges needs at least 2 entries`);
  assertFinite(builder, "edges", edges);
  for (let index = 1; index < edges.length; index++) {
    if (!(edges[index] > edges[index - 1])) {
      throw new Error(`${builder}: edges must increase, edges[${index}] = ${edges[index]}`);
    }
  }
  assertFinite(builder, "values", input.values);
  const counts = new Array<number>(edges.length - 1).fill(0);
  const last = edges.length - 1;
  for (let index = 0; index < input.values.length; index++) {
    const value = input.values[index];
    if (value < edges[0] || value > edges[last]) {
      throw new Error(
        `${builder}: values[${index}] = ${value} is outside [${edges[0]}, ${edges[last]}]`,
      );
    }
    let bin = 0;
    while (bin < last - 1 && value >= edges[bin + 1]) bin++;
    counts[bin] += 1;
  }
  const labels = counts.map((_, bin) =>
    bin === last - 1 ? `[${edges[bin]}, ${edges[bin + 1]}]` : `[${edges[bin]}, ${edges[bin + 1]})`
  );
  const trace: BarTrace = {
    type: "bar",
    x: labels,
    y: counts,
    marker: { color: seriesColor(0) },
    name: "count",
  };
  return {
    data: [trace],
    layout: {
      ...(input.title ? { title: { text: input.title } } : {}),
      xaxis: { title: { text: input.xTitle ?? "" }, type: "category" },
      yaxis: { title: { text: input.yTitle ?? "count" } },
    },
  };
}
