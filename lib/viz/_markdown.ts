/**
 * A deliberately small Markdown subset for report text: `#`..`###` headings, paragraphs, `-`
 * bullet lists, pipe tables (a header row, a `| --- |` separator row, body rows), fenced code
 * blocks (```` ``` ```` lines, shown as preformatted text), `**bold**`, `*italic*` and
 * `` `code` ``. Everything else is escaped literally, so report text can never inject markup.
 *
 * Tables and fences are the report's own (`summaryMarkdown` writes the main tables and the
 * dataset statistics with them): without them `report.html` showed every results table as one
 * paragraph of `|`-separated text and each statistics block run together on one line.
 */

import { escapeHtml } from "./_escape.ts";

function inline(text: string): string {
  // A code span is literal: its "*" (a glob, a product) was read as emphasis, and `a*b*c` showed
  // "a<em>b</em>c". Each span is set aside as "<N>" while the emphasis around it is read: escaped
  // text holds no "<" of its own, so only a placeholder matches when the spans are put back.
  const spans: string[] = [];
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, (_, code: string) => `<${spans.push(code) - 1}>`)
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/\*([^*]+)\*/g, "<em>$1</em>")
    .replace(/<(\d+)>/g, (_, index: string) => `<code>${spans[Number(index)]}</code>`);
}

const FENCE = /^```/;
const TABLE_ROW = /^\|.*\|$/;
const TABLE_SEPARATOR = /^\|(\s*:?-{3,}:?\s*\|)+$/;

/**
 * The cells of a pipe-table row (`| a | b |` -> `["a", "b"]`); `\|` is a "|" inside a cell, as in
 * GitHub's tables (the report writes a cell's "|" so).
 */
function tableCells(line: string): string[] {
  return line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll("\\|", "|"));
}

/**
 * A "mean ± std" cell breaks, if at all, only before its "±": in the report's 11-column main
 * tables the browser broke "0.1193 ± 0.0440" into three lines, the ± alone on the middle one
 * (kept on one line, the table grew wider than the page and hid its last columns).
 */
function keepSpreadTogether(html: string): string {
  return html.replace(/ ± /g, " ±&nbsp;");
}

/**
 * A pipe table's HTML: cells keep the inline subset. Not table_html.ts's `tableHtml`, which formats
 * a `TableSection`'s values: these cells are the report's text, already formatted.
 */
function pipeTableHtml(header: string, body: readonly string[]): string {
  const row = (line: string, tag: "th" | "td") =>
    `<tr>${
      tableCells(line).map((cell) => `<${tag}>${keepSpreadTogether(inline(cell))}</${tag}>`)
        .join("")
    }</tr>`;
  return `<table><thead>${row(header, "th")}</thead>` +
    `<tbody>${body.map((line) => row(line, "td")).join("")}</tbody></table>`;
}

/**
 * Refuses a table row with more or fewer cells than its header. The tables are the report's own
 * text, so a row of another width is a writer's bug: it rendered short (or with a cell under no
 * header), shifting the columns a reader compares, without a word.
 */
function checkRowWidth(header: string, row: string, index: number): void {
  const columns = tableCells(header);
  const cells = tableCells(row).length;
  if (cells !== columns.length) {
    throw new Error(
      `markdown table, line ${index + 1}: ${cells} cells under a header of ${columns.length} ` +
        `(${columns.join(", ")}): ${row}`,
    );
  }
}

/** Render the subset to HTML; a table row whose width differs from its header's throws. */
export function markdownToHtml(markdown: string): string {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push(`<p>${inline(paragraph.join(" "))}</p>`);
    if (list.length) {
      blocks.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join("")}</ul>`);
    }
    paragraph = [];
    list = [];
  };
  const lines = markdown.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      // An unclosed fence runs to the end of the text, as in CommonMark.
      while (index + 1 < lines.length && !FENCE.test(lines[index + 1].trim())) {
        code.push(lines[++index]);
      }
      index++;
      blocks.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
    } else if (TABLE_ROW.test(line) && TABLE_SEPARATOR.test(lines[index + 1]?.trim() ?? "")) {
      flush();
      const body: string[] = [];
      index++;
      checkRowWidth(line, lines[index].trim(), index);
      while (index + 1 < lines.length && TABLE_ROW.test(lines[index + 1].trim())) {
        body.push(lines[++index].trim());
        checkRowWidth(line, body[body.length - 1], index);
      }
      blocks.push(pipeTableHtml(line, body));
    } else if (line === "") {
      flush();
    } else if (heading) {
      flush();
      const level = heading[1].length;
      blocks.push(`<h${level}>${inline(heading[2])}</h${level}>`);
    } else if (/^[-*]\s+/.test(line)) {
      if (paragraph.length) flush();
      list.push(line.replace(/^[-*]\s+/, ""));
    } else {
      if (list.length) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks.join("\n");
}
