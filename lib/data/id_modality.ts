import type { ModalityFeatures } from "./types.ts";

/**
 * The learned id modality (no raw feature, present for every item).
 *
 * @example
 * ```ts
 * idModality(3).present; // Uint8Array [1, 1, 1]
 * ```
 */
export function idModality(numItems: number): ModalityFeatures {
  return {
    name: "id",
    kind: "id",
    dim: 0,
    values: new Float32Array(0),
    present: new Uint8Array(numItems).fill(1),
    provenance: { source: "learned item embedding (no raw feature)", normalisation: "none" },
  };
}
