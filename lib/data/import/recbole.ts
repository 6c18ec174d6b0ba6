/**
 * RecBole atomic files: `<name>.inter` (tab-separated, header `user_id:token item_id:token
 * timestamp:float ...`) and optionally `<name>.item` (item_id:token plus feature columns of type
 * token, token_seq, float or float_seq). Each `.item` feature column becomes a modality:
 * token and token_seq are multi-hot over the values seen, float and float_seq are dense.
 */
import { DataError } from "../errors.ts";
import { datasetFingerprint } from "../fingerprint.ts";
import { idModality } from "../id_modality.ts";
import type { InteractionDataset, ModalityFeatures } from "../types.ts";
import {
  type FieldSite,
  finiteNumber,
  readLines,
  requireNewModalityName,
  splitValues,
} from "./_fields.ts";

/** RecBole field types. */
export type RecBoleFieldType = "token" | "token_seq" | "float" | "float_seq";

interface Column {
  name: string;
  type: RecBoleFieldType;
  /** The header cell, e.g. "timestamp:float", used as the field in errors. */
  label: string;
}

interface AtomicTable {
  file: string;
  /** The header's 1-based line: blank lines before it are skipped but counted. */
  headerLine: number;
  columns: Column[];
  rows: { line: number; cells: string[] }[];
}

const FIELD_TYPES: readonly string[] = ["token", "token_seq", "float", "float_seq"];

function readAtomicTable(file: string): AtomicTable {
  const lines = readLines(file);
  if (lines.length === 0) throw new DataError(file, 1, "header", "empty file");
  const header = lines[0];
  // A comma-separated export (a CSV) would otherwise read as one header cell and say only that
  // the cell is not name:type.
  if (!header.content.includes("\t") && header.content.includes(",")) {
    throw new DataError(
      file,
      header.line,
      "header",
      "RecBole atomic files are tab-separated; this header is separated by commas",
    );
  }
  const columns = header.content.split("\t").map((label, i): Column => {
    const [name, type, ...rest] = label.trim().split(":");
    if (rest.length > 0) {
      throw new DataError(
        file,
        header.line,
        label.trim(),
        `header cell must be name:type; ":${rest.join(":")}" after the type is not read ` +
          `(a unit such as ms is not supported: timestamps only order each user's history)`,
      );
    }
    if (!name || !type || !FIELD_TYPES.includes(type)) {
      throw new DataError(
        file,
        header.line,
        label || `column ${i + 1}`,
        `header cell must be name:type with type in ${FIELD_TYPES.join("/")}`,
      );
    }
    return { name, type: type as RecBoleFieldType, label: label.trim() };
  });
  const names = new Set<string>();
  for (const column of columns) {
    if (names.has(column.name)) {
      throw new DataError(file, header.line, column.label, "duplicate column");
    }
    names.add(column.name);
  }
  const rows = lines.slice(1).map(({ line, content }) => {
    // Two files concatenated with their headers: the second header would otherwise be read as an
    // interaction of the user "user_id:token".
    if (content.trim() === header.content.trim()) {
      throw new DataError(
        file,
        line,
        columns[0].label,
        `repeats the header of line ${header.line} (remove it)`,
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
    return { line, cells };
  });
  return { file, headerLine: header.line, columns, rows };
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

function requireColumn(table: AtomicTable, name: string, type: RecBoleFieldType): number {
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

function tokenCell(text: string, file: string, line: number, field: string): string {
  const token = text.trim();
  if (token === "") throw new DataError(file, line, field, "empty id");
  return token;
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
  const column = table.columns[columnIndex];
  const numItems = rowOfItem.length;
  const cellOf = (item: number) => {
    const row = table.rows[rowOfItem[item]];
    return row ? { line: row.line, text: row.cells[columnIndex].trim() } : null;
  };
  const provenance = { source: `${table.file} column ${column.label}`, normalisation: "none" };
  if (column.type === "token" || column.type === "token_seq") {
    const tokensOf = (text: string, line: number) =>
      column.type === "token"
        ? [text]
        : splitValues(text, table.file, line, () => column.label, { tokens: true });
    const vocabulary = [
      ...new Set(table.rows.flatMap((row) => {
        const text = row.cells[columnIndex].trim();
        return text === "" ? [] : tokensOf(text, row.line);
      })),
    ].sort();
    const position = new Map(vocabulary.map((token, i) => [token, i]));
    const dim = vocabulary.length;
    if (dim === 0) throw emptyColumn(table, column);
    const values = new Float32Array(numItems * dim);
    const present = new Uint8Array(numItems);
    for (let item = 0; item < numItems; item++) {
      const cell = cellOf(item);
      if (!cell || cell.text === "") continue;
      for (const token of tokensOf(cell.text, cell.line)) {
        values[item * dim + position.get(token)!] = 1;
      }
      present[item] = 1;
    }
    return { name: column.name, kind: "multi_hot", dim, values, present, provenance, vocabulary };
  }
  let dim = 0;
  const parsed: (number[] | null)[] = [];
  for (let item = 0; item < numItems; item++) {
    const cell = cellOf(item);
    if (!cell || cell.text === "") {
      parsed.push(null);
      continue;
    }
    const parts = column.type === "float"
      ? [cell.text]
      : splitValues(cell.text, table.file, cell.line, (k) => `${column.label}[${k}]`);
    const numbers = parts.map((text, k) =>
      featureNumber(text, {
        file: table.file,
        line: cell.line,
        field: column.type === "float" ? column.label : `${column.label}[${k}]`,
      })
    );
    if (dim === 0) dim = numbers.length;
    if (numbers.length !== dim) {
      throw new DataError(
        table.file,
        cell.line,
        column.label,
        `${numbers.length} values, earlier rows have ${dim}`,
      );
    }
    parsed.push(numbers);
  }
  if (dim === 0) throw emptyColumn(table, column);
  const values = new Float32Array(numItems * dim);
  const present = new Uint8Array(numItems);
  parsed.forEach((numbers, item) => {
    if (!numbers) return;
    values.set(numbers, item * dim);
    present[item] = 1;
  });
  return { name: column.name, kind: "dense", dim, values, present, provenance };
}

/** One `.inter` row as a history entry. */
interface InterEvent {
  item: number;
  time: number;
  /** Its line in the `.inter` file. */
  line: number;
}

/**
 * Rows that repeat an earlier row's (user, item, timestamp), counted, with the first of them (in
 * file order) and the row it repeats; undefined when there are none. They are kept, as RecBole
 * keeps them by default (`rm_dup_inter: None`), but said: an export that wrote rows twice would
 * otherwise pass unnoticed, and a last item repeated at the same time makes an easy test target.
 * `histories` are sorted by time, so equal times are adjacent.
 */
function duplicateRows(
  histories: InterEvent[][],
): { count: number; line: number; earlier: number } | undefined {
  let count = 0;
  let first: { line: number; earlier: number } | undefined;
  for (const history of histories) {
    for (let start = 0, end = 1; start < history.length; start = end, end = start + 1) {
      while (end < history.length && history[end].time === history[start].time) end++;
      if (end - start === 1) continue; // the common case: no other row at this time
      const lineOfItem = new Map<number, number>();
      for (const event of history.slice(start, end)) {
        const earlier = lineOfItem.get(event.item);
        if (earlier === undefined) {
          lineOfItem.set(event.item, event.line);
          continue;
        }
        count++;
        if (first === undefined || event.line < first.line) first = { line: event.line, earlier };
      }
    }
  }
  return first && { count, ...first };
}

/**
 * The error for the first `.inter` line (`line`) whose item has no `.item` row, counting every
 * such line and item: RecBole accepts them (filling in default features), so a RecBole dataset
 * may have many, and one error per rerun would not say how many.
 */
function unknownItem(
  inter: AtomicTable,
  itemColumn: number,
  itemIndex: Map<string, number>,
  line: number,
  itemFile: string,
): DataError {
  const unknown = new Set<string>();
  let lines = 0;
  for (const row of inter.rows) {
    const id = row.cells[itemColumn].trim();
    if (row.line < line || id === "" || itemIndex.has(id)) continue;
    unknown.add(id);
    lines++;
  }
  const [first] = unknown;
  return new DataError(
    inter.file,
    line,
    inter.columns[itemColumn].label,
    `unknown item id "${first}" (not in ${itemFile}); ${lines} ${
      lines === 1 ? "line names" : "lines name"
    } ${unknown.size} ${unknown.size === 1 ? "item" : "items"} without a row there: give each ` +
      "a row (empty feature cells mark its features missing)",
  );
}

/**
 * Reads `<base>.inter` and, when it exists or is required, `<base>.item`. Users are ordered by
 * first appearance; each history is stably sorted by `timestamp:float` (file order breaks ties;
 * without a timestamp column the file order is the chronology). Every interaction's item must be
 * listed in `.item` when that file is given; `.item` items that nobody interacted with are kept
 * (cold items).
 *
 * @example
 * ```ts
 * const dataset = readRecBoleAtomic("data/ml-100k/ml-100k", { requireItemFile: true });
 * ```
 */
export function readRecBoleAtomic(
  base: string,
  options: { requireItemFile?: boolean; name?: string } = {},
): InteractionDataset {
  const interFile = `${base}.inter`;
  const itemFile = `${base}.item`;
  const inter = readAtomicTable(interFile);
  const userColumn = requireColumn(inter, "user_id", "token");
  const itemColumn = requireColumn(inter, "item_id", "token");
  const timeColumn = inter.columns.findIndex((column) => column.name === "timestamp");
  if (timeColumn >= 0 && inter.columns[timeColumn].type !== "float") {
    throw new DataError(
      interFile,
      inter.headerLine,
      inter.columns[timeColumn].label,
      "expected type float",
    );
  }
  let hasItemFile = false;
  try {
    const stat = Deno.statSync(itemFile);
    if (!stat.isFile) {
      throw new DataError(itemFile, 0, "file", "exists but is not a file (a directory?)");
    }
    hasItemFile = true;
  } catch (error) {
    if (error instanceof DataError) throw error;
    hasItemFile = false;
  }
  if (options.requireItemFile && !hasItemFile) throw new DataError(itemFile, 0, "file", "missing");

  const itemIndex = new Map<string, number>();
  let items: AtomicTable | undefined;
  if (hasItemFile) {
    items = readAtomicTable(itemFile);
    const idColumn = requireColumn(items, "item_id", "token");
    items.rows.forEach(({ line, cells }) => {
      const id = tokenCell(cells[idColumn], itemFile, line, items!.columns[idColumn].label);
      if (itemIndex.has(id)) {
        throw new DataError(
          itemFile,
          line,
          items!.columns[idColumn].label,
          `duplicate item id "${id}"`,
        );
      }
      itemIndex.set(id, itemIndex.size);
    });
  }
  const events = new Map<string, InterEvent[]>();
  for (const { line, cells } of inter.rows) {
    const user = tokenCell(cells[userColumn], interFile, line, inter.columns[userColumn].label);
    const itemId = tokenCell(cells[itemColumn], interFile, line, inter.columns[itemColumn].label);
    if (!itemIndex.has(itemId)) {
      if (items) throw unknownItem(inter, itemColumn, itemIndex, line, itemFile);
      itemIndex.set(itemId, itemIndex.size);
    }
    const time = timeColumn >= 0
      ? finiteNumber(cells[timeColumn], {
        file: interFile,
        line,
        field: inter.columns[timeColumn].label,
      })
      : 0;
    inter.columns.forEach((column, c) => {
      if (column.type === "float" && c !== timeColumn) {
        finiteNumber(cells[c], { file: interFile, line, field: column.label });
      }
    });
    const list = events.get(user) ?? [];
    list.push({ item: itemIndex.get(itemId)!, time, line });
    events.set(user, list);
  }
  if (events.size === 0) throw new DataError(interFile, 2, "user_id:token", "no interactions");
  const userIds = [...events.keys()];
  const histories = userIds.map((user) => events.get(user)!.sort((a, b) => a.time - b.time));
  const duplicates = timeColumn >= 0 ? duplicateRows(histories) : undefined;
  const numItems = itemIndex.size;
  const modalities: ModalityFeatures[] = [idModality(numItems)];
  if (items) {
    const rowOfItem = Int32Array.from({ length: numItems }, (_, i) => i);
    items.columns.forEach((column, c) => {
      if (column.name === "item_id") return;
      // A column named like an existing modality ("id", the learned one) would be a second
      // modality of that name, listed twice and dropped from results keyed by name.
      requireNewModalityName(modalities, column.name, {
        file: items!.file,
        line: items!.headerLine,
        field: column.label,
      });
      modalities.push(featureModality(items!, c, rowOfItem));
    });
  }
  const dataset: InteractionDataset = {
    name: options.name ?? base.split("/").pop()!,
    numUsers: userIds.length,
    numItems,
    userIds,
    itemIds: [...itemIndex.keys()],
    sequences: histories.map((list) => Int32Array.from(list, (event) => event.item)),
    timestamps: timeColumn >= 0
      ? histories.map((list) => Float64Array.from(list, (event) => event.time))
      : undefined,
    modalities,
    metadata: {
      source: `RecBole atomic files ${interFile}${items ? ` + ${itemFile}` : ""}`,
      preprocessing: [
        "every interaction kept as implicit feedback",
        ...(duplicates
          ? [
            `${duplicates.count} ${
              duplicates.count === 1 ? "row repeats" : "rows repeat"
            } an earlier row's user, item and timestamp (first: line ${duplicates.line} repeats ` +
            `line ${duplicates.earlier} of ${interFile}): kept as repeated interactions`,
          ]
          : []),
      ],
      tieBreak: timeColumn >= 0
        ? "by timestamp, then by line order of the .inter file"
        : "line order of the .inter file",
      fingerprint: "",
    },
  };
  dataset.metadata.fingerprint = datasetFingerprint(dataset);
  return dataset;
}
