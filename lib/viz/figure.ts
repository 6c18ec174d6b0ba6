/**
 * Plotly figure specs as plain typed data: builders return a {@linkcode Figure}, and the same value
 * is displayed in a notebook, written into an HTML report or screenshotted to PNG.
 * Only the Plotly attributes this workspace uses are typed; the spec is JSON-serialisable.
 */

/** A colour scale: either a Plotly name ("Viridis") or `[fraction, colour]` stops. */
export type ColorScale = string | Array<[number, string]>;

/** Error bars on a bar or scatter trace (`type: "data"`: explicit symmetric values). */
export interface ErrorBars {
  /** Explicit values (`array`), not a percentage or the square root. */
  type: "data";
  /** Half-length of each bar's error, in data units, one per point (`null`: none there). */
  array: Array<number | null>;
  /** Whether the error bars are drawn. */
  visible: boolean;
  /** Line thickness in pixels. */
  thickness?: number;
  /** Width of the cross-bar ends in pixels. */
  width?: number;
}

/** A heatmap trace: `z[row][column]` (`null` = no value, drawn as a gap), rows `y`, columns `x`. */
export interface HeatmapTrace {
  /** Trace kind. */
  type: "heatmap";
  /** Values, `z[row][column]`; `null` leaves a gap. */
  z: Array<Array<number | null>>;
  /** Column labels. */
  x: string[];
  /** Row labels. */
  y: string[];
  /** Colour scale of the values. */
  colorscale?: ColorScale;
  /** Value at the middle of the colour scale (diverging scales). */
  zmid?: number;
  /** Value at the low end of the colour scale. */
  zmin?: number;
  /** Value at the high end of the colour scale. */
  zmax?: number;
  /** Title of the colour bar. */
  colorbar?: { title?: { text: string } };
  /** Plotly hover template (e.g. `"%{y}: %{z:.2f}"`). */
  hovertemplate?: string;
  /** Trace name (legend and hover). */
  name?: string;
}

/** A line/marker trace; with `fill` it draws error bands. */
export interface ScatterTrace {
  /** Trace kind. */
  type: "scatter";
  /** x values. */
  x: number[];
  /** y values, one per x. */
  y: number[];
  /** Series name (legend and hover). */
  name?: string;
  /** Lines, markers or both. */
  mode?: "lines" | "markers" | "lines+markers";
  /** Line colour, width (pixels) and dash style. */
  line?: { color?: string; width?: number; dash?: string };
  /** Marker colour, size (pixels), symbol (e.g. `"circle-open"`) and outline. */
  marker?: {
    color?: string;
    size?: number;
    symbol?: string;
    line?: { color?: string; width?: number };
  };
  /** Area fill: `toself` closes the trace into a band. */
  fill?: "toself" | "tonexty" | "none";
  /** Colour of the filled area. */
  fillcolor?: string;
  /** Whether the trace has a legend entry. */
  showlegend?: boolean;
  /** Traces of one group toggle together in the legend. */
  legendgroup?: string;
  /** Plotly hover info (`"skip"` for bands). */
  hoverinfo?: string;
  /** The y axis the trace is drawn against. */
  yaxis?: "y" | "y2";
  /** Vertical error bars. */
  error_y?: ErrorBars;
}

/** A bar trace; several on one category axis make grouped bars. */
export interface BarTrace {
  /** Trace kind. */
  type: "bar";
  /** Categories. */
  x: string[];
  /** Bar heights, one per category; `null` draws no bar there (a gap). */
  y: Array<number | null>;
  /** Series name (legend and hover). */
  name?: string;
  /** Bar colour. */
  marker?: { color?: string };
  /** Vertical error bars. */
  error_y?: ErrorBars;
  /** Bars of traces with the same offset group share one slot of each category group. */
  offsetgroup?: string;
  /** Traces of one group toggle together in the legend. */
  legendgroup?: string;
  /** Whether the trace has a legend entry. */
  showlegend?: boolean;
}

/** Any trace a builder in this workspace produces. */
export type Trace = HeatmapTrace | ScatterTrace | BarTrace;

/** An axis of the layout. */
export interface Axis {
  /** Axis title. */
  title?: { text: string };
  /** Axis scale. */
  type?: "linear" | "log" | "category";
  /** Shown range `[min, max]` (default: fitted to the data). */
  range?: [number, number];
  /** Grow the margin to fit long tick labels. */
  automargin?: boolean;
  /** Fit the range to the data; `"reversed"` flips it. */
  autorange?: boolean | "reversed";
  /** For a second y axis: draw it over the first. */
  overlaying?: "y";
  /** Side of the plot the axis is drawn on. */
  side?: "left" | "right";
  /** Draw a line at 0. */
  zeroline?: boolean;
  /** Rotation of the tick labels in degrees. */
  tickangle?: number;
  /**
   * How ticks are placed. `"auto"`: round values fitted to the axis's own range; plotly.js 3+
   * defaults an overlaying axis to `"sync"`, which puts its ticks at the first axis's grid lines
   * (values such as 0.0579, 0.0698).
   */
  tickmode?: "auto" | "linear" | "array" | "sync";
  /**
   * With `tickmode: "linear"`: the step between ticks (from the first tick, 0 by default). On a
   * log axis `"D2"` labels only 1, 2 and 5 of each decade (`"D1"`: every digit).
   */
  dtick?: number | "D1" | "D2";
  /** Draw grid lines at the ticks. */
  showgrid?: boolean;
  /** With `tickmode: "array"`: the values that get a tick (and a label). */
  tickvals?: number[];
  /** With `tickmode: "array"`: the label of each of `tickvals` (default: the value). */
  ticktext?: string[];
  /**
   * On a log axis, how the labels between powers of ten read: `"small digits"` (plotly's
   * default: 200 reads "2"), `"complete"` (200 reads "200") or `"none"`.
   */
  minorloglabels?: "small digits" | "complete" | "none";
  /** d3 format of the tick labels (`".0%"`: 0.25 reads 25%). Default: plotly's. */
  tickformat?: string;
}

/** The figure layout. */
export interface Layout {
  /** Figure title. */
  title?: { text: string };
  /** The x axis. */
  xaxis?: Axis;
  /** The (first) y axis. */
  yaxis?: Axis;
  /** A second y axis (traces with `yaxis: "y2"`). */
  yaxis2?: Axis;
  /** How bar traces on one category share it. */
  barmode?: "group" | "stack" | "overlay";
  /** Show the legend; plotly.js's default hides it when the figure has a single trace. */
  showlegend?: boolean;
  /** Width in pixels (default: the container's). */
  width?: number;
  /** Height in pixels. */
  height?: number;
  /** Margins in pixels (left, right, top, bottom). */
  margin?: { l?: number; r?: number; t?: number; b?: number };
  /** Legend orientation and position (fractions of the plot area). */
  legend?: { orientation?: "h" | "v"; x?: number; y?: number };
  /** Plotly template name (e.g. `"plotly_white"`). */
  template?: string;
  /** What hovering shows. */
  hovermode?: "closest" | "x" | "x unified" | false;
}

/** A complete Plotly figure: what `Plotly.newPlot(div, data, layout)` takes. */
export interface Figure {
  /** The traces, drawn in order. */
  data: Trace[];
  /** Axes, title, size and legend. */
  layout: Layout;
}
