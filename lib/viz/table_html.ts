import { escapeHtml } from "./_escape.ts";

/** A table; numbers are printed with `digits` decimals (integers as they are). */
export interface TableSection {
  /** Section kind (in an HTML report). */
  kind: "table";
  /** Column headers. */
  columns: string[];
  /** Rows, one cell per column. */
  rows: Array<Array<string | number>>;
  /** Caption above the table. Default: none. */
  caption?: string;
  /** Decimals for non-integer numbers. Default: 4. */
  digits?: number;
}

function formatCell(value: string | number, digits: number): string {
  if (typeof value === "string") return escapeHtml(value);
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/**
 * An HTML table; `context` prefixes error messages (e.g. "renderHtmlReport: section 2").
 *
 * @example
 * ```ts
 * tableHtml({ kind: "table", columns: ["model", "NDCG@10"], rows: [["Pop", 0.01234]] }, "demo");
 * // "<table><thead><tr><th>model</th><th>NDCG@10</th></tr></thead><tbody>\n<tr><td>Pop</td><td>0.0123</td></tr>\n</tbody></table>"
 * ```
 */
export function tableHtml(section: TableSection, context: string): string {
  const digits = section.digits ?? 4;
  const body = section.rows.map((row, rowIndex) => {
    if (row.length !== section.columns.length) {
      throw new Error(
        `${context} table row ${rowIndex} has ${row.length} cells, ` +
          `expected ${section.columns.length} (${section.columns.join(", ")})`,
      );
    }
    return `<tr>${row.map((cell) => `<td>${formatCell(cell, digits)}</td>`).join("")}</tr>`;
  }).join("\n");
  const caption = section.caption ? `<caption>${escapeHtml(section.caption)}</caption>` : "";
  const head = section.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("");
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
