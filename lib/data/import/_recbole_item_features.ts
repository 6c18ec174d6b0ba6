/**
 * The `.item` file of a RecBole dataset: its rows by item id, and each feature column as a
 * modality (token and token_seq multi-hot over the values seen, float and float_seq dense; an
 * empty cell is a missing modality).
 *
 * @module
 */
import { DataError } from "../errors.ts";
import type { FeatureProvenance, ModalityFeatures } from "../types.ts";
import {
  type FieldSite,
  finiteNumber,
  type LineReadOptions,
  relativePathNote,
  splitValues,
} from "./_fields.ts";
import {
  type AtomicTable,
  type Column,
  readAtomicTable,
  requireColumn,
  tokenCell,
} from "./_recbole_atomic_table.ts";

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
export function featureModality(
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

/** Joined tokens shown in a note, at most. */
const JOINED_SHOWN = 3;

/**
 * The protocol card's notes on `token_seq` columns whose tokens hold "|" or ",": a list written
 * `Action|Comedy` (MovieLens' genres) or `Action,Drama` is one token, for RecBole too (it splits
 * on spaces), so the modality holds combinations; kept as RecBole reads it, but said. A `token`
 * column holds one category a cell by definition: no note.
 */
export function joinedTokenNotes(table: AtomicTable): string[] {
  return table.columns.flatMap((column, c) => {
    if (column.type !== "token_seq") return [];
    const vocabulary = columnVocabulary(table, c);
    const joined = vocabulary.filter((token) => /[|,]/.test(token));
    if (joined.length === 0) return [];
    const shown = joined.slice(0, JOINED_SHOWN).map((token) => `"${token}"`).join(", ");
    return [
      `column ${column.label} of ${table.file}: ${joined.length} of its ${vocabulary.length} ` +
      `tokens hold "|" or "," (${shown}${joined.length > JOINED_SHOWN ? ", ..." : ""}), each ` +
      "read as one token, as RecBole reads it: the tokens of a token_seq cell are separated by " +
      "spaces",
    ];
  });
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

/** The `.item` table and each item id's index (its row), when there is an `.item` file. */
export interface ItemCatalogue {
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
export function readItemCatalogue(
  itemFile: string,
  required: boolean,
  reading: LineReadOptions,
): ItemCatalogue | undefined {
  const exists = itemFileExists(itemFile);
  if (required && !exists) {
    // "missing" alone did not say which setting asked for the file, nor what happens without it.
    throw new DataError(
      itemFile,
      0,
      "file",
      `missing (no such file${relativePathNote(itemFile)}), and RecBoleReadOptions.` +
        "requireItemFile is true: give the .item file, or leave the option out to read the " +
        "interactions alone (the learned item id as the only modality)",
    );
  }
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
