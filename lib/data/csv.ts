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
  const reader = new CsvReader(text, file);
  const records: string[][] = [];
  const lines: number[] = [];
  while (!reader.done) {
    lines.push(reader.line);
    records.push(reader.record());
  }
  if (records.length === 0) throw new DataError(file, 1, "header", "empty file");
  const [header, ...rows] = records;
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

const QUOTE = 34, COMMA = 44, NEWLINE = 10, RETURN = 13;

/**
 * Reads `text` record by record, keeping the position and the line (a quoted field may span
 * lines). Fields are sliced out of `text` (no per-character concatenation): 100k-row files parse
 * fast.
 */
class CsvReader {
  readonly #text: string;
  readonly #file: string;
  #position = 0;
  /** The 1-based line at the reader's position. */
  line = 1;

  constructor(text: string, file: string) {
    this.#text = text;
    this.#file = file;
  }

  /** Whether the whole text has been read. */
  get done(): boolean {
    return this.#position >= this.#text.length;
  }

  /** The fields of the record at the position, which then moves past its line end. */
  record(): string[] {
    const text = this.#text;
    const record: string[] = [];
    const recordLine = this.line;
    while (true) {
      const column = `column ${record.length + 1}`;
      record.push(
        text.charCodeAt(this.#position) === QUOTE
          ? this.#quotedField(column, recordLine)
          : this.#plainField(column),
      );
      const code = text.charCodeAt(this.#position);
      if (code === COMMA) {
        this.#position++;
        continue;
      }
      if (code === RETURN && text.charCodeAt(this.#position + 1) === NEWLINE) this.#position++;
      this.#position++;
      this.line++;
      return record;
    }
  }

  /** A field in quotes (`""` is one quote), which must end the field. */
  #quotedField(column: string, recordLine: number): string {
    const text = this.#text;
    const parts: string[] = [];
    let start = this.#position + 1;
    while (true) {
      const close = text.indexOf('"', start);
      if (close < 0) throw new DataError(this.#file, recordLine, column, "unclosed quote");
      const chunk = text.slice(start, close);
      for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) this.line++;
      // A lone "\r" ends a line too, as it ends a record (record()): else a file with "\r" line
      // ends named every record after such a field a line too early. A chunk ends before a quote,
      // so a "\r" at its end is a lone one.
      for (let i = chunk.indexOf("\r"); i >= 0; i = chunk.indexOf("\r", i + 1)) {
        if (chunk.charCodeAt(i + 1) !== NEWLINE) this.line++;
      }
      parts.push(chunk);
      if (text.charCodeAt(close + 1) !== QUOTE) {
        this.#position = close + 1;
        break;
      }
      parts.push('"');
      start = close + 2;
    }
    const next = text.charCodeAt(this.#position);
    if (!this.done && next !== COMMA && next !== NEWLINE && next !== RETURN) {
      throw new DataError(this.#file, this.line, column, "text after closing quote");
    }
    return parts.join("");
  }

  /** A field without quotes, up to the next comma or line end; a quote in it is an error. */
  #plainField(column: string): string {
    const text = this.#text;
    let end = this.#position;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (code === COMMA || code === NEWLINE || code === RETURN) break;
      if (code === QUOTE) throw new DataError(this.#file, this.line, column, "stray quote");
      end++;
    }
    const field = text.slice(this.#position, end);
    this.#position = end;
    return field;
  }
}
