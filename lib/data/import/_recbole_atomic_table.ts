/**
 * The RecBole atomic file format as it is read: a header of `name:type` cells, tab-separated
 * rows without quoting, token cells kept as written (RecBole reads them with pandas; each
 * refusal says where this reader and RecBole would read one file differently).
 *
 * @module
 */
import { DataError } from "../errors.ts";
import {
  CONTROL_WHITESPACE,
  forEachLine,
  type ForeignSeparator,
  foreignSeparator,
  type LineReadOptions,
  whitespaceName,
} from "./_fields.ts";
import { closestSettingName } from "../../util/settings.ts";

/** RecBole field types. */
export type RecBoleFieldType = "token" | "token_seq" | "float" | "float_seq";

export interface Column {
  name: string;
  type: RecBoleFieldType;
  /** The header cell, e.g. "timestamp:float", used as the field in errors. */
  label: string;
}

/** An atomic file's header. */
export interface AtomicHeader {
  file: string;
  /** The header's 1-based line: blank lines before it are skipped but counted. */
  headerLine: number;
  columns: Column[];
  /** The header line, trimmed: a row equal to it is a repeated header. */
  text: string;
}

/** A small atomic file (`.item`: one row per item), held as rows. */
export interface AtomicTable extends AtomicHeader {
  rows: { line: number; cells: string[] }[];
}

const FIELD_TYPES: readonly string[] = ["token", "token_seq", "float", "float_seq"];

/** A header cell, `name:type` with one of {@linkcode FIELD_TYPES}. */
const TYPED_CELL = new RegExp(`^[^:\\s]+:(${FIELD_TYPES.join("|")})$`);

/** What separates the cells of a header line without tabs: another export's, spaces, or nothing. */
function headerSeparator(header: string): ForeignSeparator | "spaces" | undefined {
  // No header cell holds one of these: a name with ";" or "|" is not a column here, and a
  // one-column file is an .item of ids alone (`item_id:token`).
  const foreign = foreignSeparator(header);
  if (foreign) return foreign;
  // Space-separated when it starts with a `name:type` cell or holds two: a header that only one
  // cell of was typed ("user_id:token item_id:token timestamp") was otherwise refused as one cell
  // with a unit after its type. One column whose name holds a space ("item id:token") is neither.
  const cells = header.split(/ +/);
  const typed = (cell: string) => /^[^:]+:[^:]+$/.test(cell);
  return cells.length > 1 && (typed(cells[0]) || cells.filter(typed).length > 1)
    ? "spaces"
    : undefined;
}

/** Type words of other tools that mean RecBole's `float`: a number column. */
const NUMBER_TYPES = new Set([
  "int",
  "integer",
  "long",
  "double",
  "number",
  "numeric",
  "real",
  "int32",
  "int64",
  "float32",
  "float64",
]);

/** Type words of other tools that mean RecBole's `token`: an id or a category, kept as written. */
const TEXT_TYPES = new Set(["str", "string", "text", "id", "category", "categorical"]);

/**
 * What the header found instead of a RecBole type, and the type it most likely means: a header
 * written by another tool (`timestamp:int`, `user_id:string`) was told only the list of types.
 */
function unknownTypeHint(name: string, type: string | undefined): string {
  if (!type) return `; "${name}" has no type (write ${name}:float for numbers, ${name}:token else)`;
  const word = type.toLowerCase();
  if (FIELD_TYPES.includes(word)) {
    return `; found "${type}": the types are lower case, write ${name}:${word}`;
  }
  if (NUMBER_TYPES.has(word)) {
    return `; found "${type}": RecBole's number type is float (it has no integer type), ` +
      `write ${name}:float`;
  }
  if (TEXT_TYPES.has(word)) {
    return `; found "${type}": ids and categories are tokens, kept as written; write ${name}:token`;
  }
  return `; found "${type}"`;
}

/** Reads the header line (the first non-blank one) of an atomic file into its columns. */
export function parseHeader(file: string, line: number, content: string): AtomicHeader {
  // A comma-, semicolon-, pipe- or space-separated export would otherwise read as one header cell
  // and say only that the cell is not name:type (or that a unit after the type is not supported).
  const separator = content.includes("\t") ? undefined : headerSeparator(content.trim());
  if (separator) {
    throw new DataError(
      file,
      line,
      "header",
      `RecBole atomic files are tab-separated; this header is separated by ${separator}`,
    );
  }
  const columns = content.split("\t").map((label, i): Column => {
    const [name, type, ...rest] = label.trim().split(":");
    const valid = rest.length === 0 && name && type && FIELD_TYPES.includes(type);
    // Two cells joined by a space or a comma under tabs ("item_id:token timestamp:float") read
    // as one cell with a unit ":float" after the type: name the separator instead. Only an
    // invalid cell is asked: a valid name may hold a comma ("size,cm:float").
    const joined = valid ? undefined : headerSeparator(label.trim());
    if (joined) {
      throw new DataError(
        file,
        line,
        label.trim(),
        `header cell holds name:type cells separated by ${joined}: RecBole atomic files ` +
          "separate header cells by tabs",
      );
    }
    if (rest.length > 0) {
      throw new DataError(
        file,
        line,
        label.trim(),
        `header cell must be name:type; ":${rest.join(":")}" after the type is not read ` +
          `(a unit such as ms is not supported: timestamps only order each user's history)`,
      );
    }
    if (!name || !type || !FIELD_TYPES.includes(type)) {
      // An empty cell is most often a tab at the end of the header line.
      const empty = label.trim() === "" ? " (an empty header cell: a trailing tab?)" : "";
      // A cell of spaces is named by its place too: its label, " ", said nothing of where it is.
      throw new DataError(
        file,
        line,
        label.trim() || `column ${i + 1}`,
        `header cell must be name:type with type in ${FIELD_TYPES.join("/")}${empty}` +
          (name && label.trim() !== "" ? unknownTypeHint(name, type) : ""),
      );
    }
    return { name, type: type as RecBoleFieldType, label: label.trim() };
  });
  const names = new Set<string>();
  for (const column of columns) {
    if (names.has(column.name)) {
      throw new DataError(file, line, column.label, "duplicate column");
    }
    names.add(column.name);
  }
  return { file, headerLine: line, columns, text: content.trim() };
}

/** Splits a row after the header into its cells: one per column, none quoted. */
export function rowCells(header: AtomicHeader, line: number, content: string): string[] {
  const { file, columns } = header;
  // Two files concatenated with their headers: the second header would otherwise be read as an
  // interaction of the user "user_id:token".
  if (content.trim() === header.text) {
    throw new DataError(
      file,
      line,
      columns[0].label,
      `repeats the header of line ${header.headerLine} (remove it)`,
    );
  }
  const cells = content.split("\t");
  // The same with the columns in another order (or other columns): every cell `name:type`. Read
  // as a row, it was an interaction of the user "item_id:token" with the item "user_id:token".
  if (cells.length > 1 && cells.every((cell) => TYPED_CELL.test(cell.trim()))) {
    throw new DataError(
      file,
      line,
      columns[0].label,
      `"${content.trim()}" is a header line (name:type cells), not a row: the header is line ` +
        `${header.headerLine}'s "${header.text}" (files concatenated? remove it)`,
    );
  }
  // Before the field count: a quoted value holding a tab would otherwise be reported as an
  // extra field in the last column.
  const quoted = cells.findIndex((cell) => cell.trimStart().startsWith('"'));
  if (quoted >= 0) {
    throw quotedCell(file, line, columns[Math.min(quoted, columns.length - 1)].label);
  }
  if (cells.length !== columns.length) {
    const field = columns[Math.min(cells.length, columns.length - 1)].label;
    throw new DataError(
      file,
      line,
      field,
      `${cells.length} fields, header has ${columns.length}` +
        fieldCountHint(cells, columns, line === header.headerLine + 1),
    );
  }
  return cells;
}

/**
 * Why a row's field count may differ from its header's: a tab inside a value (too many), or a row
 * without a tab at all, exported with another separator under a tab-separated header (one field).
 * On the row right under the header, the header itself is as likely wrong: a file whose header
 * lacks a column (every row one field too many) was said to have a tab inside a value.
 */
function fieldCountHint(
  cells: readonly string[],
  columns: readonly Column[],
  firstRow: boolean,
): string {
  const separator = cells.length === 1
    ? foreignSeparator(cells[0]) ?? (cells[0].trim().includes(" ") ? "spaces" : undefined)
    : undefined;
  if (separator) {
    return ` (the row has no tab and is separated by ${separator}: atomic files separate fields by tabs)`;
  }
  const header = `the header's columns are ${columns.map((column) => column.label).join(", ")}`;
  if (cells.length > columns.length) {
    // A spreadsheet's export that ends every row with a tab leaves the extra fields empty, as does
    // a tab inside a value of a row whose last value is empty: both are named.
    const trailing = cells.slice(columns.length).every((cell) => cell.trim() === "")
      ? "; the extra fields are empty: a tab at the end of the row?"
      : "";
    return firstRow
      ? ` (the first row: ${header}; a column missing from the header, or a tab inside a value? ` +
        `atomic files have no quoting: every tab separates fields${trailing})`
      : ` (a tab inside a value? atomic files have no quoting: every tab separates fields${trailing})`;
  }
  return firstRow ? ` (the first row: ${header}; a column too many in the header?)` : "";
}

/** Reads a small atomic file whole; an empty file (no header) is an error at line 1. */
export function readAtomicTable(file: string, reading: LineReadOptions): AtomicTable {
  let header: AtomicHeader | undefined;
  const rows: AtomicTable["rows"] = [];
  forEachLine(file, (line, content) => {
    if (header === undefined) header = parseHeader(file, line, content);
    else rows.push({ line, cells: rowCells(header, line, content) });
  }, { ...reading, tabSeparated: true });
  if (header === undefined) throw new DataError(file, 1, "header", "empty file");
  return { ...header, rows };
}

/**
 * A value that starts with a double quote. RecBole reads atomic files with pandas, whose CSV
 * quoting takes `"dark, city" king` as `dark, city king` (and a tab between quotes as part of the
 * value); this reader has no quoting and would keep the quotes in the ids or tokens, so the two
 * would read different data from one file without a word.
 */
function quotedCell(file: string, line: number, field: string): DataError {
  return new DataError(
    file,
    line,
    field,
    "starts with a double quote: RecBole (pandas) would read it as a quoted value and drop the " +
      "quotes, this reader does not unquote; write the file without quoting (pandas: " +
      "to_csv(..., sep='\\t', quoting=csv.QUOTE_NONE)) and without tabs inside values",
  );
}

/**
 * The start of a refusal of a header cell of the wrong type: what the header says and what it
 * should say (the error itself names the file, the header's line and the cell).
 */
export function declaredTypeProblem(column: Column, expected: RecBoleFieldType): string {
  return `the header declares ${column.label}, expected ${column.name}:${expected}`;
}

/**
 * Why the id columns are tokens, and the fix: "expected type token" alone did not say that the
 * header's type word is the whole fix.
 */
const ID_COLUMN_TYPE =
  "user and item ids are tokens (RecBole's USER_ID_FIELD and ITEM_ID_FIELD: each id is kept as " +
  "written and indexed, never read as a number)";

/**
 * The index of the column `name` of `type` in `table`'s header; a missing column, or one of
 * another type, is a DataError at the header's line naming it, the type it should have, why,
 * and how to fix it.
 */
export function requireColumn(table: AtomicHeader, name: string, type: RecBoleFieldType): number {
  const index = table.columns.findIndex((column) => column.name === name);
  if (index < 0) {
    // A dataset whose RecBole configuration names other fields (diginetica's session_id as
    // USER_ID_FIELD) said only "missing column": the header's columns and the names read here
    // say which to rename; a header cell one typo away (`usr_id`) is named as the likely one.
    const near = table.columns.find((column) => closestSettingName(column.name, [name]) === name);
    throw new DataError(
      table.file,
      table.headerLine,
      `${name}:${type}`,
      `missing column (the header has ${table.columns.map((c) => c.label).join(", ")})${
        near === undefined ? "" : `; is ${near.label} a misspelled ${name}:${type}?`
      }: this ` +
        "reader takes RecBole's default field names, user_id:token, item_id:token and an " +
        "optional timestamp:float; rename the columns of a dataset whose RecBole configuration " +
        "names others (USER_ID_FIELD, ITEM_ID_FIELD, TIME_FIELD)",
    );
  }
  if (table.columns[index].type !== type) {
    throw new DataError(
      table.file,
      table.headerLine,
      table.columns[index].label,
      `${declaredTypeProblem(table.columns[index], type)}: ${ID_COLUMN_TYPE}; write ` +
        `${name}:${type} in the header (the rows need no change)`,
    );
  }
  return index;
}

/**
 * What is wrong with a token cell (an id, or a `token` feature), or undefined when it can be
 * kept as written. Whitespace at either end is refused, not trimmed: RecBole (pandas, split on
 * tabs only) keeps it, so "user5 " and "user5" are two users there, while trimming merged them
 * here without a word; such whitespace is almost always an export's mistake. Spaces inside a
 * token are kept, as RecBole keeps them; a line break, vertical tab or form feed anywhere is
 * refused, as in a token_seq cell.
 */
export function tokenProblem(text: string): string | undefined {
  const token = text.trim();
  if (token === "") return "empty id";
  const control = text.search(CONTROL_WHITESPACE);
  if (control >= 0) {
    return `whitespace ${whitespaceName(text[control])} in "${token}": a token may hold ` +
      "spaces, not line or page breaks";
  }
  const stray = /^\s/.test(text)
    ? { end: "starts", character: text[0] }
    : /\s$/.test(text)
    ? { end: "ends", character: text[text.length - 1] }
    : undefined;
  if (stray === undefined) return undefined;
  return `"${token}" ${stray.end} with whitespace ${whitespaceName(stray.character)}: tokens ` +
    `are kept as written (RecBole would read another token than "${token}"), so remove it`;
}

/** A token cell as written; an empty cell or stray whitespace is an error (`tokenProblem`). */
export function tokenCell(text: string, file: string, line: number, field: string): string {
  const problem = tokenProblem(text);
  if (problem !== undefined) throw new DataError(file, line, field, problem);
  return text;
}
