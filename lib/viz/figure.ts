/**
 * Plotly figure specs as plain typed data: builders return a {@linkcode Figure}, and the same value
 * is displayed in a notebook, written into an HTML report or screenshotted to PNG.
 * Only the Plotly attributes this workspace uses are typed; the spec is JSON-serialisable.
 */

/** A colour scale: either a Plotly name ("Viridis") or `[fraction, colour]` stops. */
export type ColorScale = string | Array<[number, string]>;

/** Error bars on a bar or scatter trace (`type: "data"`: explicit symmetric values). */
export interface ErrorBars {
  type: "data";
  array: number[];
  visible: boolean;
  thickness?: number;
  width?: number;
}

/** A heatmap trace: `z[row][column]` (`null` = no value, drawn as a gap), rows `y`, columns `x`. */
export interface HeatmapTrace {
  type: "heatmap";
  z: Array<Array<number | null>>;
  x: string[];
  y: string[];
  colorscale?: ColorScale;
  zmid?: number;
  zmin?: number;
  zmax?: number;
  colorbar?: { title?: { text: string } };
  hovertemplate?: string;
  name?: string;
}

/** A line/marker trace; with `fill` it draws error bands. */
export interface ScatterTrace {
  type: "scatter";
  x: number[];
  y: number[];
  name?: string;
  mode?: "lines" | "markers" | "lines+markers";
  line?: { color?: string; width?: number; dash?: string };
  marker?: { color?: string; size?: number };
  fill?: "toself" | "tonexty" | "none";
  fillcolor?: string;
  showlegend?: boolean;
  legendgroup?: string;
  hoverinfo?: string;
  yaxis?: "y" | "y2";
  error_y?: ErrorBars;
}

/** A bar trace; several on one category axis make grouped bars. */
export interface BarTrace {
  type: "bar";
  x: string[];
  y: number[];
  name?: string;
  marker?: { color?: string };
  error_y?: ErrorBars;
}

/** Any trace a builder in this workspace produces. */
export type Trace = HeatmapTrace | ScatterTrace | BarTrace;

/** An axis of the layout. */
export interface Axis {
  title?: { text: string };
  type?: "linear" | "log" | "category";
  range?: [number, number];
  automargin?: boolean;
  autorange?: boolean | "reversed";
  overlaying?: "y";
  side?: "left" | "right";
  zeroline?: boolean;
  tickangle?: number;
}

/** The figure layout. */
export interface Layout {
  title?: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  yaxis2?: Axis;
  barmode?: "group" | "stack" | "overlay";
  width?: number;
  height?: number;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  legend?: { orientation?: "h" | "v"; x?: number; y?: number };
  template?: string;
  hovermode?: "closest" | "x" | "x unified" | false;
}

/** A complete Plotly figure: what `Plotly.newPlot(div, data, layout)` takes. */
export interface Figure {
  data: Trace[];
  layout: Layout;
}
