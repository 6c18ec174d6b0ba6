import type { Figure } from "../viz/figure.ts";
import { figureDivHtml } from "../viz/figure_html.ts";
import {
  FULL_PLOTLY_BUNDLE,
  loadPlotlyBundle,
  tracesOutsideDefaultBundle,
} from "../viz/plotly_bundle.ts";
import { jupyterOrNull } from "../util/jupyter.ts";
import {
  checkBoolean,
  checkOptionalText,
  checkSettingNames,
  type SettingNames,
} from "../util/settings.ts";
import { formatTable, tableHtml, type TableSection } from "../viz/table_html.ts";

/** Options of {@linkcode display}. */
export interface DisplayOptions {
  /** Emit the plotly.js bundle even if this kernel session already did. Default: false. */
  forcePlotlyBundle?: boolean;
  /**
   * Text under the figure, in the page's own font (a figure's caption: what it shows and how to
   * read it; a `console.log` line would print in a code font, apart from the figure). Default:
   * none.
   */
  caption?: string;
}

const DISPLAY_OPTION_SETTINGS: SettingNames<DisplayOptions> = {
  forcePlotlyBundle: true,
  caption: true,
};

/** The MIME bundle of one figure output (what the kernel is asked to display). */
export interface FigureMimeBundle {
  "text/html": string;
  "application/vnd.plotly.v1+json": Figure;
  "text/plain": string;
  [mime: string]: string | Figure;
}

/**
 * The MIME bundle for a figure. `text/html` is what nbconvert keeps, so it carries plotly.js
 * itself when `plotlyBundle` is given; the Plotly MIME type serves frontends with a Plotly
 * renderer (JupyterLab extension, VS Code).
 *
 * @example
 * ```ts
 * const bundle = figureMimeBundle(figure, { elementId: "demure-plot-1", plotlyBundle: null });
 * ```
 */
export function figureMimeBundle(
  figure: Figure,
  options: { elementId: string; plotlyBundle: string | null; caption?: string },
): FigureMimeBundle {
  const script = options.plotlyBundle === null ? "" : `<script>${options.plotlyBundle}</script>`;
  const html = figureDivHtml(figure, { elementId: options.elementId, caption: options.caption });
  return {
    "text/html": script + html,
    "application/vnd.plotly.v1+json": figure,
    "text/plain": `Figure: ${figureTitle(figure)}` +
      (options.caption === undefined ? "" : `\n${options.caption}`),
  };
}

/** A short human name for logs and the plain-text fallback. */
export function figureTitle(figure: Figure): string {
  return figure.layout.title?.text ?? `${figure.data.length} trace(s)`;
}

/**
 * Which plotly.js bundle a kernel session emitted last: none yet, the default (cartesian) or the
 * full one.
 */
export type PlotlyBundleState = "none" | "default" | "full";

/** What {@linkcode plotlyBundleToSend} decided for one figure. */
export interface PlotlyBundleDecision {
  /** The bundle to inline before this figure, or null for none. */
  send: "default" | "full" | null;
  /** The state after this figure is shown. */
  next: PlotlyBundleState;
}

/**
 * Whether a figure's output inlines plotly.js, and which bundle, given what the kernel session
 * already emitted (`state`). Rule: plotly.js is emitted by the first figure only, so an executed
 * notebook carries one copy, in document order before every later figure; a figure whose traces
 * need the full bundle (`needsFull`) emits it once more unless the full one was the last emitted,
 * and the full bundle's `window.Plotly` is a superset of the default's. `force`
 * ({@linkcode DisplayOptions.forcePlotlyBundle}) emits one whatever the state. The page runs
 * every script in order, so `window.Plotly` is the bundle emitted last: a forced default bundle
 * after the full one leaves the default, and the next figure that needs the full one emits it
 * again. Kept pure (no kernel) so that a unit test can pin it; {@linkcode display} holds the state.
 *
 * @example
 * ```ts
 * plotlyBundleToSend("none", { needsFull: false, force: false }).send; // "default"
 * plotlyBundleToSend("default", { needsFull: false, force: false }).send; // null: sent already
 * ```
 */
export function plotlyBundleToSend(
  state: PlotlyBundleState,
  { needsFull, force }: { needsFull: boolean; force: boolean },
): PlotlyBundleDecision {
  const send = needsFull
    ? (force || state !== "full" ? "full" : null)
    : (force || state === "none" ? "default" : null);
  return { send, next: send ?? state };
}

// Per kernel session (the module instance lives as long as the kernel): see plotlyBundleToSend.
let plotlyEmitted: PlotlyBundleState = "none";
let figureCounter = 0;

/**
 * Show a figure in the Deno Jupyter kernel; outside a kernel, print a one-line note instead.
 * The first figure of a kernel session inlines plotly.js (the minified cartesian bundle,
 * about 1.5 MB) into its `text/html` output; later ones only add a div and a `Plotly.newPlot`
 * call (the rule, with the full bundle's: {@linkcode plotlyBundleToSend}). If you clear that
 * first output in a live notebook, later figures still draw (the page keeps plotly.js loaded),
 * but a saved copy would not: pass `forcePlotlyBundle: true` or re-run from the top. An option the function does
 * not have is a `SettingError`.
 *
 * @example
 * ```ts
 * await display(groupedBars({ categories: ["HR@10"], series: [{ name: "Pop", values: [0.1] }] }));
 * ```
 */
export async function display(figure: Figure, options: DisplayOptions = {}): Promise<void> {
  // A misspelt `captoin` showed the figure without its caption.
  checkSettingNames("DisplayOptions", options, DISPLAY_OPTION_SETTINGS);
  // null was read as "not given" (no caption, no forced bundle); a caption 1 printed "1".
  if (options.forcePlotlyBundle !== undefined) {
    checkBoolean("DisplayOptions.forcePlotlyBundle", options.forcePlotlyBundle);
  }
  checkOptionalText("DisplayOptions.caption", options.caption);
  const jupyter = jupyterOrNull();
  if (jupyter === null) {
    console.log(`[figure] ${figureTitle(figure)} (shown in notebooks; see writeHtmlReport)`);
    if (options.caption !== undefined) console.log(options.caption);
    return;
  }
  const decision = plotlyBundleToSend(plotlyEmitted, {
    needsFull: tracesOutsideDefaultBundle(figure).length > 0,
    force: options.forcePlotlyBundle === true,
  });
  figureCounter += 1;
  const bundle = figureMimeBundle(figure, {
    elementId: `demure-plot-${figureCounter}`,
    plotlyBundle: decision.send === null
      ? null
      : await loadPlotlyBundle(decision.send === "full" ? FULL_PLOTLY_BUNDLE : undefined),
    caption: options.caption,
  });
  await jupyter.display(bundle, { raw: true });
  plotlyEmitted = decision.next;
  await sleep(publishWaitMs(bundle["text/html"].length));
}

/**
 * How long {@linkcode display} and {@linkcode displayTable} wait after an output of `chars`
 * characters, in milliseconds: 20 ms plus 0.25 ms per 1000 characters, at most 5 s (a figure or a
 * table: about 25 ms; the first figure, which carries plotly.js's 1.5 MB: about 0.4 s).
 *
 * Why: the Deno kernel (2.9.6) queues a cell's display and stream messages and publishes each
 * under the request that is current when it leaves the queue. Under Cell → Run All the next
 * cell's request is already waiting, so whatever is still queued when a cell ends (the figures and
 * lines behind a large output) is published under the next cell's request, and the page shows it
 * in the next cell (`scripts/check_kernel_routing.py`: 4 rounds in 6 without the wait, 8 in 8
 * with it). Waiting while the cell still runs lets the queue drain first.
 */
export function publishWaitMs(chars: number): number {
  return Math.min(5000, Math.round(20 + chars / 4000));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A table to show: the same shape as a report's table section, without `kind`. */
export type TableInput = Omit<TableSection, "kind">;

/**
 * Show a table in the Deno Jupyter kernel as HTML (plain text for other frontends); outside a
 * kernel, print it as tab-separated lines. The best values of `best` columns are bold in HTML and
 * end with "*" in plain text, under which a line says what "*" marks. For a danfo DataFrame pass
 * `{ columns: frame.columns, rows: frame.values }`.
 *
 * @example
 * ```ts
 * await displayTable({ columns: ["model", "NDCG@10"], rows: [["Pop", 0.0123], ["SASRec", 0.0456]] });
 * ```
 */
export async function displayTable(table: TableInput): Promise<void> {
  const section: TableSection = { kind: "table", ...table };
  const html = tableHtml(section, "displayTable");
  const { cells, best, bestNote } = formatTable(section, "displayTable");
  const marked = cells.map((row, rowIndex) =>
    row.map((cell, column) => best[rowIndex][column] ? `${cell}*` : cell)
  );
  const plain = [table.columns, ...marked].map((row) => row.join("\t"))
    .concat(bestNote ? [bestNote("*")] : [])
    .join("\n");
  const jupyter = jupyterOrNull();
  if (jupyter === null) {
    console.log(table.caption ? `${table.caption}\n${plain}` : plain);
    return;
  }
  await jupyter.display({ "text/html": html, "text/plain": plain }, { raw: true });
  await sleep(publishWaitMs(html.length + plain.length));
}
