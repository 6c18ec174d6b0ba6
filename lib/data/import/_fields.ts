/** Field parsers shared by the importers: each failure is a DataError naming file, line, field. */
import { DataError } from "../errors.ts";

/** A position in an input file, for error messages. */
export interface FieldSite {
  file: string;
  line: number;
  field: string;
}

/** Parses a finite number; NaN, Infinity and non-numeric text are errors. */
export function finiteNumber(text: string, site: FieldSite): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === "" || Number.isNaN(value)) {
    throw new DataError(site.file, site.line, site.field, `not a number: "${text}"`);
  }
  if (!Number.isFinite(value)) {
    throw new DataError(site.file, site.line, site.field, `not finite: "${text}"`);
  }
  return value;
}

/** Splits a file into lines (1-based numbers), keeping blank lines out but counted. */
export function numberedLines(text: string): { line: number; content: string }[] {
  return text.split(/\r?\n/).map((content, i) => ({ line: i + 1, content }))
    .filter(({ content }) => content.trim() !== "");
}

/** Reads a text file; a missing file is a DataError at line 0. */
export function readTextFile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    throw new DataError(path, 0, "file", `cannot read: ${(error as Error).message}`);
  }
}
