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
import { finiteNumber, readLines, requireNewModalityName, splitValues } from "./_fields.ts";

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
    if (cells.length !== columns.length) {
      const field = columns[Math.min(cells.length, columns.length - 1)].label;
      throw new DataError(
        file,
        line,
        field,
        `${cells.length} fields, header has ${columns.length}`,
      );
    }
    return { line, cells };
  });
  return { file, headerLine: header.line, columns, rows };
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
      finiteNumber(text, {
        file: table.file,
        line: cell.line,
        field: column.type === "float" ? column.label : `${column.label}[${k}]`,
      }, { float32: true })
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
  const events = new Map<string, { item: number; time: number }[]>();
  for (const { line, cells } of inter.rows) {
    const user = tokenCell(cells[userColumn], interFile, line, inter.columns[userColumn].label);
    const itemId = tokenCell(cells[itemColumn], interFile, line, inter.columns[itemColumn].label);
    if (!itemIndex.has(itemId)) {
      if (items) {
        throw new DataError(
          interFile,
          line,
          inter.columns[itemColumn].label,
          `unknown item id "${itemId}" (not in ${itemFile})`,
        );
      }
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
    list.push({ item: itemIndex.get(itemId)!, time });
    events.set(user, list);
  }
  if (events.size === 0) throw new DataError(interFile, 2, "user_id:token", "no interactions");
  const userIds = [...events.keys()];
  const histories = userIds.map((user) => events.get(user)!.sort((a, b) => a.time - b.time));
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
      preprocessing: ["every interaction kept as implicit feedback"],
      tieBreak: timeColumn >= 0
        ? "by timestamp, then by line order of the .inter file"
        : "line order of the .inter file",
      fingerprint: "",
    },
  };
  dataset.metadata.fingerprint = datasetFingerprint(dataset);
  return dataset;
}
