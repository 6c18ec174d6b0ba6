/** Writes a dataset as RecBole atomic files, atomically (temporary files renamed at the end). */
import { writeFilesAtomically } from "../atomic_write.ts";
import type { InteractionDataset, ModalityFeatures } from "../types.ts";

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
 * missing modality as an empty cell). Either both files appear or neither does.
 *
 * @example
 * ```ts
 * writeRecBoleAtomic(dataset, "/tmp/export/ml"); // /tmp/export/ml.inter, /tmp/export/ml.item
 * ```
 */
export function writeRecBoleAtomic(dataset: InteractionDataset, base: string): void {
  const inter = ["user_id:token\titem_id:token\ttimestamp:float"];
  dataset.sequences.forEach((sequence, user) => {
    sequence.forEach((item, t) => {
      const time = dataset.timestamps?.[user][t] ?? t;
      inter.push(`${dataset.userIds[user]}\t${dataset.itemIds[item]}\t${time}`);
    });
  });
  const features = dataset.modalities.filter((modality) => modality.kind !== "id");
  const header = [
    "item_id:token",
    ...features.map((m) => `${m.name}:${m.kind === "dense" ? "float_seq" : "token_seq"}`),
  ];
  const item = [header.join("\t")];
  dataset.itemIds.forEach((id, index) => {
    item.push([id, ...features.map((modality) => featureCell(modality, index))].join("\t"));
  });
  writeFilesAtomically([
    { path: `${base}.inter`, data: inter.join("\n") + "\n" },
    { path: `${base}.item`, data: item.join("\n") + "\n" },
  ]);
}
