import type { Figure } from "./figure.ts";
import { figureDivHtml } from "./figure_html.ts";
import {
  FULL_PLOTLY_BUNDLE,
  loadPlotlyBundle,
  tracesOutsideDefaultBundle,
} from "./plotly_bundle.ts";
import { makeFolders, writeFilesAtomically } from "../data/atomic_write.ts";
import { markdownToHtml } from "./_markdown.ts";
import { escapeHtml } from "./_escape.ts";
import { tableHtml, type TableSection } from "./table_html.ts";
import {
  checkOptionalText,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

export type { TableSection };

/** Text in a small Markdown subset (headings, paragraphs, `-` lists, bold, italic, code). */
export interface TextSection {
  /** Section kind. */
  kind: "text";
  /** The text, in the Markdown subset above. */
  markdown: string;
}

/** A Plotly figure drawn interactively in the page. */
export interface FigureSection {
  /** Section kind. */
  kind: "figure";
  /** The figure. */
  figure: Figure;
  /** Caption under the figure. Default: none. */
  caption?: string;
}

/** One block of an HTML report, in page order. */
export type ReportSection = TextSection | TableSection | FigureSection;

/** Options of {@linkcode renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Page title. Default: `"Report"`. */
  title?: string;
  /** Path of plotly.js. Default: the minified cartesian bundle (`DEFAULT_PLOTLY_BUNDLE`), or the
   * full one (`FULL_PLOTLY_BUNDLE`) when a figure has a trace type outside it. */
  plotlyPath?: string | URL;
}

const HTML_REPORT_OPTION_NAMES: SettingNames<HtmlReportOptions> = Object.freeze({
  title: true,
  plotlyPath: true,
});

/**
 * Throws a `SettingError` for an unknown name or a value of another kind, before anything is read
 * or written: a misspelt `titel` and a null title gave a page titled "Report", a null path the
 * default bundle, a number a TypeError from the page's escaping.
 */
function checkHtmlReportOptions(options: HtmlReportOptions): void {
  checkSettingNames("HtmlReportOptions", options, HTML_REPORT_OPTION_NAMES);
  checkOptionalText("HtmlReportOptions.title", options.title);
  const path: unknown = options.plotlyPath;
  if (path !== undefined && typeof path !== "string" && !(path instanceof URL)) {
    throw new SettingError("HtmlReportOptions.plotlyPath", path, "a path (a string or a URL)");
  }
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1200px;` +
  `margin:2em auto;padding:0 1em;color:#222;line-height:1.45}` +
  // A wide results table scrolls inside the page, its system column does not wrap, and a long
  // unbroken token (a settings record, a file path) wraps, instead of running past the right edge
  // of the page.
  `table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto;max-width:100%;` +
  `font-size:90%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}` +
  `th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}` +
  `td:first-child{white-space:nowrap}p,li{overflow-wrap:anywhere}` +
  `caption{caption-side:bottom;color:#555;font-size:90%;padding-top:4px}` +
  `figure{margin:1.5em 0}figcaption{color:#555;font-size:90%}` +
  `code{background:#f3f3f3;padding:0 3px;border-radius:3px}` +
  `pre{background:#f6f6f6;padding:6px 8px;overflow-x:auto}pre code{padding:0}`;

/**
 * A self-contained HTML page: no external URL; plotly.js inlined once in `<head>` when the page
 * has at least one figure.
 *
 * @example
 * ```ts
 * const html = await renderHtmlReport([
 *   { kind: "text", markdown: "# Results\nAll numbers are test-set NDCG@10." },
 *   { kind: "table", columns: ["model", "NDCG@10"], rows: [["SASRec", 0.0512]] },
 * ], { title: "Main table" });
 * ```
 */
export async function renderHtmlReport(
  sections: ReportSection[],
  options: HtmlReportOptions = {},
): Promise<string> {
  checkHtmlReportOptions(options);
  let figureCount = 0;
  const body = sections.map((section, sectionIndex) => {
    switch (section.kind) {
      case "text":
        return markdownToHtml(section.markdown);
      case "table":
        return tableHtml(section, `renderHtmlReport: section ${sectionIndex}`);
      case "figure": {
        figureCount += 1;
        const caption = section.caption
          ? `<figcaption>${escapeHtml(section.caption)}</figcaption>`
          : "";
        const div = figureDivHtml(section.figure, { elementId: `figure-${figureCount}` });
        return `<figure>${div}${caption}</figure>`;
      }
    }
  }).join("\n");
  const needsFull = sections.some((section) =>
    section.kind === "figure" && tracesOutsideDefaultBundle(section.figure).length > 0
  );
  const plotlyPath = options.plotlyPath ?? (needsFull ? FULL_PLOTLY_BUNDLE : undefined);
  const plotly = figureCount > 0 ? `<script>${await loadPlotlyBundle(plotlyPath)}</script>\n` : "";
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(options.title ?? "Report")}</title><style>${STYLE}</style>\n` +
    `${plotly}</head>\n<body>\n${body}\n</body></html>\n`;
}

/**
 * Render with {@linkcode renderHtmlReport} and write to `path` atomically (the
 * old file or the whole new one; no temporary left when the write fails).
 *
 * @example
 * ```ts
 * await writeHtmlReport("results/report.html", [
 *   { kind: "figure", figure: groupedBars({ categories: ["HR@10"], series: [{ name: "Pop", values: [0.1] }] }) },
 * ], { title: "Baselines" });
 * ```
 */
export async function writeHtmlReport(
  path: string,
  sections: ReportSection[],
  options: HtmlReportOptions = {},
): Promise<void> {
  const html = await renderHtmlReport(sections, options);
  const directory = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  const removeMade = makeFolders(directory);
  // The project's atomic write: a plain temporary-then-rename left `<path>.<pid>.tmp` beside the
  // report when the rename failed (a folder at `path`) or the write was cut short (a full disk).
  try {
    writeFilesAtomically([{ path, data: html }]);
  } catch (error) {
    removeMade();
    // An open's message names the temporary only; a write cut short starts with the report's
    // path already (writeFilesAtomically).
    const message = (error as Error).message;
    const named = message.startsWith(`${path}: `) ? message : `${path}: ${message}`;
    throw new Error(`writeHtmlReport: ${named}`, { cause: error });
  }
}
