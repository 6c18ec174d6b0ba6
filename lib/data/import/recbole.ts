/**
 * RecBole atomic files: `<name>.inter` (tab-separated, header `user_id:token item_id:token
 * timestamp:float ...`) and optionally `<name>.item` (item_id:token plus feature columns of type
 * token, token_seq, float or float_seq). Each `.item` feature column becomes a modality:
 * token and token_seq are multi-hot over the values seen, float and float_seq are dense.
 *
 * The `.inter` (one row per interaction: millions of lines in ml-20m or an Amazon set) is read a
 * chunk at a time into columns (user index, item index, timestamp), never held as lines or cells;
 * the `.item` (one row per item) is held as rows.
 */
import { DataError } from "../errors.ts";
import { datasetFingerprint } from "../fingerprint.ts";
import { idModality } from "../id_modality.ts";
import type { FeatureProvenance, InteractionDataset, ModalityFeatures } from "../types.ts";
import {
  CONTROL_WHITESPACE,
  type FieldSite,
  finiteNumber,
  forEachLine,
  type LineReadOptions,
  type LineVisitor,
  requireNewModalityName,
  splitValues,
  whitespaceName,
} from "./_fields.ts";
import {
  checkBoolean,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../../util/settings.ts";

/** RecBole field types. */
export type RecBoleFieldType = "token" | "token_seq" | "float" | "float_seq";

interface Column {
  name: string;
  type: RecBoleFieldType;
  /** The header cell, e.g. "timestamp:float", used as the field in errors. */
  label: string;
}

/** An atomic file's header. */
interface AtomicHeader {
  file: string;
  /** The header's 1-based line: blank lines before it are skipped but counted. */
  headerLine: number;
  columns: Column[];
  /** The header line, trimmed: a row equal to it is a repeated header. */
  text: string;
}

/** A small atomic file (`.item`: one row per item), held as rows. */
interface AtomicTable extends AtomicHeader {
  rows: { line: number; cells: string[] }[];
}

const FIELD_TYPES: readonly string[] = ["token", "token_seq", "float", "float_seq"];

/** What separates the cells of a header line without tabs: commas, spaces, or nothing. */
function headerSeparator(header: string): "commas" | "spaces" | undefined {
  if (header.includes(",")) return "commas";
  const cells = header.split(/ +/);
  return cells.length > 1 && cells.every((cell) => /^[^:]+:[^:]+$/.test(cell))
    ? "spaces"
    : undefined;
}

/** Reads the header line (the first non-blank one) of an atomic file into its columns. */
function parseHeader(file: string, line: number, content: string): AtomicHeader {
  // A comma- or space-separated export would otherwise read as one header cell and say only that
  // the cell is not name:type (or, for spaces, that a unit after the type is not supported).
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
      throw new DataError(
        file,
        line,
        label || `column ${i + 1}`,
        `header cell must be name:type with type in ${FIELD_TYPES.join("/")}`,
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
function rowCells(header: AtomicHeader, line: number, content: string): string[] {
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
      `${cells.length} fields, header has ${columns.length}${
        cells.length > columns.length
          ? " (a tab inside a value? atomic files have no quoting: every tab separates fields)"
          : ""
      }`,
    );
  }
  return cells;
}

/** Reads a small atomic file whole; an empty file (no header) is an error at line 1. */
function readAtomicTable(file: string, reading: LineReadOptions): AtomicTable {
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

function requireColumn(table: AtomicHeader, name: string, type: RecBoleFieldType): number {
  const index = table.columns.findIndex((column) => column.name === name);
  if (index < 0) {
    throw new DataError(table.file, table.headerLine, `${name}:${type}`, "missing column");
  }
  if (table.columns[index].type !== type) {
    throw new DataError(
      table.file,
      table.headerLine,
      table.columns[index].label,
      `expected type ${type}`,
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
function tokenProblem(text: string): string | undefined {
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
function tokenCell(text: string, file: string, line: number, field: string): string {
  const problem = tokenProblem(text);
  if (problem !== undefined) throw new DataError(file, line, field, problem);
  return text;
}

/** A feature column without a single value would be a 0-wide modality. */
function emptyColumn(table: AtomicTable, column: Column): DataError {
  return new DataError(
    table.file,
    table.headerLine,
    column.label,
    "no item has a value in this column (it would be a 0-wide modality); fill it or remove it",
  );
}

/**
 * A number of an `.item` feature. "nan" is refused with how a missing value is written here: an
 * empty cell (RecBole would read NaN and fill in the column's mean; here the item lacks the
 * modality, which the model masks).
 */
function featureNumber(text: string, site: FieldSite): number {
  if (/^[+-]?nan$/i.test(text.trim())) {
    throw new DataError(
      site.file,
      site.line,
      site.field,
      `"${text}": a missing value is an empty cell here (the item then lacks this modality), ` +
        "not NaN",
    );
  }
  return finiteNumber(text, site, { float32: true });
}

/** Builds one modality from an `.item` feature column; an empty cell is a missing modality. */
function featureModality(
  table: AtomicTable,
  columnIndex: number,
  rowOfItem: Int32Array,
): ModalityFeatures {
  const { type } = table.columns[columnIndex];
  return type === "token" || type === "token_seq"
    ? multiHotModality(table, columnIndex, rowOfItem)
    : denseModality(table, columnIndex, rowOfItem);
}

/** One item's feature cell: its `.item` line and its text ({@linkcode featureCellText}). */
interface FeatureCell {
  line: number;
  text: string;
}

/**
 * The text of a feature cell as it is read: a token cell is read as written (tokenCell); the
 * others' values are split or parsed, so they are trimmed.
 */
function featureCellText(column: Column, cell: string): string {
  return column.type === "token" && cell.trim() !== "" ? cell : cell.trim();
}

/** The feature cell of `item` (of its `.item` row), or null when the item has no row. */
function itemCell(
  table: AtomicTable,
  columnIndex: number,
  rowOfItem: Int32Array,
  item: number,
): FeatureCell | null {
  const row = table.rows[rowOfItem[item]];
  return row
    ? { line: row.line, text: featureCellText(table.columns[columnIndex], row.cells[columnIndex]) }
    : null;
}

/** Where a modality read from an `.item` column comes from: the file and column, unnormalised. */
function featureProvenance(table: AtomicTable, column: Column): FeatureProvenance {
  return { source: `${table.file} column ${column.label}`, normalisation: "none" };
}

/** The tokens of a non-empty cell: a `token` cell is one token, a `token_seq` cell is split. */
function cellTokens(table: AtomicTable, column: Column, text: string, line: number): string[] {
  return column.type === "token"
    ? [tokenCell(text, table.file, line, column.label)]
    : splitValues(text, table.file, line, () => column.label, { tokens: true });
}

/** The sorted vocabulary of a token or token_seq column: each `.item` row's tokens, rows in order. */
function columnVocabulary(table: AtomicTable, columnIndex: number): string[] {
  const column = table.columns[columnIndex];
  return [
    ...new Set(table.rows.flatMap((row) => {
      const text = featureCellText(column, row.cells[columnIndex]);
      return text === "" ? [] : cellTokens(table, column, text, row.line);
    })),
  ].sort();
}

/** A token or token_seq column as a multi-hot modality over the values seen. */
function multiHotModality(
  table: AtomicTable,
  columnIndex: number,
  rowOfItem: Int32Array,
): ModalityFeatures {
  const column = table.columns[columnIndex];
  const vocabulary = columnVocabulary(table, columnIndex);
  const position = new Map(vocabulary.map((token, i) => [token, i]));
  const dim = vocabulary.length;
  if (dim === 0) throw emptyColumn(table, column);
  const numItems = rowOfItem.length;
  const values = new Float32Array(numItems * dim);
  const present = new Uint8Array(numItems);
  for (let item = 0; item < numItems; item++) {
    const cell = itemCell(table, columnIndex, rowOfItem, item);
    if (!cell || cell.text === "") continue;
    for (const token of cellTokens(table, column, cell.text, cell.line)) {
      values[item * dim + position.get(token)!] = 1;
    }
    present[item] = 1;
  }
  const provenance = featureProvenance(table, column);
  return { name: column.name, kind: "multi_hot", dim, values, present, provenance, vocabulary };
}

/** The numbers of a non-empty cell: a `float` cell is one number, a `float_seq` cell is split. */
function cellNumbers(table: AtomicTable, column: Column, cell: FeatureCell): number[] {
  const parts = column.type === "float"
    ? [cell.text]
    : splitValues(cell.text, table.file, cell.line, (k) => `${column.label}[${k}]`);
  return parts.map((text, k) =>
    featureNumber(text, {
      file: table.file,
      line: cell.line,
      field: column.type === "float" ? column.label : `${column.label}[${k}]`,
    })
  );
}

/**
 * Each item's numbers of a float or float_seq column (null: no value), in item order, and their
 * width: every value must have the width of the first (`dim` 0 when no item has a value).
 */
function denseColumnNumbers(
  table: AtomicTable,
  columnIndex: number,
  rowOfItem: Int32Array,
): { parsed: (number[] | null)[]; dim: number } {
  const column = table.columns[columnIndex];
  let dim = 0;
  /** The line of the first value, which set `dim`: named when another row disagrees. */
  let widthLine = 0;
  const parsed: (number[] | null)[] = [];
  for (let item = 0; item < rowOfItem.length; item++) {
    const cell = itemCell(table, columnIndex, rowOfItem, item);
    if (!cell || cell.text === "") {
      parsed.push(null);
      continue;
    }
    const numbers = cellNumbers(table, column, cell);
    if (dim === 0) {
      dim = numbers.length;
      widthLine = cell.line;
    }
    if (numbers.length !== dim) {
      // Either line may be the odd one (the first row, when every later one agrees): name both.
      throw new DataError(
        table.file,
        cell.line,
        column.label,
        `${numbers.length} values, but line ${widthLine} (the first with a value, which sets ` +
          `the width) has ${dim}: one of the two lines is wrong`,
      );
    }
    parsed.push(numbers);
  }
  return { parsed, dim };
}

/** A float or float_seq column as a dense modality, as wide as each of its values. */
function denseModality(
  table: AtomicTable,
  columnIndex: number,
  rowOfItem: Int32Array,
): ModalityFeatures {
  const column = table.columns[columnIndex];
  const { parsed, dim } = denseColumnNumbers(table, columnIndex, rowOfItem);
  if (dim === 0) throw emptyColumn(table, column);
  const numItems = rowOfItem.length;
  const values = new Float32Array(numItems * dim);
  const present = new Uint8Array(numItems);
  parsed.forEach((numbers, item) => {
    if (!numbers) return;
    values.set(numbers, item * dim);
    present[item] = 1;
  });
  const provenance = featureProvenance(table, column);
  return { name: column.name, kind: "dense", dim, values, present, provenance };
}

/**
 * A column of numbers appended one row at a time, for a file of unknown length: the typed array
 * doubles when full, so appending stays cheap and a row costs 4 or 8 bytes, not an object.
 */
class GrowingColumn<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>> {
  #values: T;
  #length = 0;

  constructor(private readonly allocate: (length: number) => T) {
    this.#values = allocate(1024);
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const larger = this.allocate(2 * this.#length);
      larger.set(this.#values);
      this.#values = larger;
    }
    this.#values[this.#length++] = value;
  }

  /** The values appended so far (a view, not a copy). */
  values(): T {
    return this.#values.subarray(0, this.#length) as T;
  }
}

/** The most `.inter` rows: rows are indexed by 32-bit integers (2^31 - 1, a 50 GB file). */
const MAX_INTERACTIONS = 2 ** 31 - 1;

/** The `.inter` columns the reader uses; `time` is -1 without a timestamp column. */
interface InterLayout {
  user: number;
  item: number;
  time: number;
  /** Float columns other than the timestamp (a rating): unused, but checked to be numbers. */
  checkedFloats: number[];
  /** Every column the dataset does not use (the checked floats too), for the dataset's card. */
  unused: Column[];
}

/** Finds user_id:token, item_id:token and timestamp:float (optional) in the `.inter` header. */
function interLayout(inter: AtomicHeader): InterLayout {
  const user = requireColumn(inter, "user_id", "token");
  const item = requireColumn(inter, "item_id", "token");
  const time = inter.columns.findIndex((column) => column.name === "timestamp");
  if (time >= 0 && inter.columns[time].type !== "float") {
    throw new DataError(
      inter.file,
      inter.headerLine,
      inter.columns[time].label,
      "expected type float",
    );
  }
  const checkedFloats = inter.columns.flatMap((column, c) =>
    column.type === "float" && c !== time ? [c] : []
  );
  const used = [user, item, time];
  const unused = inter.columns.filter((_, c) => !used.includes(c));
  return { user, item, time, checkedFloats, unused };
}

/**
 * The card's note on the `.inter` columns the dataset does not use (a rating, a session id), or
 * none: without it a column the user meant to matter would be dropped without a word.
 */
function unusedColumnsNote(interFile: string, unused: readonly Column[]): string[] {
  if (unused.length === 0) return [];
  const described = unused.map((column) =>
    `${column.label} (${column.type === "float" ? "checked to be numbers" : "not read"})`
  );
  return [
    `${unused.length === 1 ? "column" : "columns"} of ${interFile} not used: ` +
    `${described.join(", ")}`,
  ];
}

/** The `.item` table and each item id's index (its row), when there is an `.item` file. */
interface ItemCatalogue {
  table: AtomicTable;
  index: Map<string, number>;
}

/**
 * Whether `<base>.item` exists. Only "not found" answers no: a file there that cannot be checked
 * (no permission, a symbolic link in a loop) or something else of that name (a directory) is an
 * error, since answering no would read the interactions without any of the file's features.
 */
function itemFileExists(itemFile: string): boolean {
  let isFile: boolean;
  try {
    isFile = Deno.statSync(itemFile).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw new DataError(itemFile, 0, "file", `cannot read: ${(error as Error).message}`);
  }
  if (!isFile) throw new DataError(itemFile, 0, "file", "exists but is not a file (a directory?)");
  return true;
}

/** Reads the `.item` file, if there is one (an error if `required` and there is none). */
function readItemCatalogue(
  itemFile: string,
  required: boolean,
  reading: LineReadOptions,
): ItemCatalogue | undefined {
  const exists = itemFileExists(itemFile);
  if (required && !exists) throw new DataError(itemFile, 0, "file", "missing");
  if (!exists) return undefined;
  const table = readAtomicTable(itemFile, reading);
  const idColumn = requireColumn(table, "item_id", "token");
  const label = table.columns[idColumn].label;
  const index = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const id = tokenCell(cells[idColumn], itemFile, line, label);
    if (index.has(id)) throw new DataError(itemFile, line, label, `duplicate item id "${id}"`);
    index.set(id, index.size);
  }
  return { table, index };
}

/**
 * `.inter` lines whose item has no `.item` row, from the first on: counted so that one error says
 * how many lines and items there are. RecBole accepts them (filling in default features), so a
 * RecBole dataset may have many, and one error per rerun would not say how many.
 */
class UnknownItems {
  readonly #ids = new Set<string>();
  #lines = 0;

  /** `line`: the first `.inter` line whose item has no `.item` row. */
  constructor(private readonly line: number) {}

  note(id: string): void {
    this.#ids.add(id);
    this.#lines++;
  }

  error(interFile: string, field: string, itemFile: string): DataError {
    const [first] = this.#ids;
    const lines = this.#lines;
    const items = this.#ids.size;
    return new DataError(
      interFile,
      this.line,
      field,
      `unknown item id "${first}" (not in ${itemFile}); ${lines} ${
        lines === 1 ? "line names" : "lines name"
      } ${items} ${items === 1 ? "item" : "items"} without a row there: give each ` +
        "a row (empty feature cells mark its features missing)",
    );
  }
}

/** The `.inter` rows as columns, in file order. */
interface InterColumns {
  catalogue: ItemCatalogue | undefined;
  /** Item id to index: the `.item` rows' order, else first appearance in the `.inter`. */
  itemIndex: Map<string, number>;
  /** User id to index, by first appearance. */
  userIndex: Map<string, number>;
  user: Int32Array;
  item: Int32Array;
  /**
   * With a timestamp column: each row's timestamp and its line (for the duplicate rows; a
   * Float64Array: an Int32Array would wrap past 2^31 lines).
   */
  time?: Float64Array;
  line?: Float64Array;
  /** The columns the dataset does not use. */
  unused: Column[];
}

/**
 * Reads the `.inter` a line at a time into {@linkcode InterColumns}, reading the `.item` once the
 * header has said which columns there are. Errors are those of a reader that held every line: it
 * checked the text of the whole file ({@linkcode forEachLine}), then the header, then every row's
 * shape (quoting, field count, a repeated header), then the columns the reader needs and the
 * `.item`, and only then each row's values, in file order. So a row's shape error is thrown as it
 * is met, while an error of a later step is held (the rest of the file only has its shape checked)
 * and thrown at the end, when no shape error has come after it.
 */
class InterReader {
  #header: AtomicHeader | undefined;
  #layout: InterLayout | undefined;
  #catalogue: ItemCatalogue | undefined;
  readonly #itemIndex = new Map<string, number>();
  readonly #userIndex = new Map<string, number>();
  readonly #user = new GrowingColumn((length) => new Int32Array(length));
  readonly #item = new GrowingColumn((length) => new Int32Array(length));
  #time: GrowingColumn<Float64Array<ArrayBuffer>> | undefined;
  #line: GrowingColumn<Float64Array<ArrayBuffer>> | undefined;
  /** The first error of a step after the rows' shape, thrown when every shape has passed. */
  #held: DataError | undefined;
  #unknownItems: UnknownItems | undefined;

  constructor(
    private readonly interFile: string,
    private readonly itemFile: string,
    private readonly requireItemFile: boolean,
    private readonly reading: LineReadOptions,
  ) {}

  readonly visit: LineVisitor = (line, content) => {
    if (this.#header === undefined) this.#readHeader(line, content);
    else this.#readRow(this.#header, line, content);
  };

  /** The columns, once every line has been visited; or the first error held back. */
  finish(): InterColumns {
    const header = this.#header;
    if (header === undefined) throw new DataError(this.interFile, 1, "header", "empty file");
    if (this.#held) throw this.#held;
    if (this.#unknownItems) {
      const field = header.columns[this.#layout!.item].label;
      throw this.#unknownItems.error(this.interFile, field, this.itemFile);
    }
    if (this.#user.length === 0) {
      throw new DataError(this.interFile, 2, "user_id:token", "no interactions");
    }
    return {
      catalogue: this.#catalogue,
      itemIndex: this.#catalogue?.index ?? this.#itemIndex,
      userIndex: this.#userIndex,
      user: this.#user.values(),
      item: this.#item.values(),
      time: this.#time?.values(),
      line: this.#line?.values(),
      unused: this.#layout!.unused,
    };
  }

  #readHeader(line: number, content: string): void {
    const header = parseHeader(this.interFile, line, content);
    this.#header = header;
    this.#holdDataError(() => {
      const layout = interLayout(header);
      this.#layout = layout;
      if (layout.time >= 0) {
        this.#time = new GrowingColumn((length) => new Float64Array(length));
        this.#line = new GrowingColumn((length) => new Float64Array(length));
      }
      this.#catalogue = readItemCatalogue(this.itemFile, this.requireItemFile, this.reading);
    });
  }

  #readRow(header: AtomicHeader, line: number, content: string): void {
    const cells = rowCells(header, line, content);
    if (this.#held) return;
    if (this.#unknownItems) {
      // Counted as written; an id with stray whitespace is said once the unknown ones are fixed.
      const id = cells[this.#layout!.item];
      if (tokenProblem(id) === undefined && !this.#catalogue!.index.has(id)) {
        this.#unknownItems.note(id);
      }
      return;
    }
    this.#holdDataError(() => this.#addRow(header, this.#layout!, line, cells));
  }

  /** Checks a row's values and appends it to the columns. */
  #addRow(header: AtomicHeader, layout: InterLayout, line: number, cells: string[]): void {
    const file = this.interFile;
    const label = (column: number) => header.columns[column].label;
    const user = tokenCell(cells[layout.user], file, line, label(layout.user));
    const itemId = tokenCell(cells[layout.item], file, line, label(layout.item));
    let item = (this.#catalogue?.index ?? this.#itemIndex).get(itemId);
    if (item === undefined) {
      if (this.#catalogue) {
        this.#unknownItems = new UnknownItems(line);
        this.#unknownItems.note(itemId);
        return;
      }
      item = this.#itemIndex.size;
      this.#itemIndex.set(itemId, item);
    }
    const time = layout.time >= 0
      ? finiteNumber(cells[layout.time], { file, line, field: label(layout.time) })
      : 0;
    for (const column of layout.checkedFloats) {
      finiteNumber(cells[column], { file, line, field: label(column) });
    }
    if (this.#user.length === MAX_INTERACTIONS) {
      throw new DataError(
        file,
        line,
        "file",
        `more than ${MAX_INTERACTIONS} interactions: more than this reader indexes`,
      );
    }
    let userIndex = this.#userIndex.get(user);
    if (userIndex === undefined) {
      userIndex = this.#userIndex.size;
      this.#userIndex.set(user, userIndex);
    }
    this.#user.push(userIndex);
    this.#item.push(item);
    this.#time?.push(time);
    this.#line?.push(line);
  }

  /** Runs `step`, holding a DataError it throws (the first one) for {@linkcode finish}. */
  #holdDataError(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      this.#held = error;
    }
  }
}

/** Each user's rows (indices into the columns): `order[start[u]..start[u + 1])` for user u. */
interface UserRows {
  order: Int32Array;
  start: Int32Array;
}

/** Groups the rows by user, each user's rows in file order (a counting sort). */
function rowsByUser(user: Int32Array, numUsers: number): UserRows {
  const start = new Int32Array(numUsers + 1);
  for (let row = 0; row < user.length; row++) start[user[row] + 1]++;
  for (let u = 0; u < numUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, numUsers);
  const order = new Int32Array(user.length);
  for (let row = 0; row < user.length; row++) order[next[user[row]]++] = row;
  return { order, start };
}

/** Whether `rows` are already in time order (the common case: a file sorted by time). */
function inTimeOrder(rows: Int32Array, time: Float64Array): boolean {
  for (let k = 1; k < rows.length; k++) {
    if (time[rows[k - 1]] > time[rows[k]]) return false;
  }
  return true;
}

/** Sorts each user's rows by time; equal times keep file order (the row index). */
function sortByTime({ order, start }: UserRows, time: Float64Array): void {
  for (let u = 0; u + 1 < start.length; u++) {
    const rows = order.subarray(start[u], start[u + 1]);
    if (!inTimeOrder(rows, time)) rows.sort((a, b) => time[a] - time[b] || a - b);
  }
}

/** Each user's values of `column`, in history order. */
function perUser<T extends Int32Array | Float64Array>(
  { order, start }: UserRows,
  column: T,
  allocate: (length: number) => T,
): T[] {
  return Array.from({ length: start.length - 1 }, (_, u) => {
    const values = allocate(start[u + 1] - start[u]);
    for (let k = 0; k < values.length; k++) values[k] = column[order[start[u] + k]];
    return values;
  });
}

/**
 * Rows that repeat an earlier row's (user, item, timestamp), counted, with the first of them (in
 * file order) and the row it repeats; undefined when there are none. They are kept, as RecBole
 * keeps them by default (`rm_dup_inter: None`), but said: an export that wrote rows twice would
 * otherwise pass unnoticed, and a last item repeated at the same time makes an easy test target.
 * Each user's rows are sorted by time, so equal times are adjacent.
 */
function duplicateRows(
  { order, start }: UserRows,
  item: Int32Array,
  time: Float64Array,
  lineOfRow: Float64Array,
): { count: number; line: number; earlier: number } | undefined {
  let count = 0;
  let first: { line: number; earlier: number } | undefined;
  for (let u = 0; u + 1 < start.length; u++) {
    const rows = order.subarray(start[u], start[u + 1]);
    for (let from = 0, to = 1; from < rows.length; from = to, to = from + 1) {
      while (to < rows.length && time[rows[to]] === time[rows[from]]) to++;
      if (to - from === 1) continue; // the common case: no other row at this time
      const lineOfItem = new Map<number, number>();
      for (const row of rows.subarray(from, to)) {
        const line = lineOfRow[row];
        const earlier = lineOfItem.get(item[row]);
        if (earlier === undefined) {
          lineOfItem.set(item[row], line);
          continue;
        }
        count++;
        if (first === undefined || line < first.line) first = { line, earlier };
      }
    }
  }
  return first && { count, ...first };
}

/** Options of {@linkcode readRecBoleAtomic}. */
export interface RecBoleReadOptions {
  /** Whether a missing `<base>.item` is an error (default false: the dataset has no features). */
  requireItemFile?: boolean;
  /** The dataset's name, a non-empty string (default: the base path's last part). */
  name?: string;
}

/** Every setting of {@linkcode RecBoleReadOptions}, for the check of names. */
export const RECBOLE_READ_OPTION_SETTINGS: SettingNames<RecBoleReadOptions> = Object.freeze({
  requireItemFile: true,
  name: true,
});

/**
 * Throws a `SettingError` for an option that is unknown or out of range, before any file is
 * read: a misspelt `requireItemfile: true` went unread (a missing `.item` read as a dataset
 * without features), `requireItemFile: "no"` required the file, and a `name` of "" labelled
 * the dataset's tables and cards with nothing.
 */
function checkRecBoleReadOptions(options: RecBoleReadOptions): void {
  checkSettingNames("RecBoleReadOptions", options, RECBOLE_READ_OPTION_SETTINGS);
  if (options.requireItemFile !== undefined) {
    checkBoolean("RecBoleReadOptions.requireItemFile", options.requireItemFile);
  }
  if (options.name !== undefined && (typeof options.name !== "string" || options.name === "")) {
    throw new SettingError("RecBoleReadOptions.name", options.name, "a non-empty string");
  }
}

/**
 * Reads `<base>.inter` and, when it exists or is required, `<base>.item`. Users are ordered by
 * first appearance; each history is stably sorted by `timestamp:float` (file order breaks ties;
 * without a timestamp column the file order is the chronology). Every interaction's item must be
 * listed in `.item` when that file is given; `.item` items that nobody interacted with are kept
 * (cold items). An unknown or out-of-range option is a `SettingError`.
 *
 * @example
 * ```ts
 * const dataset = readRecBoleAtomic("data/ml-100k/ml-100k", { requireItemFile: true });
 * ```
 */
export function readRecBoleAtomic(
  base: string,
  options: RecBoleReadOptions = {},
): InteractionDataset {
  return readRecBoleAtomicInChunks(base, options, {});
}

/**
 * Refuses a missing `<base>.inter` with what the base is: given a sequence file (`tiny.txt`) or
 * another file as the base, the bare "cannot read: No such file ... tiny.txt.inter" left the user
 * to guess that the path names a base, not a file, or that the file has another format.
 */
function requireInterFile(base: string, interFile: string): void {
  let missing = false;
  try {
    Deno.statSync(interFile);
  } catch (error) {
    missing = error instanceof Deno.errors.NotFound;
  }
  if (!missing) return; // other problems are the reader's "cannot read", with the system's cause
  let baseIsFile = false;
  try {
    baseIsFile = Deno.statSync(base).isFile;
  } catch {
    // no file at the base either: the usual case of a wrong path
  }
  throw new DataError(
    interFile,
    0,
    "file",
    `no such file: a RecBole dataset is named by its base, "${base}" for ${base}.inter ` +
      `(and ${base}.item)` +
      (baseIsFile
        ? `; "${base}" is itself a file: a one-user-per-line file has format "sequence"`
        : ""),
  );
}

/**
 * {@linkcode readRecBoleAtomic} with the line reader's options: tests read with chunks of a few
 * bytes, to split lines and characters across reads. Not part of the library's interface.
 */
export function readRecBoleAtomicInChunks(
  base: string,
  options: RecBoleReadOptions,
  reading: LineReadOptions,
): InteractionDataset {
  checkRecBoleReadOptions(options);
  const interFile = `${base}.inter`;
  const itemFile = `${base}.item`;
  requireInterFile(base, interFile);
  const reader = new InterReader(interFile, itemFile, options.requireItemFile ?? false, reading);
  forEachLine(interFile, reader.visit, { ...reading, tabSeparated: true });
  const inter = reader.finish();
  const userRows = rowsByUser(inter.user, inter.userIndex.size);
  if (inter.time) sortByTime(userRows, inter.time);
  const duplicates = inter.time && inter.line
    ? duplicateRows(userRows, inter.item, inter.time, inter.line)
    : undefined;
  const numItems = inter.itemIndex.size;
  const modalities: ModalityFeatures[] = [idModality(numItems)];
  const items = inter.catalogue?.table;
  if (items) {
    const rowOfItem = Int32Array.from({ length: numItems }, (_, i) => i);
    items.columns.forEach((column, c) => {
      if (column.name === "item_id") return;
      // A column named like an existing modality ("id", the learned one) would be a second
      // modality of that name, listed twice and dropped from results keyed by name.
      requireNewModalityName(modalities, column.name, {
        file: items.file,
        line: items.headerLine,
        field: column.label,
      });
      modalities.push(featureModality(items, c, rowOfItem));
    });
  }
  const dataset: InteractionDataset = {
    name: options.name ?? base.split("/").pop()!,
    numUsers: inter.userIndex.size,
    numItems,
    userIds: [...inter.userIndex.keys()],
    itemIds: [...inter.itemIndex.keys()],
    sequences: perUser(userRows, inter.item, (length) => new Int32Array(length)),
    timestamps: inter.time
      ? perUser(userRows, inter.time, (length) => new Float64Array(length))
      : undefined,
    modalities,
    metadata: {
      source: `RecBole atomic files ${interFile}${items ? ` + ${itemFile}` : ""}`,
      preprocessing: [
        "every interaction kept as implicit feedback",
        ...unusedColumnsNote(interFile, inter.unused),
        ...(duplicates
          ? [
            `${duplicates.count} ${
              duplicates.count === 1 ? "row repeats" : "rows repeat"
            } an earlier row's user, item and timestamp (first: line ${duplicates.line} repeats ` +
            `line ${duplicates.earlier} of ${interFile}): kept as repeated interactions`,
          ]
          : []),
      ],
      tieBreak: inter.time
        ? "by timestamp, then by line order of the .inter file"
        : "line order of the .inter file",
      fingerprint: "",
    },
  };
  dataset.metadata.fingerprint = datasetFingerprint(dataset);
  return dataset;
}
