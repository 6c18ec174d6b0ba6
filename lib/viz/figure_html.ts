import type { Figure } from "./figure.ts";
import { inlineJson } from "./plotly_bundle.ts";
import { escapeHtml } from "./_escape.ts";

/** Class of every figure `<div>`: `scripts/check_html.ts` counts these against rendered plots. */
export const FIGURE_CLASS = "demure-plot";

/** Options of {@linkcode figureDivHtml}. */
export interface FigureDivOptions {
  /** Element id; unique within the page. */
  elementId: string;
  /** Render as a static image-like plot (no hover, no mode bar). Default: false. */
  staticPlot?: boolean;
  /**
   * Text under the figure: the div goes into a `<figure>` with this `<figcaption>`, styled inline
   * (a notebook page has no stylesheet of ours) as the HTML reports style theirs. Default: none.
   */
  caption?: string;
}

/** The look of a captioned figure, inline: as `figure` and `figcaption` in `html_report.ts`. */
const FIGURE_STYLE = "margin:1.5em 0";
const CAPTION_STYLE = "color:#555;font-size:90%;line-height:1.45;max-width:70em";

/**
 * A `<div>` plus the `<script>` that draws the figure with `Plotly.newPlot`. plotly.js must be on
 * the page (see `loadPlotlyBundle`); when it is not loaded yet the call waits for `load`.
 * The script finds its div as its previous sibling (so a re-used id from an earlier kernel session
 * in a live notebook cannot capture it), falling back to the id. With `caption`, both go into a
 * `<figure>` with the caption under them.
 *
 * @example
 * ```ts
 * const html = figureDivHtml({ data: [], layout: {} }, { elementId: "figure-1" });
 * ```
 */
export function figureDivHtml(figure: Figure, options: FigureDivOptions): string {
  const div = plotDivHtml(figure, options);
  if (options.caption === undefined) return div;
  return `<figure style="${FIGURE_STYLE}">${div}` +
    `<figcaption style="${CAPTION_STYLE}">${escapeHtml(options.caption)}</figcaption></figure>`;
}

/** The div and its drawing script. */
function plotDivHtml(figure: Figure, options: FigureDivOptions): string {
  const height = figure.layout.height ?? 450;
  const width = figure.layout.width === undefined ? "100%" : `${figure.layout.width}px`;
  const config = options.staticPlot
    ? { staticPlot: true, displaylogo: false }
    : { responsive: true, displaylogo: false };
  const id = inlineJson(options.elementId);
  return `<div class="${FIGURE_CLASS}" id="${
    escapeHtml(options.elementId)
  }" style="width:${width};height:${height}px;"></div>` +
    `<script>(function(){` +
    `var script=document.currentScript;` +
    `var sibling=script&&script.previousElementSibling;` +
    `var element=sibling&&sibling.id===${id}?sibling:document.getElementById(${id});` +
    `var spec=${inlineJson(figure)};` +
    `function draw(){window.Plotly.newPlot(element,spec.data,spec.layout,${inlineJson(config)});}` +
    `if(window.Plotly){draw();}else{window.addEventListener("load",draw);}` +
    `})();</script>`;
}
