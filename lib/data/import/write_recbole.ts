/** Writes a dataset as RecBole atomic files, atomically (temporary files renamed at the end). */
import { writeFilesAtomically } from "../atomic_write.ts";
import type { InteractionDataset, ModalityFeatures } from "../types.ts";
import { tokenProblem } from "./_recbole_atomic_table.ts";

/**
 * `text` as a cell of an atomic file, or an error naming the file, line and field it would go to
 * (before anything is written): a tab or line break would split it into other fields or rows, and
 * a value starting with a double quote RecBole (pandas) reads as a quoted one, dropping the quotes
 * and joining what lies between them, tabs and rows included. readRecBoleAtomic refuses both.
 */
function cell(text: string, file: string, line: number, field: string): string {
  const problem = /[\t\n\r]/.test(text)
    ? "holds a tab or line break, which would split it into other fields or rows"
    : text.trimStart().startsWith('"')
    ? "starts with a double quote, which RecBole (pandas) would read as a quoted value and " +
      "unquote (readRecBoleAtomic refuses it)"
    : undefined;
  if (problem === undefined) return text;
  throw refusal(text, file, line, field, problem);
}

/**
 * An id (user or item) as a cell, or an error naming it: besides what no cell may hold
 * ({@linkcode cell}), an id that readRecBoleAtomic refuses (its own rule, `tokenProblem`: empty,
 * whitespace at either end, a vertical tab or form feed) made files that were written without a
 * word and then refused when read back.
 */
function idCell(id: string, file: string, line: number, field: string): string {
  const text = cell(id, file, line, field);
  const problem = tokenProblem(id);
  if (problem === undefined) return text;
  throw refusal(id, file, line, field, `would be refused by readRecBoleAtomic (${problem})`);
}

/**
 * Refuses a user without interactions: the `.inter` holds one row per interaction and nothing
 * else, so readRecBoleAtomic would read the files back without that user. `line` is where the
 * user's rows would start.
 */
function requireInteractions(
  dataset: InteractionDataset,
  user: number,
  file: string,
  line: number,
): void {
  if (dataset.sequences[user].length > 0) return;
  const users = dataset.sequences.filter((sequence) => sequence.length > 0).length;
  throw refusal(
    dataset.userIds[user],
    file,
    line,
    "user_id:token",
    "has no interactions: the .inter holds only interactions, so readRecBoleAtomic would read " +
      `the files back without this user (${users} users, not ${dataset.sequences.length})`,
  );
}

/**
 * The user's timestamps, or undefined when the dataset has none (the `.inter` then holds the
 * sequence position). Refuses a user whose timestamps are missing or not one per interaction: the
 * position stood in for the missing ones without a word, mixing positions with real times.
 */
function interactionTimes(
  dataset: InteractionDataset,
  user: number,
  file: string,
  line: number,
): Float64Array | undefined {
  if (dataset.timestamps === undefined) return undefined;
  const times = dataset.timestamps[user];
  const length = dataset.sequences[user].length;
  if (times !== undefined && times.length === length) return times;
  throw refusal(
    dataset.userIds[user],
    file,
    line,
    "timestamp:float",
    `has ${times === undefined ? "no timestamps" : `${times.length} timestamps`} for ` +
      `${length} interactions: the dataset has timestamps, so every interaction needs one`,
  );
}

/**
 * The external id of internal item `item`, or an error naming the site: an index outside
 * `itemIds` wrote the id "undefined" (or failed on it) instead of naming the broken index.
 */
function itemIdAt(
  dataset: InteractionDataset,
  item: number,
  site: { file: string; line: number; field: string },
): string {
  const id = dataset.itemIds[item];
  if (id !== undefined) return id;
  throw refusal(
    String(item),
    site.file,
    site.line,
    site.field,
    `is an item index outside the dataset's ${dataset.itemIds.length} item ids ` +
      `(0 .. ${dataset.itemIds.length - 1})`,
  );
}

/**
 * Refuses an id that an earlier user or item already has (`seen`: id -> index, added to here),
 * `consequence` saying what readRecBoleAtomic would do with the two.
 */
function requireNewId(
  seen: Map<string, number>,
  what: { id: string; index: number; kind: "user" | "item" },
  site: { file: string; line: number; field: string },
  consequence: string,
): void {
  const earlier = seen.get(what.id);
  if (earlier === undefined) {
    seen.set(what.id, what.index);
    return;
  }
  throw refusal(
    what.id,
    site.file,
    site.line,
    site.field,
    `is also the id of ${what.kind} ${earlier}: ${consequence}`,
  );
}

/**
 * `value` as a number cell, or an error naming it: NaN or an infinity (a timestamp or a feature
 * value built in code) would be written as "NaN" or "Infinity", which readRecBoleAtomic refuses.
 * An integer past 2^53 is written with its exact digits: `String` writes the shortest digits that
 * read back as it (1700000000000000256 as 1700000000000000300), which readRecBoleAtomic refuses
 * as a timestamp that a float64 cannot hold. From 1e21 on `String` writes an exponent, read as is.
 */
function numberCell(value: number, file: string, line: number, field: string): string {
  if (
    Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER && Math.abs(value) < 1e21
  ) {
    return BigInt(value).toString();
  }
  if (Number.isFinite(value)) return String(value);
  throw refusal(
    String(value),
    file,
    line,
    field,
    "is not a finite number: readRecBoleAtomic would refuse it",
  );
}

/** The writer's error for `text`, which the file cannot hold as written: nothing is written. */
function refusal(text: string, file: string, line: number, field: string, problem: string): Error {
  const value = JSON.stringify(text);
  return new Error(
    `writeRecBoleAtomic: ${file}:${line}: field "${field}": ${value} ${problem}; nothing was written`,
  );
}

/**
 * A feature modality's `.item` header cell (`name:float_seq` or `name:token_seq`), or an error
 * naming it (before anything is written). RecBole splits a header cell at its colons and
 * readRecBoleAtomic trims it, so a name with a colon or whitespace at either end, or the id
 * column's name, made files that were written without a word and then refused (or read under
 * another name) when read back.
 */
function featureLabel(modality: ModalityFeatures, file: string): string {
  const { name } = modality;
  const type = modality.kind === "dense" ? "float_seq" : "token_seq";
  const label = cell(`${name}:${type}`, file, 1, `${name}:${type}`);
  const problem = name.includes(":")
    ? "holds a colon, which RecBole reads as the end of the name (a header cell is name:type)"
    : name.trim() !== name || name === ""
    ? "is empty or has whitespace at either end, which is trimmed when read (another name)"
    : name === "item_id"
    ? "is the name of the id column (item_id:token)"
    : undefined;
  if (problem === undefined) return label;
  throw refusal(name, file, 1, label, `as a modality name ${problem}`);
}

/**
 * The token each column of a multi-hot modality is written as: its vocabulary entry (its number
 * without one) with each run of whitespace made `_`, since a token_seq cell's tokens are
 * separated by spaces (`science fiction` would be read as two tokens).
 */
function writtenTokens(modality: ModalityFeatures): string[] {
  return Array.from(
    { length: modality.dim },
    (_, column) => (modality.vocabulary?.[column] ?? String(column)).replace(/\s+/g, "_"),
  );
}

/** The columns an item holds (value not 0) of a multi-hot modality, when the item has it. */
function heldColumns(modality: ModalityFeatures, item: number): number[] {
  if (!modality.present[item]) return [];
  const columns: number[] = [];
  modality.values.subarray(item * modality.dim, (item + 1) * modality.dim)
    .forEach((value, column) => value !== 0 && columns.push(column));
  return columns;
}

/**
 * Refuses vocabulary entries of a multi-hot modality that the written files cannot keep apart,
 * naming the first item (its `.item` line) that holds one: an empty entry is written as no token
 * (read back, the item lacks it, or the whole modality when it is the item's only entry), and two
 * entries written as one token (`a b` and `a_b`, after the `_` of {@linkcode writtenTokens}) are
 * read back as one entry. Only entries some item holds are written, so only those are checked.
 */
function requireDistinctTokens(
  dataset: InteractionDataset,
  modality: ModalityFeatures,
  tokens: readonly string[],
  file: string,
  field: string,
): void {
  const entry = (column: number) => modality.vocabulary?.[column] ?? String(column);
  // The item's `.item` line: the header is line 1, then one row per item in order.
  const refuse = (item: number, column: number, problem: string) =>
    refusal(
      entry(column),
      file,
      item + 2,
      field,
      `as vocabulary entry ${column} of modality "${modality.name}", held by item ` +
        `"${dataset.itemIds[item]}", ${problem}`,
    );
  const columnOf = new Map<string, number>();
  for (let item = 0; item < dataset.itemIds.length; item++) {
    for (const column of heldColumns(modality, item)) {
      const token = tokens[column];
      const first = columnOf.get(token) ?? column;
      columnOf.set(token, first);
      if (token === "") {
        throw refuse(
          item,
          column,
          "is empty: it would be written as no token, and readRecBoleAtomic would read the item " +
            "without it (without the modality, when it is the item's only entry)",
        );
      }
      if (first !== column) {
        throw refuse(
          item,
          column,
          `is written "${token}", as is entry ${first} ${JSON.stringify(entry(first))} ` +
            "(whitespace in a token is written _): readRecBoleAtomic would read the two as one entry",
        );
      }
    }
  }
}

/**
 * The `.item` cell of `item` for a feature modality (`site`: where it goes, for errors; a dense
 * value is named `field[k]`, as readRecBoleAtomic names it).
 */
function featureCell(
  modality: ModalityFeatures,
  tokens: readonly string[],
  item: number,
  site: { file: string; line: number; field: string },
): string {
  if (!modality.present[item]) return "";
  if (modality.kind === "dense") {
    const row = modality.values.subarray(item * modality.dim, (item + 1) * modality.dim);
    return Array.from(
      row,
      (value, k) => numberCell(value, site.file, site.line, `${site.field}[${k}]`),
    )
      .join(" ");
  }
  return heldColumns(modality, item).map((column) => tokens[column]).join(" ");
}

/**
 * Writes `<base>.inter` (user_id, item_id, timestamp: the sequence position when the dataset has
 * no timestamps) and `<base>.item` (dense modalities as float_seq, multi-hot as token_seq, a
 * missing modality as an empty cell; whitespace in a vocabulary entry is written `_`). Either both
 * files appear or neither does. Whatever the files cannot hold as written, so that
 * readRecBoleAtomic would refuse it or read other data, is an error naming the file, line, field
 * and value, found before anything is written (nothing is): a tab or line break in a value, or a
 * leading double quote (which RecBole would unquote); an id readRecBoleAtomic refuses (empty,
 * whitespace at either end, a vertical tab or form feed); a user without interactions (gone when
 * read back); a modality name the `.item` header cannot hold (a colon, whitespace at either end,
 * `item_id`); a vocabulary entry an item holds that is empty, or written as the same token as
 * another (`a b` and `a_b`: merged when read back); two users or two items of one id; a timestamp
 * or dense feature value that is not finite; an item index outside `itemIds`; a user whose
 * timestamps are missing or not one per interaction (when the dataset has timestamps).
 *
 * @example
 * ```ts
 * writeRecBoleAtomic(dataset, "/tmp/export/ml"); // /tmp/export/ml.inter, /tmp/export/ml.item
 * ```
 */
export function writeRecBoleAtomic(dataset: InteractionDataset, base: string): void {
  const interFile = `${base}.inter`;
  const itemFile = `${base}.item`;
  const inter = ["user_id:token\titem_id:token\ttimestamp:float"];
  const userOf = new Map<string, number>();
  dataset.sequences.forEach((sequence, user) => {
    requireInteractions(dataset, user, interFile, inter.length + 1);
    requireNewId(
      userOf,
      { id: dataset.userIds[user], index: user, kind: "user" },
      { file: interFile, line: inter.length + 1, field: "user_id:token" },
      "readRecBoleAtomic groups the rows by user id, so it would read the two as one user",
    );
    const times = interactionTimes(dataset, user, interFile, inter.length + 1);
    sequence.forEach((item, t) => {
      const time = times?.[t] ?? t;
      const line = inter.length + 1;
      inter.push([
        idCell(dataset.userIds[user], interFile, line, "user_id:token"),
        idCell(
          itemIdAt(dataset, item, { file: interFile, line, field: "item_id:token" }),
          interFile,
          line,
          "item_id:token",
        ),
        numberCell(time, interFile, line, "timestamp:float"),
      ].join("\t"));
    });
  });
  const features = dataset.modalities.filter((modality) => modality.kind !== "id");
  const header = ["item_id:token", ...features.map((m) => featureLabel(m, itemFile))];
  const tokens = features.map((modality, m) => {
    if (modality.kind !== "multi_hot") return [];
    const written = writtenTokens(modality);
    requireDistinctTokens(dataset, modality, written, itemFile, header[m + 1]);
    return written;
  });
  const item = [header.join("\t")];
  const itemOf = new Map<string, number>();
  dataset.itemIds.forEach((id, index) => {
    const line = item.length + 1;
    requireNewId(
      itemOf,
      { id, index, kind: "item" },
      { file: itemFile, line, field: header[0] },
      "readRecBoleAtomic refuses a duplicate item id in the .item (and the .inter rows could not " +
        "tell the two items apart)",
    );
    item.push([
      idCell(id, itemFile, line, header[0]),
      ...features.map((modality, m) =>
        cell(
          featureCell(modality, tokens[m], index, { file: itemFile, line, field: header[m + 1] }),
          itemFile,
          line,
          header[m + 1],
        )
      ),
    ].join("\t"));
  });
  writeFilesAtomically([
    { path: interFile, data: inter.join("\n") + "\n" },
    { path: itemFile, data: item.join("\n") + "\n" },
  ]);
}
