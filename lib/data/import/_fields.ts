/**
 * What the importers share: reading a text file line by line (a chunk at a time), splitting a line
 * into values, field parsers and the modality-name rule. Each failure is a DataError naming file,
 * line and field.
 */
import { DataError } from "../errors.ts";
import type { ModalityFeatures } from "../types.ts";
import { type WorkProgressListener, workProgressReporter } from "../../util/work_progress.ts";

/** A position in an input file, for error messages. */
export interface FieldSite {
  file: string;
  line: number;
  field: string;
}

/** Decimal notation only: `Number()` would also take "0x10", "0b1", "0o7" and " " as numbers. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A date written day, month and year in some order (`17/09/2020`, `9/17/20 08:49`, `17.09.2020`),
 * as a spreadsheet or a locale's export writes one; the ISO form (`2020-09-17`) is checked apart.
 */
const DAY_MONTH_YEAR = /^\d{1,2}[./-]\d{1,2}[./-](\d{2}|\d{4})(\D|$)/;

/**
 * What a value that is not a number most likely is, for the error: a date (a timestamp exported
 * as one), a number written with a comma (a spreadsheet's decimal comma, or thousands
 * separators), a list of numbers in a RecBole `float` column or one separated by commas in a
 * `float_seq` cell (`field` names it), or an empty cell. Empty for anything else.
 */
function notANumberHint(text: string, field: string): string {
  // Only an .inter number can be empty (an empty .item float is a missing modality): its row
  // would need a value made up for it, which nothing here does.
  if (text === "") {
    return "; an empty cell: every row needs a value in this column (nothing stands in for one)";
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text) || DAY_MONTH_YEAR.test(text)) {
    return "; a date? timestamps are numbers here (such as Unix seconds), which only order each " +
      "user's history";
  }
  // A RecBole column of one number a row (`vector:float`) holding a list: its header's type.
  const parts = text.split(/\s+/);
  if (field.endsWith(":float") && parts.length > 1 && parts.every((part) => DECIMAL.test(part))) {
    const name = field.slice(0, -":float".length);
    return `; several numbers in one cell: a column of number lists is of type float_seq ` +
      `(${name}:float_seq in the header)`;
  }
  // A float_seq cell (`vector:float_seq[0]`) written as a comma-separated list: commas between
  // decimals with points, or more than one comma that does not group thousands ("0,5" is left
  // to the decimal comma's hint below).
  const commaParts = text.split(",");
  const isList = commaParts.some((part) => part.includes(".")) ||
    (commaParts.length > 2 && !/^[+-]?\d{1,3}(,\d{3})+$/.test(text));
  if (
    /:float_seq\[\d+\]$/.test(field) && isList &&
    commaParts.every((part) => DECIMAL.test(part.trim()))
  ) {
    return "; a comma-separated list? the values of a float_seq cell are separated by spaces: " +
      `${commaParts.map((part) => part.trim()).join(" ")}`;
  }
  if (/^[+-]?\d+(,\d+)+(\.\d+)?$/.test(text)) {
    return "; a decimal comma or a thousands separator? the decimal mark is a point, with no " +
      "separators: 4.5, 1600000";
  }
  return "";
}

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
      `not a number: "${text}" (decimal notation expected, e.g. 12, -0.5, 1e-3${
        notANumberHint(trimmed, site.field)
      })`,
    );
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new DataError(site.file, site.line, site.field, `not finite: "${text}"`);
  }
  // Rounding decides, not a comparison with the largest float32: "3.4028235e+38" (how numpy
  // prints that largest float32) is a little above it as a double yet stores as it, finite.
  if (options.float32 && !Number.isFinite(Math.fround(value))) {
    throw new DataError(
      site.file,
      site.line,
      site.field,
      `${text} is outside the float32 range (|x| <= 3.4e38): it would become Infinity`,
    );
  }
  return value;
}

/** The number of line feeds in `text` before position `end`. */
function lineFeedsBefore(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at >= 0 && at < end; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

/** Bytes read at a time by {@linkcode forEachLine}: 1 MiB. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** How {@linkcode forEachLine} reads a file. */
export interface LineReadOptions {
  /**
   * Bytes read at a time (default {@linkcode DEFAULT_CHUNK_BYTES}). Only memory and speed depend
   * on it; tests use a few bytes to split lines and characters across reads.
   */
  chunkBytes?: number;
  /**
   * Tab-separated fields (RecBole atomic files): a line holding a tab is a row of empty cells,
   * as pandas (RecBole's reader) reads it, not a blank line to skip. Default false: where spaces
   * and tabs alike separate values, a line of them is blank. The first non-blank line is then
   * the header, whose cells name the columns: a refused byte's error names its column by it.
   */
  tabSeparated?: boolean;
}

/** Receives one non-blank line (1-based number, text without its line end). */
export type LineVisitor = (line: number, content: string) => void;

/**
 * Where a missing relative path was looked for, said after "no such file": `./run.sh` and the
 * `deno task`s run in the project folder, a notebook's kernel in `notebooks/`, so `mine.inter`
 * typed in the folder that holds it named another file, and the bare message named one the user
 * could see. Empty for an absolute path, or when this process may not read its folder's name.
 */
export function relativePathNote(path: string): string {
  if (path.startsWith("/")) return "";
  try {
    return ` (a relative path, read from ${Deno.cwd()})`;
  } catch {
    return "";
  }
}

/**
 * What is at `path`: a file, a folder, or undefined for nothing (or nothing this process may see,
 * or something else). For the hints after "no such file", which name what the user gave instead.
 */
export function pathKind(path: string): "file" | "folder" | undefined {
  try {
    const info = Deno.statSync(path);
    return info.isDirectory ? "folder" : info.isFile ? "file" : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens a file for reading; a missing file, a directory or an unreadable file is a DataError
 * ("cannot read: ...", line 0).
 */
function openTextFile(path: string): Deno.FsFile {
  try {
    if (Deno.statSync(path).isDirectory) {
      throw new Error("is a directory, not a file");
    }
    return Deno.openSync(path);
  } catch (error) {
    const where = error instanceof Deno.errors.NotFound ? relativePathNote(path) : "";
    throw new DataError(path, 0, "file", `cannot read: ${(error as Error).message}${where}`);
  }
}

/** The file's bytes from offset `from` to `to` (a refused byte's line, read back for its error). */
function readBack(file: Deno.FsFile, from: number, to: number, path: string): Uint8Array {
  const bytes = new Uint8Array(Math.max(0, to - from));
  file.seekSync(from, Deno.SeekMode.Start);
  for (let read = 0; read < bytes.length;) {
    const count = readChunk(file, bytes.subarray(read), path);
    if (count === null) break;
    read += count;
  }
  return bytes;
}

/** Reads the next bytes into `buffer`; their count, or null at the end of the file. */
function readChunk(file: Deno.FsFile, buffer: Uint8Array, path: string): number | null {
  try {
    return file.readSync(buffer);
  } catch (error) {
    throw new DataError(path, 0, "file", `cannot read: ${(error as Error).message}`);
  }
}

/** The error for a carriage return without a line feed on `line`. */
function bareCarriageReturn(path: string, line: number): DataError {
  return new DataError(
    path,
    line,
    "file",
    "a carriage return without a line feed (old Mac line ends?): convert the file to \\n or " +
      "\\r\\n line ends",
  );
}

/**
 * Cuts decoded text, as it arrives piece by piece, into lines and hands each non-blank one to a
 * visitor, holding only the line being cut. The text checks of the whole file outrank whatever
 * the visitor throws, as they did when the whole file was checked before any line was read: a NUL
 * or non-UTF-8 byte anywhere is thrown at once (it is the earliest, being met in file order),
 * then the first carriage return without a line feed, then the visitor's first error. After
 * either of the last two, lines are no longer visited; the rest of the file is still checked.
 */
class LineCutter {
  /** The current line's text so far (the file's last piece may end in the middle of a line). */
  #partial = "";
  /** The 1-based number of the line being cut, counted by line feeds. */
  #line = 1;
  /** No text seen yet: a byte-order mark would come first. */
  #atStart = true;
  /** The line of the first carriage return without a line feed. */
  #bareCarriageReturn: number | undefined;
  /** The first thing the visitor threw. */
  #visitFailed = false;
  #visitError: unknown;
  /**
   * The first non-blank line ended by a line feed (a tab-separated file's header), whatever the
   * visitor or a carriage return made of it: a refused byte's error names its column by it.
   */
  #firstLine: string | undefined;
  /**
   * A bare carriage return came before the first non-blank line ended: the text after it was
   * dropped (see `#continueLine`), so the cutter does not know that line, and a refusal reads it
   * back from the file instead. Taking the dropped line's tail named a column by whatever part of
   * the header followed the chunk that held the carriage return.
   */
  #firstLineLost = false;

  constructor(
    private readonly path: string,
    private readonly visit: LineVisitor,
    /** Whether a line (its end removed) is blank: skipped but counted. */
    private readonly isBlank: (content: string) => boolean,
  ) {}

  /** Takes the next piece of decoded text. */
  push(text: string): void {
    if (text === "") return;
    this.#rejectBinary(text);
    if (this.#atStart) {
      this.#atStart = false;
      // A byte-order mark (which the decoder keeps) marks the encoding; it is not part of the
      // first line's first value.
      if (text.startsWith("\uFEFF")) text = text.slice(1);
    }
    for (let start = 0;;) {
      const end = text.indexOf("\n", start);
      if (end < 0) {
        this.#continueLine(text.slice(start));
        return;
      }
      const content = this.#partial + text.slice(start, end);
      if (this.#firstLine === undefined && !this.#firstLineLost && !this.isBlank(content)) {
        this.#firstLine = content;
      }
      this.#completeLine(content);
      this.#partial = "";
      this.#line++;
      start = end + 1;
    }
  }

  /** Ends the text: the last line needs no line feed. Throws what was held back. */
  end(): void {
    // At the end of the text nothing follows a carriage return: it is bare.
    const last = this.#partial;
    this.#partial = "";
    if (last.includes("\r")) this.#noteBareCarriageReturn();
    else this.#visitLine(last);
    if (this.#bareCarriageReturn !== undefined) {
      throw bareCarriageReturn(this.path, this.#bareCarriageReturn);
    }
    if (this.#visitFailed) throw this.#visitError;
  }

  /**
   * NUL bytes: not a text file. Names the line of the first. (Bytes that are not UTF-8 never get
   * here: the fatal decoder refuses them, see `refusal`; a U+FFFD in the text is the file's own
   * character, encoded as EF BF BD, and is kept.)
   */
  #rejectBinary(text: string): void {
    const bad = text.indexOf("\u0000");
    if (bad < 0) return;
    throw notText(this.path, this.#line + lineFeedsBefore(text, bad), "a NUL byte");
  }

  /**
   * The first non-blank line ended by a line feed so far (text before the refused chunk);
   * undefined too when a bare carriage return came first (the line was not kept whole).
   */
  get firstLine(): string | undefined {
    return this.#firstLine;
  }

  /**
   * The refusal of the bytes the decoder could not read, given the bytes of the refused chunk
   * that came before them (`before`: the cutter has all text up to that chunk). A NUL byte among
   * `before` came first in the file and is named instead. Neither the decoder's held-back bytes
   * (part of one character) nor a byte of a multi-byte character is a line feed, so line feeds in
   * `before` count the lines. `field` is the refused byte's column, where the file has columns.
   */
  refusal(before: Uint8Array, where = "", field = "file"): DataError {
    const nul = before.indexOf(0);
    const upTo = nul >= 0 ? nul : before.length;
    let line = this.#line;
    for (let i = 0; i < upTo; i++) if (before[i] === LINE_FEED) line++;
    if (nul >= 0) return notText(this.path, line, "a NUL byte");
    return notText(this.path, line, `bytes that are not UTF-8 text${where}`, LATIN1_HINT, field);
  }

  /**
   * Adds text to the current line. A carriage return followed by more of the line is bare: said
   * now, so that a file with only carriage returns (no line feed) is not gathered into one line.
   */
  #continueLine(text: string): void {
    if (this.#bareCarriageReturn !== undefined) return;
    const carriageReturn = text.indexOf("\r");
    if (
      (carriageReturn >= 0 && carriageReturn < text.length - 1) ||
      (this.#partial.endsWith("\r") && text !== "")
    ) {
      this.#noteBareCarriageReturn();
      return;
    }
    this.#partial += text;
  }

  /** A line that ended in a line feed: a carriage return may only come right before it. */
  #completeLine(content: string): void {
    if (this.#bareCarriageReturn !== undefined) return;
    const carriageReturn = content.indexOf("\r");
    if (carriageReturn < 0) this.#visitLine(content);
    else if (carriageReturn === content.length - 1) this.#visitLine(content.slice(0, -1));
    else this.#noteBareCarriageReturn();
  }

  #noteBareCarriageReturn(): void {
    if (this.#firstLine === undefined) this.#firstLineLost = true;
    this.#bareCarriageReturn ??= this.#line;
    this.#partial = "";
  }

  /** Hands a non-blank line to the visitor until the visitor or the text has failed. */
  #visitLine(content: string): void {
    if (this.#visitFailed || this.isBlank(content)) return;
    try {
      this.visit(this.#line, content);
    } catch (error) {
      this.#visitFailed = true;
      this.#visitError = error;
    }
  }
}

const LINE_FEED = 0x0a;

/** The error for a file that is not text: `what` is what was found at `line`. */
function notText(
  path: string,
  line: number,
  what: string,
  hint = "",
  field = "file",
): DataError {
  return new DataError(
    path,
    line,
    field,
    `${what}: not a text file (binary or wrong encoding)${hint}`,
  );
}

/**
 * Text files that are not UTF-8 are most often Latin-1 or Windows-1252 (older exports, and
 * MovieLens 1M's own .dat files): one byte from 80 to FF a character, which UTF-8 refuses.
 */
const LATIN1_HINT = "; text saved as Latin-1 or Windows-1252 (where \u00e9 is the byte E9) is " +
  "read after converting it to UTF-8, e.g. iconv -f latin1 -t utf-8 FILE > FILE_UTF8";

/** The bytes a UTF-8 character of this first byte has (1 for a byte that starts none). */
function utf8Length(first: number): number {
  return first >= 0xf0 && first <= 0xf7 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
}

/**
 * Where the character the decoder refused starts, in `bytes`, given that it failed at
 * `failAt` (the first byte it did not take; `bytes.length` when the file ended): a first byte
 * whose character the failing byte cut short (Latin-1's `é`, E9, before an ASCII digit
 * fails at the digit), or the failing byte itself.
 */
function refusedStart(bytes: Uint8Array, failAt: number): number {
  for (let i = failAt - 1; i >= Math.max(0, failAt - 3); i--) {
    if ((bytes[i] & 0xc0) === 0x80) continue;
    return bytes[i] >= 0xc0 && utf8Length(bytes[i]) > failAt - i ? i : failAt;
  }
  return failAt;
}

/**
 * Says which byte was refused and where on its line: the line's text before it (`before`, its
 * last 24 characters shown) and, in a tab-separated file, its 1-based `column`.
 */
function refusedWhere(byte: number, before: string, column: number | undefined): string {
  const hex = byte.toString(16).toUpperCase().padStart(2, "0");
  const chars = [...before];
  const shown = chars.length > 24 ? `...${chars.slice(-24).join("")}` : before;
  const at = before === "" ? "at the line's start" : `after ${JSON.stringify(shown)}`;
  return ` (byte ${hex} ${at}${column === undefined ? "" : `, column ${column}`})`;
}

/**
 * The field of a refused byte in 1-based `column` of a tab-separated file, as a row's other errors
 * name it: the header cell of that column (`header`: the header line; undefined when the refused
 * byte is on the header line itself, which the field "header" then names). A column past the
 * header's last is named by the last, as a row's field count error names it; an empty header cell
 * by its number, as the header's own error names it.
 */
function refusedField(column: number, header: string | undefined): string {
  if (header === undefined) return "header";
  const cells = header.split("\t");
  const index = Math.min(column, cells.length);
  return cells[index - 1].trim() || `column ${index}`;
}

/**
 * The first non-blank line of the file's bytes before offset `end` (a line's start), or undefined
 * when there is none: the header of a file whose refused chunk holds it (the line cutter never
 * saw that chunk's lines), or whose header held a bare carriage return. Those bytes were all
 * decoded, so they are UTF-8. Read a piece at a time up to that line, not up to `end`: the
 * refused line may be millions of lines down.
 */
function firstLineBefore(
  file: Deno.FsFile,
  end: number,
  path: string,
  isBlank: (content: string) => boolean,
): string | undefined {
  // The default decoder removes a leading byte-order mark, as the cutter does.
  const decoder = new TextDecoder();
  let partial = "";
  for (let from = 0; from < end; from += READ_BACK_BYTES) {
    const bytes = readBack(file, from, Math.min(end, from + READ_BACK_BYTES), path);
    const lines = (partial + decoder.decode(bytes, { stream: true })).split("\n");
    partial = lines.pop()!;
    const found = lines.map((line) => line.replace(/\r$/, "")).find((line) => !isBlank(line));
    if (found !== undefined) return found;
  }
  // `end` is a line's start: the bytes before it end with a line feed, so `partial` is empty.
  return undefined;
}

/** Bytes read at a time by {@linkcode firstLineBefore}. */
const READ_BACK_BYTES = 1 << 16;

/** The most bytes a UTF-8 decoder holds back between chunks: the first 3 of a 4-byte character. */
const HELD_BACK_MAX = 3;

/**
 * The last {@linkcode HELD_BACK_MAX} bytes of `tail` then `bytes`, copied (the read buffer is
 * reused): enough to hold what the decoder held back, for {@linkcode refusedOffset}.
 */
function lastBytes(tail: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (bytes.length >= HELD_BACK_MAX) return bytes.slice(bytes.length - HELD_BACK_MAX);
  const joined = new Uint8Array(tail.length + bytes.length);
  joined.set(tail);
  joined.set(bytes, tail.length);
  return joined.slice(Math.max(0, joined.length - HELD_BACK_MAX));
}

/**
 * Where in `chunk` the bytes a fatal streaming decoder refused begin, given `tail`, the last bytes
 * before the chunk (which decoded without error). The decoder says only that it failed, and the
 * line must be named: this runs once, on the failing chunk. `tail` is cut to start at a character's
 * first byte (continuation bytes, 10xxxxxx, end a character already read), so that a fresh decoder
 * fed the cut tail and then the chunk is in the state the file's decoder was in. A fresh decoder
 * that takes a prefix in streaming mode fails exactly when the prefix holds refused bytes, so the
 * longest prefix it takes is found by bisection.
 */
function refusedOffset(tail: Uint8Array, chunk: Uint8Array): number {
  let start = 0;
  while (start < tail.length && (tail[start] & 0xc0) === 0x80) start++;
  const bytes = new Uint8Array(tail.length - start + chunk.length);
  bytes.set(tail.subarray(start));
  bytes.set(chunk, tail.length - start);
  const takes = (length: number): boolean => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  // takes(low) and not takes(high): the refused bytes end the longest prefix taken, `low`.
  let low = tail.length - start;
  let high = bytes.length;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (takes(middle)) low = middle;
    else high = middle;
  }
  return low - (tail.length - start);
}

/**
 * Refuses UTF-16 text by its byte-order mark: Windows' "Unicode" text, which Excel's "Unicode
 * Text" export writes (tab-separated, so close to an atomic file), was "not a text file (binary
 * or wrong encoding)". Every other byte is the UTF-8 decoder's to judge.
 */
function refuseUtf16(path: string, head: Uint8Array): void {
  if (head.length < 2) return;
  const mark = head[0] === 0xff && head[1] === 0xfe
    ? "FF FE"
    : head[0] === 0xfe && head[1] === 0xff
    ? "FE FF"
    : undefined;
  if (mark === undefined) return;
  throw new DataError(
    path,
    1,
    "file",
    `UTF-16 text (byte-order mark ${mark}, as Excel's "Unicode Text" saves): save it as UTF-8`,
  );
}

/**
 * Reads a text file a chunk at a time and hands each non-blank line (blank lines are skipped but
 * counted) to `visit`, holding only the chunk and the line being read: a RecBole `.inter` of
 * millions of lines is never in memory whole. LF and CRLF line ends are accepted; a leading
 * byte-order mark is removed. Each failure is a DataError naming the line, checked as if the
 * whole file were checked before any line is read, so that what `visit` throws at an earlier line
 * gives way to them:
 * - a missing file, a directory or an unreadable file (line 0);
 * - UTF-16 text (its byte-order mark), said as such;
 * - NUL bytes or bytes that are not UTF-8 (a fatal decoder's refusal): not a text file. A U+FFFD
 *   written in the file (EF BF BD, as in scraped titles) is text and is read as it is;
 * - a carriage return without a line feed: splitting on LF would leave old-Mac (CR-only) lines
 *   run together as one line, whose values whitespace splitting would then merge into one user.
 *
 * Then what `visit` threw first, if anything. A character split across two chunks is decoded
 * whole (a streaming decoder).
 *
 * `onProgress` (default none: quiet) hears the bytes read so far of the file's size after each
 * chunk, the last event, after the last line, with all of them: a file of millions of lines takes
 * tens of seconds.
 *
 * @example
 * ```ts
 * forEachLine("beauty.txt", (line, content) => console.log(line, content));
 * ```
 */
export function forEachLine(
  path: string,
  visit: LineVisitor,
  { chunkBytes = DEFAULT_CHUNK_BYTES, tabSeparated = false }: LineReadOptions = {},
  onProgress?: WorkProgressListener,
): void {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
    throw new RangeError(`forEachLine: chunkBytes must be a positive integer, got ${chunkBytes}`);
  }
  const file = openTextFile(path);
  try {
    // The size when opened: the last event, after the last line, has all of it read.
    const size = onProgress === undefined ? 0 : file.statSync().size;
    const report = workProgressReporter(size, onProgress);
    const buffer = new Uint8Array(chunkBytes);
    // ignoreBOM keeps a byte-order mark, as reading the whole file did; the cutter removes one.
    // Fatal: bytes that are not UTF-8 are refused, not read as U+FFFD (which a file may hold).
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
    const isBlank = tabSeparated
      ? (content: string) => !content.includes("\t") && content.trim() === ""
      : (content: string) => content.trim() === "";
    const cutter = new LineCutter(path, visit, isBlank);
    let tail: Uint8Array = new Uint8Array(0);
    // The file offsets of the bytes read so far and of the current line's start: a refusal reads
    // its line back to say where on it the refused byte is.
    let consumed = 0;
    let lineStart = 0;
    const refuse = (tail: Uint8Array, bytes: Uint8Array, failAt: number): DataError => {
      const joined = new Uint8Array(tail.length + bytes.length);
      joined.set(tail);
      joined.set(bytes, tail.length);
      const start = refusedStart(joined, tail.length + failAt);
      const before = bytes.subarray(0, failAt);
      const lineFeed = before.lastIndexOf(LINE_FEED);
      const from = lineFeed >= 0 ? consumed + lineFeed + 1 : lineStart;
      const to = consumed + start - tail.length;
      if (before.indexOf(0) >= 0) return cutter.refusal(before);
      // The line up to the refused byte, which is UTF-8 (everything before it was decoded).
      const lineBefore = new TextDecoder().decode(readBack(file, from, to, path));
      if (!tabSeparated) {
        return cutter.refusal(before, refusedWhere(joined[start], lineBefore, undefined));
      }
      const column = lineBefore.split("\t").length;
      const header = cutter.firstLine ?? firstLineBefore(file, from, path, isBlank);
      return cutter.refusal(
        before,
        refusedWhere(joined[start], lineBefore, column),
        refusedField(column, header),
      );
    };
    const decode = (bytes: Uint8Array): void => {
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        throw refuse(tail, bytes, refusedOffset(tail, bytes));
      }
      cutter.push(text);
      tail = lastBytes(tail, bytes);
      const lineFeed = bytes.lastIndexOf(LINE_FEED);
      if (lineFeed >= 0) lineStart = consumed + lineFeed + 1;
      consumed += bytes.length;
    };
    // The first two bytes on their own (chunks may be of one byte): a UTF-16 byte-order mark.
    const head = new Uint8Array(2);
    let headBytes = 0;
    while (headBytes < 2) {
      const read = readChunk(file, head.subarray(headBytes), path);
      if (read === null) break;
      headBytes += read;
    }
    refuseUtf16(path, head.subarray(0, headBytes));
    decode(head.subarray(0, headBytes));
    for (let read = readChunk(file, buffer, path); read !== null;) {
      decode(buffer.subarray(0, read));
      if (consumed < size) report(consumed);
      read = readChunk(file, buffer, path);
    }
    // A character cut short by the end of the file: its bytes are on the line being cut.
    let last: string;
    try {
      last = decoder.decode();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw refuse(tail, new Uint8Array(0), 0);
    }
    cutter.push(last);
    cutter.end();
    report(consumed);
  } finally {
    file.close();
  }
}

/** One line of an input file and its 1-based number. */
export interface NumberedLine {
  line: number;
  content: string;
}

/**
 * Reads a text file into lines (1-based numbers), keeping blank lines out but counted; the checks
 * and line ends of {@linkcode forEachLine} (`onProgress` as there). For files of one row per user or
 * item; a file of one row per interaction is read with {@linkcode forEachLine}.
 *
 * @example
 * ```ts
 * for (const { line, content } of readLines("beauty.txt")) console.log(line, content);
 * ```
 */
export function readLines(
  path: string,
  options: LineReadOptions = {},
  onProgress?: WorkProgressListener,
): NumberedLine[] {
  const lines: NumberedLine[] = [];
  forEachLine(path, (line, content) => lines.push({ line, content }), options, onProgress);
  return lines;
}

/**
 * A RecBole header cell, `name:type` (`user_id:token`, `timestamp:float`): on the first line of a
 * sequence or feature file it says that RecBole atomic files were given as one.
 */
export const RECBOLE_CELL = /:(token|float|token_seq|float_seq)$/;

/** The separators of other exports, by the name the messages give them. */
export type ForeignSeparator = "commas" | "semicolons" | "pipes";

/**
 * Characters that separate fields in other exports and that no reader here splits on: commas
 * (CSV), semicolons (CSV where the decimal mark is a comma) and pipes (dumps such as MovieLens
 * 100K's `u.item`).
 */
const FOREIGN_SEPARATORS: readonly (readonly [string, ForeignSeparator])[] = [
  [",", "commas"],
  [";", "semicolons"],
  ["|", "pipes"],
];

/**
 * The other export's separator a value holds, if any: said of a line that reads as one value,
 * which would otherwise be reported as an empty history, a 0-wide row or a header "unit".
 */
export function foreignSeparator(text: string): ForeignSeparator | undefined {
  return FOREIGN_SEPARATORS.find(([character]) => text.includes(character))?.[1];
}

/** The hint for a whitespace-separated file whose line holds another export's separator. */
export function separatorHint(separator: ForeignSeparator): string {
  return `fields are separated by spaces or tabs, not ${separator}`;
}

/**
 * The refusal of a line that reads as one value holding another export's separator ("u1;i1;i2",
 * "a,0.1,0.2"): without it the line read as a user without items or a 0-wide row. The value is
 * shown up to 40 characters; `missing` is what the line lacks ("items", "numbers").
 */
export function oneValueRefusal(
  site: { path: string; line: number; field: string },
  value: string,
  missing: string,
  separator: ForeignSeparator,
): DataError {
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return new DataError(
    site.path,
    site.line,
    site.field,
    `one value "${shown}" and no ${missing}: ${separatorHint(separator)}`,
  );
}

/** `separatorHint("commas")`: said of any value holding a comma in a sequence file. */
export const COMMA_HINT = separatorHint("commas");

/** Spaces and tabs separate the values on a line; nothing else does. */
const SEPARATORS = /[ \t]+/;

/** Any whitespace that is not a space or a tab. */
const OTHER_WHITESPACE = /[^\S \t]/;

/** The whitespace that breaks or pages a line. */
export const CONTROL_WHITESPACE = /[\r\n\v\f]/;

/** Names of the other whitespace most likely met, for the error message. */
const WHITESPACE_NAMES: Readonly<Record<string, string>> = {
  "\r": "carriage return",
  "\v": "vertical tab",
  "\f": "form feed",
  "\u00A0": "no-break space",
  "\uFEFF": "byte-order mark",
};

/** A whitespace character as the error messages name it: `U+00A0 (no-break space)`. */
export function whitespaceName(character: string): string {
  const code = character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  const name = WHITESPACE_NAMES[character];
  return `U+${code}${name ? ` (${name})` : ""}`;
}

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
    throw new DataError(
      file,
      line,
      fieldOf(index),
      `whitespace ${whitespaceName(text[bad])} in or between values: only spaces and tabs ` +
        "separate values",
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
