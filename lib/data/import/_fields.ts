/**
 * What the importers share: reading a text file into lines, splitting a line into values, field
 * parsers and the modality-name rule. Each failure is a DataError naming file, line and field.
 */
import { DataError } from "../errors.ts";
import type { ModalityFeatures } from "../types.ts";

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

/** The 1-based line (counted by LF) of position `index` in `text`. */
function lineAt(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/**
 * Rejects text that is not a text file: NUL bytes or bytes that are not UTF-8 (decoded as
 * U+FFFD). Names the first such line.
 */
export function rejectBinary(path: string, text: string): void {
  const positions = [text.indexOf("\u0000"), text.indexOf("\uFFFD")].filter((i) => i >= 0);
  if (positions.length === 0) return;
  const bad = Math.min(...positions);
  const what = text[bad] === "\u0000" ? "a NUL byte" : "bytes that are not UTF-8 text";
  throw new DataError(
    path,
    lineAt(text, bad),
    "file",
    `${what}: not a text file (binary or wrong encoding)`,
  );
}

/**
 * Reads a text file; a missing file, a directory, NUL bytes or non-UTF-8 bytes are a DataError.
 * A leading byte-order mark is removed (Deno's decoder keeps it): it marks the encoding, it is
 * not part of the first line's first value.
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
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** One line of an input file and its 1-based number. */
export interface NumberedLine {
  line: number;
  content: string;
}

/**
 * Reads a text file into lines (1-based numbers), keeping blank lines out but counted. LF and
 * CRLF line ends are accepted. A carriage return without a line feed is an error naming its
 * line: splitting on LF would leave old-Mac (CR-only) lines run together as one line, whose
 * values whitespace splitting would then merge into one user.
 *
 * @example
 * ```ts
 * for (const { line, content } of readLines("beauty.txt")) console.log(line, content);
 * ```
 */
export function readLines(path: string): NumberedLine[] {
  const text = readTextFile(path);
  const bareCarriageReturn = text.search(/\r(?!\n)/);
  if (bareCarriageReturn >= 0) {
    throw new DataError(
      path,
      lineAt(text, bareCarriageReturn),
      "file",
      "a carriage return without a line feed (old Mac line ends?): convert the file to \\n or " +
        "\\r\\n line ends",
    );
  }
  return text.split(/\r?\n/).map((content, i) => ({ line: i + 1, content }))
    .filter(({ content }) => content.trim() !== "");
}

/** Spaces and tabs separate the values on a line; nothing else does. */
const SEPARATORS = /[ \t]+/;

/** Any whitespace that is not a space or a tab. */
const OTHER_WHITESPACE = /[^\S \t]/;

/** The whitespace that breaks or pages a line. */
const CONTROL_WHITESPACE = /[\r\n\v\f]/;

/** Names of the other whitespace most likely met, for the error message. */
const WHITESPACE_NAMES: Readonly<Record<string, string>> = {
  "\r": "carriage return",
  "\v": "vertical tab",
  "\f": "form feed",
  "\u00A0": "no-break space",
  "\uFEFF": "byte-order mark",
};

/**
 * Splits whitespace-separated values (a line of a sequence or feature file, a RecBole `_seq`
 * cell) on spaces and tabs. Any other whitespace (a carriage return, a vertical tab, a no-break
 * or other Unicode space; with `tokens`, only the line-breaking ones) is an error at the value it
 * touches, `fieldOf(k)` naming the k-th
 * value: splitting on it, as `\s+` does, would silently join lines or cut ids apart.
 *
 * @example
 * ```ts
 * splitValues(" u1  a\tb ", "f.txt", 1, () => "items"); // ["u1", "a", "b"]
 * ```
 */
export function splitValues(
  text: string,
  file: string,
  line: number,
  fieldOf: (index: number) => string,
  options: { tokens?: boolean } = {},
): string[] {
  // Tokens (a RecBole token_seq cell): RecBole splits on spaces only, so a no-break or other
  // Unicode space is part of a token (a title "Amélie\u00A0(2001)"); line breaks, vertical tabs
  // and form feeds are still refused.
  const bad = text.search(options.tokens ? CONTROL_WHITESPACE : OTHER_WHITESPACE);
  if (bad >= 0) {
    const before = text.slice(0, bad).trimStart();
    const index = before === "" ? 0 : before.split(SEPARATORS).length - 1;
    const code = text.charCodeAt(bad).toString(16).toUpperCase().padStart(4, "0");
    const name = WHITESPACE_NAMES[text[bad]];
    throw new DataError(
      file,
      line,
      fieldOf(index),
      `whitespace U+${code}${name ? ` (${name})` : ""} in or between values: only spaces and ` +
        "tabs separate values",
    );
  }
  const trimmed = text.trim();
  return trimmed === "" ? [] : trimmed.split(SEPARATORS);
}

/**
 * Refuses a modality name already taken: statistics, reports and per-modality results are keyed
 * by name, so a second modality of that name (e.g. a feature called "id" next to the learned
 * item-id modality) would be listed twice and one of them dropped from anything keyed by name.
 *
 * @example
 * ```ts
 * requireNewModalityName(dataset.modalities, "image", { file: "img.txt", line: 0, field: "name" });
 * ```
 */
export function requireNewModalityName(
  modalities: readonly ModalityFeatures[],
  name: string,
  site: FieldSite,
): void {
  if (modalities.some((modality) => modality.name === name)) {
    throw new DataError(
      site.file,
      site.line,
      site.field,
      `modality "${name}" already exists (modalities are keyed by name; "id" is the learned ` +
        "item-id modality): give this one another name",
    );
  }
}
