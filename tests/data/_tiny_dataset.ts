import { idModality } from "../../lib/data/id_modality.ts";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";

/**
 * A hand-sized dataset from item-id sequences: an id modality plus one dense 1-d modality whose
 * value is the item index (so subsetting can be checked) and which is missing for odd items.
 */
export function tinyDataset(sequences: number[][], numItems: number): InteractionDataset {
  const dataset: InteractionDataset = {
    name: "tiny",
    numUsers: sequences.length,
    numItems,
    userIds: sequences.map((_, u) => `u${u}`),
    itemIds: Array.from({ length: numItems }, (_, i) => `i${i}`),
    sequences: sequences.map((s) => Int32Array.from(s)),
    timestamps: sequences.map((s) => Float64Array.from(s, (_, t) => 100 + t)),
    modalities: [
      idModality(numItems),
      {
        name: "value",
        kind: "dense",
        dim: 1,
        values: Float32Array.from({ length: numItems }, (_, i) => (i % 2 === 0 ? i : 0)),
        present: Uint8Array.from({ length: numItems }, (_, i) => (i % 2 === 0 ? 1 : 0)),
        provenance: { source: "test", normalisation: "none" },
      },
    ],
    metadata: { source: "test", preprocessing: [], fingerprint: "" },
  };
  dataset.metadata.fingerprint = datasetFingerprint(dataset);
  return dataset;
}
