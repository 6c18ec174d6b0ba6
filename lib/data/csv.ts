/**
 * Minimal RFC 4180 CSV (comma separator, double-quote quoting, "\n" records) for the committed
 * dataset files: titles contain commas and quotes, so fields are quoted when needed.
 */
import { DataError } from "./errors.ts";

/** A parsed CSV file: the header and the records with their 1-based line numbers. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** `lines[r]` is the line on which record `r` starts. */
  lines: number[];
}

/**
 * Quotes one field when it contains a comma, quote or newline.
 *
 * @example
 * ```ts
 * csvField('Heat, "The"'); // '"Heat, ""The"""'
 * ```
 */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Formats rows (header first) as CSV text ending in a newline.
 *
 * @example
 * ```ts
 * formatCsv([["id", "title"], ["1", "Heat"]]); // "id,title\n1,Heat\n"
 * ```
 */
export function formatCsv(rows: string[][]): string {
  return rows.map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

/**
 * Parses CSV text; every record must have as many fields as the header.
 *
 * @example
 * ```ts
 * parseCsv('id,title\n1,"Heat, The"\n', "items.csv").rows; // [["1", "Heat, The"]]
 * ```
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records: string[][] = [];
  const lines: number[] = [];
  const QUOTE = 34, COMMA = 44, NEWLINE = 10, RETURN = 13;
  let position = 0;
  let line = 1;
  // Fields are sliced out of `text` (no per-character concatenation): 100k-row files parse fast.
  while (position < text.length) {
    const record: string[] = [];
    const recordLine = line;
    while (true) {
      let field: string;
      if (text.charCodeAt(position) === QUOTE) {
        const parts: string[] = [];
        let start = position + 1;
        while (true) {
          const close = text.indexOf('"', start);
          if (close < 0) {
            throw new DataError(file, recordLine, `column ${record.length + 1}`, "unclosed quote");
          }
          const chunk = text.slice(start, close);
          for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) line++;
          parts.push(chunk);
          if (text.charCodeAt(close + 1) === QUOTE) {
            parts.push('"');
            start = close + 2;
          } else {
            position = close + 1;
            break;
          }
        }
        field = parts.join("");
        const next = text.charCodeAt(position);
        if (position < text.length && next !== COMMA && next !== NEWLINE && next !== RETURN) {
          throw new DataError(
            file,
            line,
            `column ${record.length + 1}`,
            "text after closing quote",
          );
        }
      } else {
        let end = position;
        while (end < text.length) {
          const code = text.charCodeAt(end);
          if (code === COMMA || code === NEWLINE || code === RETURN) break;
          if (code === QUOTE) {
            throw new DataError(file, line, `column ${record.length + 1}`, "stray quote");
          }
          end++;
        }
        field = text.slice(position, end);
        position = end;
      }
      record.push(field);
      const code = text.charCodeAt(position);
      if (code === COMMA) {
        position++;
        continue;
      }
      if (code === RETURN && text.charCodeAt(position + 1) === NEWLINE) position++;
      position++;
      line++;
      break;
    }
    records.push(record);
    lines.push(recordLine);
  }
  if (records.length === 0) throw new DataError(file, 1, "header", "empty file");
  const header = records[0];
  const rows = records.slice(1);
  rows.forEach((row, r) => {
    if (row.length !== header.length) {
      throw new DataError(
        file,
        lines[r + 1],
        `column ${Math.min(row.length, header.length) + 1}`,
        `${row.length} fields, header has ${header.length}`,
      );
    }
  });
  return { header, rows, lines: lines.slice(1) };
}
