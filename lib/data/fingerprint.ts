/** A content hash of a dataset, stored in checkpoints and results to detect mismatched data. */
import { createHash } from "node:crypto";
import type { InteractionDataset } from "./types.ts";

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** How many hex digits of the SHA-256 a fingerprint keeps: one home for its writer and readers. */
export const FINGERPRINT_HEX_DIGITS = 16;

const FINGERPRINT_PATTERN = new RegExp(`^[0-9a-f]{${FINGERPRINT_HEX_DIGITS}}$`);

/**
 * Whether `text` is a fingerprint as {@linkcode datasetFingerprint} writes it: 16 lowercase hex
 * digits. A reader that takes anything else for "no fingerprint" lets a changed record through.
 *
 * @example
 * ```ts
 * isDatasetFingerprint("f5bf20439b75a27b"); // true
 * isDatasetFingerprint("F5BF20439B75A27B"); // false
 * ```
 */
export function isDatasetFingerprint(text: string): boolean {
  return FINGERPRINT_PATTERN.test(text);
}

/**
 * SHA-256 (first {@linkcode FINGERPRINT_HEX_DIGITS} hex digits) over the item ids, the sequences
 * and every modality's name, kind, dim, values and presence mask. Names, titles and metadata are left out: they do not change
 * what a model sees.
 *
 * @example
 * ```ts
 * const dataset = await loadMovieLens();
 * datasetFingerprint(dataset) === dataset.metadata.fingerprint; // true
 * ```
 */
export function datasetFingerprint(dataset: InteractionDataset): string {
  const hash = createHash("sha256");
  const header = new Int32Array([dataset.numUsers, dataset.numItems, dataset.modalities.length]);
  hash.update(bytesOf(header));
  hash.update(dataset.itemIds.join("\u0000"));
  const length = new Int32Array(1);
  for (const sequence of dataset.sequences) {
    length[0] = sequence.length;
    hash.update(bytesOf(length));
    hash.update(bytesOf(sequence));
  }
  for (const modality of dataset.modalities) {
    hash.update(`${modality.name}\u0000${modality.kind}\u0000${modality.dim}\u0000`);
    hash.update(bytesOf(modality.values));
    hash.update(bytesOf(modality.present));
  }
  return hash.digest("hex").slice(0, FINGERPRINT_HEX_DIGITS);
}
