/**
 * RecBole atomic files: `<name>.inter` (tab-separated, header `user_id:token item_id:token
 * timestamp:float ...`) and optionally `<name>.item` (item_id:token plus feature columns of type
 * token, token_seq, float or float_seq). Each `.item` feature column becomes a modality:
 * token and token_seq are multi-hot over the values seen, float and float_seq are dense.
 *
 * The `.inter` (one row per interaction: millions of lines in ml-20m or an Amazon set) is read a
 * chunk at a time into columns (user index, item index, timestamp), never held as lines or cells;
 * the `.item` (one row per item) is held as rows.
 *
 * The parts, one file each: the atomic format itself (_recbole_atomic_table.ts), the `.item`
 * features (_recbole_item_features.ts), the `.inter` reader (_recbole_inter_reader.ts), and each
 * user's history from the rows (_user_histories.ts); this file checks the options and assembles the
 * dataset.
 */
import { DataError } from "../errors.ts";
import { datasetFingerprint } from "../fingerprint.ts";
import { idModality } from "../id_modality.ts";
import type { InteractionDataset, ModalityFeatures } from "../types.ts";
import {
  forEachLine,
  type LineReadOptions,
  pathKind,
  relativePathNote,
  requireNewModalityName,
} from "./_fields.ts";
import {
  checkBoolean,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../../util/settings.ts";
import type { WorkProgressListener } from "../../util/work_progress.ts";
import { featureModality, joinedTokenNotes } from "./_recbole_item_features.ts";
import { InterReader, rowOrderNote, unusedColumnsNote } from "./_recbole_inter_reader.ts";
import { duplicateRows, perUser, rowsByUser, sortByTime } from "./_user_histories.ts";

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
 * `onProgress` (default none: quiet) hears the bytes of `<base>.inter` read so far of its size
 * after each chunk (1 MiB), the last event with all of them: a `.inter` of millions of lines takes
 * tens of seconds. The dataset is the same with and without it.
 *
 * @example
 * ```ts
 * const dataset = readRecBoleAtomic("data/ml-100k/ml-100k", { requireItemFile: true });
 * ```
 */
export function readRecBoleAtomic(
  base: string,
  options: RecBoleReadOptions = {},
  onProgress?: WorkProgressListener,
): InteractionDataset {
  return readRecBoleAtomicInChunks(base, options, {}, onProgress);
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
  throw new DataError(
    interFile,
    0,
    "file",
    `no such file${relativePathNote(interFile)}: a RecBole dataset is named by its base, ` +
      `"${base}" for ${base}.inter (and ${base}.item)${whatTheBaseIs(base)}`,
  );
}

/**
 * What a base without a `.inter` names instead, said after "no such file": the dataset's folder
 * (RecBole's own layout is `<folder>/<name>/<name>.inter`, and its users name that folder), the
 * `.item` file of a base, a CSV or TSV export (by its name), or a file of another format.
 */
function whatTheBaseIs(base: string): string {
  const kind = pathKind(base);
  if (kind === "folder") {
    const folder = base.replace(/\/+$/, "");
    const name = folder.slice(folder.lastIndexOf("/") + 1);
    return pathKind(`${folder}/${name}.inter`) === "file"
      ? `; "${base}" is a folder: the base of its ${folder}/${name}.inter is "${folder}/${name}"`
      : `; "${base}" is a folder: the base names the files in it, "${folder}/<name>" for ` +
        `${folder}/<name>.inter`;
  }
  const itemOf = base.endsWith(".item") ? base.slice(0, -".item".length) : undefined;
  if (itemOf !== undefined && pathKind(`${itemOf}.inter`) === "file") {
    return `; "${base}" is the .item file of the base "${itemOf}" (give that, or ${itemOf}.inter)`;
  }
  if (kind !== "file") return "";
  const spreadsheet = /\.(csv|tsv)$/i.exec(base);
  if (spreadsheet) {
    // A CSV export is what most data arrives as; "format sequence" sent it to a reader that
    // refuses its commas, and neither message said what RecBole files look like.
    const stem = base.slice(0, spreadsheet.index);
    return `; "${base}" is itself a file, a ${spreadsheet[1].toUpperCase()} export by its name: ` +
      "RecBole atomic files are tab-separated, with a header of name:type cells " +
      "(user_id:token, item_id:token, optional timestamp:float); written so as " +
      `${stem}.inter, they are the base "${stem}"`;
  }
  return `; "${base}" is itself a file: a one-user-per-line file has format "sequence"`;
}

/**
 * {@linkcode readRecBoleAtomic} with the line reader's options: tests read with chunks of a few
 * bytes, to split lines and characters across reads. Not part of the library's interface.
 */
export function readRecBoleAtomicInChunks(
  base: string,
  options: RecBoleReadOptions,
  reading: LineReadOptions,
  onProgress?: WorkProgressListener,
): InteractionDataset {
  checkRecBoleReadOptions(options);
  const interFile = `${base}.inter`;
  const itemFile = `${base}.item`;
  requireInterFile(base, interFile);
  const reader = new InterReader(interFile, itemFile, options.requireItemFile ?? false, reading);
  forEachLine(interFile, reader.visit, { ...reading, tabSeparated: true }, onProgress);
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
        ...rowOrderNote(interFile, inter.time !== undefined),
        ...unusedColumnsNote(interFile, inter.unused),
        ...(items ? joinedTokenNotes(items) : []),
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
