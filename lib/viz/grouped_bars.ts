import type { BarTrace, Figure } from "./figure.ts";
import type { SettingNames } from "../util/settings.ts";
import { assertKnownFields, assertLength } from "./_validate.ts";
import { seriesColors } from "./palette.ts";

/**
 * One bar per category; `errors` are half-widths (e.g. standard deviation over seeds). A `null`
 * value is a declared gap: no bar is drawn there (name why in the category label or the caption);
 * NaN and infinities are refused, so a value lost by accident never becomes a silent gap. A `null`
 * error under a bar draws that bar without an error bar (e.g. a single run has no spread; a 0
 * would read as "no variation"): name why in the caption.
 */
export interface BarSeries {
  /** Series name (legend). */
  name: string;
  /** One value per category; `null`: no bar there. */
  values: Array<number | null>;
  /**
   * Half-width of each error bar, one per category; `null` where `values` is (no bar) and where a
   * bar has no error bar.
   */
  errors?: Array<number | null>;
}

/** Input of {@linkcode groupedBars}. */
export interface GroupedBarsInput {
  /** Category labels on the x axis (e.g. datasets or metrics), each once; at least one. */
  categories: string[];
  /** One series per method; `values[i]` belongs to `categories[i]`. */
  series: BarSeries[];
  /** Default: none. */
  title?: string;
  /** Title of the y axis. Default: none. */
  yTitle?: string;
  /** Title of the x axis. Default: none. */
  xTitle?: string;
  /**
   * The values are shares (0.25 = 25 %): label the y axis in percent, as the tables beside such
   * a figure print them. Default: false (the values as they are).
   */
  yPercent?: boolean;
}

const GROUPED_BARS_FIELDS: SettingNames<GroupedBarsInput> = {
  categories: true,
  series: true,
  title: true,
  yTitle: true,
  xTitle: true,
  yPercent: true,
};

/** d3 format of a percent axis: 0.25 reads 25%, 0.984 reads 98%. */
const PERCENT_TICKS = ".0%";

const BAR_SERIES_FIELDS: SettingNames<BarSeries> = { name: true, values: true, errors: true };

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
  assertKnownFields(builder, "the input", input, GROUPED_BARS_FIELDS);
  // No category is a figure of no bars: an empty plot that says nothing about why.
  if (input.categories.length === 0) throw new Error(`${builder}: categories is empty`);
  if (input.series.length === 0) throw new Error(`${builder}: series is empty`);
  // A notebook is not type-checked: `yPercent: "yes"` would draw the shares as plain numbers.
  if (input.yPercent !== undefined && typeof input.yPercent !== "boolean") {
    throw new Error(
      `${builder}: yPercent is ${JSON.stringify(input.yPercent)}, expected true or false`,
    );
  }
  // plotly.js puts every bar of a repeated category into the one slot of that label, the later
  // bar over the earlier: the earlier value was hidden and the later one read under both labels.
  input.categories.forEach((category, position) => {
    const first = input.categories.indexOf(category);
    if (first !== position) {
      throw new Error(
        `${builder}: categories[${position}] = "${category}" repeats categories[${first}]; ` +
          "each category is one group of bars",
      );
    }
  });
  // A system keeps its colour in every figure (SYSTEM_COLORS), not the colour of its position.
  const colors = seriesColors(input.series.map((series) => series.name));
  const traces: BarTrace[][] = input.series.map((series, index) => {
    const field = `series "${series.name}"`;
    assertKnownFields(builder, field, series, BAR_SERIES_FIELDS);
    assertLength(builder, `${field}.values`, series.values, input.categories.length);
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
      marker: { color: colors[index] },
    };
    if (!series.errors) return [trace];
    const errors = series.errors;
    assertLength(builder, `${field}.errors`, errors, input.categories.length);
    errors.forEach((error, position) => {
      if (error === null) return;
      if (series.values[position] === null) {
        throw new Error(
          `${builder}: ${field}.errors[${position}] is ${error} where the value is null: ` +
            "an error bar needs its bar",
        );
      }
      if (!Number.isFinite(error)) {
        throw new Error(
          `${builder}: ${field}.errors[${position}] is ${error}, expected a finite number`,
        );
      }
      if (error < 0) {
        throw new Error(`${builder}: ${field}.errors[${position}] is ${error}, must be >= 0`);
      }
    });
    const bare = series.values.map((value, position) =>
      value !== null && errors[position] === null
    );
    if (!bare.includes(true)) {
      trace.error_y = { type: "data", array: [...errors], visible: true };
      return [trace];
    }
    if (errors.every((error) => error === null)) return [trace];
    // plotly.js reads an error of null as 0 and draws a flat whisker; no per-bar switch exists.
    // So the bars without an error bar go into a second trace in the same slot (offset group),
    // colour and legend entry, and the first trace keeps the bars that have one.
    const group = `series ${index}`;
    return [
      {
        ...trace,
        y: series.values.map((value, position) => (bare[position] ? null : value)),
        error_y: { type: "data", array: [...errors], visible: true },
        offsetgroup: group,
        legendgroup: group,
      },
      {
        ...trace,
        y: series.values.map((value, position) => (bare[position] ? value : null)),
        offsetgroup: group,
        legendgroup: group,
        showlegend: false,
      },
    ];
  });
  // Once one series is split in two, every series names its slot: traces without an offset group
  // would each take a slot of their own.
  const split = traces.some((pair) => pair.length > 1);
  const data = traces.flatMap((pair, index) =>
    split ? pair.map((trace) => ({ offsetgroup: `series ${index}`, ...trace })) : pair
  );
  return {
    data,
    layout: {
      barmode: "group",
      ...(input.title ? { title: { text: input.title } } : {}),
      xaxis: input.xTitle ? { title: { text: input.xTitle } } : {},
      yaxis: {
        ...(input.yTitle ? { title: { text: input.yTitle } } : {}),
        // Notebook 01's coverage bars read 0 to 1 on the axis beside tables of "98.4 %".
        ...(input.yPercent === true ? { tickformat: PERCENT_TICKS } : {}),
      },
      // The categories are often metrics and the series the systems: with one series (a dataset
      // where only SASRec-MM finished), plotly.js hid the legend and the bars belonged to no one.
      showlegend: true,
      legend: { orientation: "h", y: -0.2 },
    },
  };
}
