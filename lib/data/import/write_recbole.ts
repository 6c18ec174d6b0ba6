/** Writes a dataset as RecBole atomic files, atomically (temporary files renamed at the end). */
import { writeFilesAtomically } from "../atomic_write.ts";
import type { InteractionDataset, ModalityFeatures } from "../types.ts";

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

function featureCell(modality: ModalityFeatures, item: number): string {
  if (!modality.present[item]) return "";
  const row = modality.values.subarray(item * modality.dim, (item + 1) * modality.dim);
  if (modality.kind === "dense") return Array.from(row, String).join(" ");
  const tokens: string[] = [];
  row.forEach((value, column) => {
    if (value !== 0) {
      tokens.push((modality.vocabulary?.[column] ?? String(column)).replace(/\s+/g, "_"));
    }
  });
  return tokens.join(" ");
}

/**
 * Writes `<base>.inter` (user_id, item_id, timestamp: the sequence position when the dataset has
 * no timestamps) and `<base>.item` (dense modalities as float_seq, multi-hot as token_seq, a
 * missing modality as an empty cell). Either both files appear or neither does. A value that the
 * files cannot hold as written (a tab or line break in it, or a leading double quote, which RecBole
 * would unquote), or a modality name that the `.item` header cannot (a colon, whitespace at either
 * end, `item_id`), is an error naming the file, line and field, and nothing is written.
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
  dataset.sequences.forEach((sequence, user) => {
    sequence.forEach((item, t) => {
      const time = dataset.timestamps?.[user][t] ?? t;
      const line = inter.length + 1;
      inter.push([
        cell(dataset.userIds[user], interFile, line, "user_id:token"),
        cell(dataset.itemIds[item], interFile, line, "item_id:token"),
        time,
      ].join("\t"));
    });
  });
  const features = dataset.modalities.filter((modality) => modality.kind !== "id");
  const header = ["item_id:token", ...features.map((m) => featureLabel(m, itemFile))];
  const item = [header.join("\t")];
  dataset.itemIds.forEach((id, index) => {
    const line = item.length + 1;
    item.push([
      cell(id, itemFile, line, header[0]),
      ...features.map((modality, m) =>
        cell(featureCell(modality, index), itemFile, line, header[m + 1])
      ),
    ].join("\t"));
  });
  writeFilesAtomically([
    { path: interFile, data: inter.join("\n") + "\n" },
    { path: itemFile, data: item.join("\n") + "\n" },
  ]);
}
