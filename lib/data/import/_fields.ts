/** Field parsers shared by the importers: each failure is a DataError naming file, line, field. */
import { DataError } from "../errors.ts";

/** A position in an input file, for error messages. */
export interface FieldSite {
  file: string;
  line: number;
  field: string;
}

/** Decimal notation only: `Number()` would also take "0x10", "0b1", "0o7" and " " as numbers. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Parses a finite decimal number; NaN, Infinity, hexadecimal/binary/octal literals and other
 * non-numeric text are errors. With `float32`, a value that float32 storage would turn into
 * Infinity is an error too.
 */
export function finiteNumber(
  text: string,
  site: FieldSite,
  options: { float32?: boolean } = {},
): number {
  const trimmed = text.trim();
  if (/^[+-]?(inf|infinity)$/i.test(trimmed)) {
    throw new DataError(site.file, site.line, site.field, `not finite: "${text}"`);
  }
  if (!DECIMAL.test(trimmed)) {
    throw new DataError(
      site.file,
      site.line,
      site.field,
      `not a number: "${text}" (decimal notation expected, e.g. 12, -0.5, 1e-3)`,
    );
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new DataError(site.file, site.line, site.field, `not finite: "${text}"`);
  }
  if (options.float32 && Math.abs(value) > FLOAT32_MAX) {
    throw new DataError(
      site.file,
      site.line,
      site.field,
      `${text} is outside the float32 range (|x| <= 3.4e38): it would become Infinity`,
    );
  }
  return value;
}

/**
 * Rejects text that is not a text file: NUL bytes or bytes that are not UTF-8 (decoded as
 * U+FFFD). Names the first such line.
 */
export function rejectBinary(path: string, text: string): void {
  const positions = [text.indexOf("\u0000"), text.indexOf("\uFFFD")].filter((i) => i >= 0);
  if (positions.length === 0) return;
  const bad = Math.min(...positions);
  const line = text.slice(0, bad).split("\n").length;
  const what = text[bad] === "\u0000" ? "a NUL byte" : "bytes that are not UTF-8 text";
  throw new DataError(path, line, "file", `${what}: not a text file (binary or wrong encoding)`);
}

/** Splits a file into lines (1-based numbers), keeping blank lines out but counted. */
export function numberedLines(text: string): { line: number; content: string }[] {
  return text.split(/\r?\n/).map((content, i) => ({ line: i + 1, content }))
    .filter(({ content }) => content.trim() !== "");
}

/**
 * Reads a text file; a missing file, a directory, NUL bytes or non-UTF-8 bytes are a DataError.
 */
export function readTextFile(path: string): string {
  let text: string;
  try {
    if (Deno.statSync(path).isDirectory) {
      throw new Error("is a directory, not a file");
    }
    text = Deno.readTextFileSync(path);
  } catch (error) {
    throw new DataError(path, 0, "file", `cannot read: ${(error as Error).message}`);
  }
  rejectBinary(path, text);
  return text;
}
