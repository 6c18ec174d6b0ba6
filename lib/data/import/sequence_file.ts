/** One-user-per-line sequence files: `user item1 item2 ...`, already in chronological order. */
import { DataError } from "../errors.ts";
import { datasetFingerprint } from "../fingerprint.ts";
import { idModality } from "../id_modality.ts";
import type { InteractionDataset } from "../types.ts";
import type { WorkProgressListener } from "../../util/work_progress.ts";
import {
  COMMA_HINT,
  foreignSeparator,
  oneValueRefusal,
  pathKind,
  readLines,
  RECBOLE_CELL,
  splitValues,
} from "./_fields.ts";

/** Column names a header line of an interaction file starts with. */
const HEADER_WORDS = /^(user|users|user_?id|uid|session|session_?id|sequence)$/i;

/** Values after the user on an interaction file's line: an item, a rating, a timestamp. */
const INTERACTION_ROW_VALUES = 3;

/** Said of a user listed twice on short lines: the file holds one interaction a line. */
const INTERACTION_FILE_HINT = ": one interaction a line (user, item, then perhaps a rating and a " +
  "time) is an interaction file, RecBole's .inter (tab-separated, under a header such as " +
  'user_id:token item_id:token timestamp:float; format "recbole"); a sequence file holds each ' +
  "user's whole history on one line";

/** A first line like `user_id item_ids` or `user_id:token item_id:token`. */
function looksLikeHeader(user: string, items: string[]): boolean {
  return HEADER_WORDS.test(user) || RECBOLE_CELL.test(user) ||
    items.some((item) => /^item(s|_?ids?|_?seq(uence)?)?$/i.test(item) || /:token/.test(item));
}

/**
 * Refuses a missing path whose `.inter` is there with what it names: RecBole atomic files given
 * as a sequence file (`--dataset data/mine --format sequence` for `data/mine.inter`) said only
 * "cannot read: No such file". Other problems are the reader's "cannot read", with their cause.
 */
function requireNotRecBoleBase(path: string): void {
  try {
    Deno.statSync(path);
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return;
  }
  if (pathKind(`${path}.inter`) === "file") {
    throw new DataError(
      path,
      0,
      "file",
      `no such file; ${path}.inter is there: RecBole atomic files (.inter, optional .item) have ` +
        `format "recbole" and are named by their base, "${path}"`,
    );
  }
}

/**
 * Reads a sequence file. A header line (first word `user`, `user_id`, `uid`, `session_id`, or a
 * RecBole `name:type` cell), binary content, values holding a comma (a CSV export) or starting
 * with a double quote (a quoted id, which cannot hold the space it would need), and a line of
 * one value holding a semicolon or a pipe (another export's separator) are rejected with the line.
 * Items are indexed in order of first appearance. A user without items or listed twice is an error
 * naming the line; nothing is dropped.
 *
 * `onProgress` (default none: quiet) hears the bytes read so far of the file's size after each
 * chunk (1 MiB), the last event with all of them. The dataset is the same with and without it.
 *
 * @example
 * ```ts
 * const dataset = readSequenceFile("beauty.txt"); // "u1 i5 i9 i2" per line
 * ```
 */
export function readSequenceFile(
  path: string,
  name = path,
  onProgress?: WorkProgressListener,
): InteractionDataset {
  requireNotRecBoleBase(path);
  const userIds: string[] = [];
  const seenUsers = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const sequences: Int32Array[] = [];
  const lines = readLines(path, {}, onProgress);
  /** Lines of at most INTERACTION_ROW_VALUES items: the duplicate user's hint. */
  const shortLines = new Set<number>();
  for (const { line, content } of lines) {
    const [user, ...items] = splitValues(content, path, line, (k) => k === 0 ? "user" : "items");
    if (line === lines[0].line && looksLikeHeader(user, items)) {
      // A RecBole .inter given as a sequence file: removing its header, as the plain advice says,
      // would read each interaction row as a user with two items.
      const advice = [user, ...items].some((value) => RECBOLE_CELL.test(value))
        ? 'RecBole\'s typed columns (name:type): a .inter file has format "recbole"'
        : "a sequence file has no header (remove the line)";
      throw new DataError(
        path,
        line,
        "user",
        `"${content.trim().slice(0, 60)}" looks like a header line; ${advice}`,
      );
    }
    // "u1, i1, i2" or "u1<TAB>i1,i2": split on whitespace alone, the commas would stay in the ids
    // (every item read twice, as "i1," and "i1") and the run would train on other data.
    const withComma = [user, ...items].findIndex((value) => value.includes(","));
    if (withComma >= 0) {
      throw new DataError(
        path,
        line,
        withComma === 0 ? "user" : "items",
        `value "${[user, ...items][withComma]}" holds a comma: ${COMMA_HINT}`,
      );
    }
    // '"u 1" i1' (an export that quotes ids): split on spaces, it read as the user '"u' with the
    // items '1"' and 'i1' without a word. The RecBole reader refuses such a cell too.
    const quoted = [user, ...items].findIndex((value) => value.startsWith('"'));
    if (quoted >= 0) {
      throw new DataError(
        path,
        line,
        quoted === 0 ? "user" : "items",
        `value '${[user, ...items][quoted]}' starts with a double quote: a sequence file has no ` +
          "quoting (values are separated by spaces or tabs, so an id cannot hold one); write " +
          "the ids without quotes, or ids with spaces as RecBole files (tab-separated)",
      );
    }
    if (seenUsers.has(user)) {
      const first = seenUsers.get(user)!;
      // (user, item[, rating, timestamp]) a line, as ratings exports are: each user's second
      // line is a duplicate, and "duplicate user" alone did not say that the file is another kind.
      const interactionRows = items.length <= INTERACTION_ROW_VALUES && shortLines.has(first);
      throw new DataError(
        path,
        line,
        "user",
        `duplicate user "${user}" (first on line ${first})${
          interactionRows ? INTERACTION_FILE_HINT : ""
        }`,
      );
    }
    if (items.length <= INTERACTION_ROW_VALUES) shortLines.add(line);
    // "u1;i1;i2" or "u1|i1|i2" is one value: a user "u1;i1;i2" without items, not a history.
    // Only a line of one value says so: ";" or "|" inside an id next to others is an id.
    const separator = items.length === 0 ? foreignSeparator(user) : undefined;
    if (separator) throw oneValueRefusal({ path, line, field: "user" }, user, "items", separator);
    if (items.length === 0) {
      throw new DataError(path, line, "items", `user "${user}" has an empty history`);
    }
    seenUsers.set(user, line);
    userIds.push(user);
    sequences.push(Int32Array.from(items, (item) => {
      if (!itemIndex.has(item)) itemIndex.set(item, itemIndex.size);
      return itemIndex.get(item)!;
    }));
  }
  if (userIds.length === 0) throw new DataError(path, 1, "user", "no users in file");
  const dataset: InteractionDataset = {
    name,
    numUsers: userIds.length,
    numItems: itemIndex.size,
    userIds,
    itemIds: [...itemIndex.keys()],
    sequences,
    modalities: [idModality(itemIndex.size)],
    metadata: {
      source: `sequence file ${path}`,
      preprocessing: ["one user per line, items in the given (chronological) order"],
      tieBreak: "order given by the file",
      fingerprint: "",
    },
  };
  dataset.metadata.fingerprint = datasetFingerprint(dataset);
  return dataset;
}
