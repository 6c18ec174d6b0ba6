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
  let field = "";
  let record: string[] = [];
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (char === "\n") line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (char === ",") {
      record.push(field);
      field = "";
      fieldStarted = false;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      lines.push(recordLine);
      record = [];
      field = "";
      fieldStarted = false;
      line++;
      recordLine = line;
    } else {
      if (char === '"') {
        throw new DataError(file, line, `column ${record.length + 1}`, "stray quote");
      }
      field += char;
      fieldStarted = true;
    }
  }
  if (inQuotes) {
    throw new DataError(file, recordLine, `column ${record.length + 1}`, "unclosed quote");
  }
  if (fieldStarted || record.length > 0) {
    record.push(field);
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
