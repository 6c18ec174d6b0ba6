/**
 * Figures: typed Plotly builders, self-contained HTML reports, PNG export (displaying a figure in a
 * notebook is `display` in `lib/notebook`).
 *
 * @example
 * ```ts
 * import { contributionHeatmap } from "./lib/viz/mod.ts";
 * const figure = contributionHeatmap({ values: [0.2, 0.8], numPositions: 1, modalityNames: ["id", "text"] });
 * ```
 */
export type {
  Axis,
  BarTrace,
  ColorScale,
  ErrorBars,
  Figure,
  HeatmapTrace,
  Layout,
  ScatterTrace,
  Trace,
} from "./figure.ts";
export {
  PALETTE,
  seriesColor,
  seriesColors,
  SYSTEM_COLORS,
  systemOfSeries,
  withAlpha,
} from "./palette.ts";
export { contributionHeatmap, type ContributionHeatmapInput } from "./contribution_heatmap.ts";
export { type CurveSeries, trainingCurves, type TrainingCurvesInput } from "./training_curves.ts";
export { type BarSeries, groupedBars, type GroupedBarsInput } from "./grouped_bars.ts";
export {
  type BandSeries,
  lineWithBands,
  type LineWithBandsInput,
  symmetricBand,
} from "./line_bands.ts";
export { histogram, type HistogramInput } from "./histogram.ts";
export { differencePlot, type DifferencePlotInput } from "./difference_plot.ts";
export {
  DEFAULT_TABLE_DIGITS,
  formatTable,
  formatTableCells,
  type FormattedTable,
  MISSING_CELL,
  type TableCell,
  tableHtml,
  type TableSection,
} from "./table_html.ts";
export { FIGURE_CLASS, figureDivHtml } from "./figure_html.ts";
export {
  type FigureSection,
  type HtmlReportOptions,
  renderHtmlReport,
  type ReportSection,
  type TextSection,
  writeHtmlReport,
} from "./html_report.ts";
export { DEFAULT_FIGURE_PNG_OPTIONS, type FigurePngOptions, figureToPng } from "./figure_png.ts";
export {
  DEFAULT_PLOTLY_BUNDLE,
  FULL_PLOTLY_BUNDLE,
  loadPlotlyBundle,
  tracesOutsideDefaultBundle,
} from "./plotly_bundle.ts";
export {
  browserEnv,
  type BrowserUser,
  type ChromiumConfig,
  type ChromiumLaunch,
  chromiumLaunch,
  chromiumSetting,
  DEFAULT_CHROMIUM_CONFIG,
  DEFAULT_CHROMIUM_TIMEOUT_MS,
  findChromium,
  makeBrowserDir,
} from "./chromium.ts";
export { checkRenderedHtml, type HtmlCheckReport } from "./check_rendered_html.ts";
export { unresolvedPageReferences } from "./page_references.ts";
