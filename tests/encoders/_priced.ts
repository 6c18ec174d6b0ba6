/**
 * A catalogue whose items have one scalar feature, "price", beside their ids: the fixture of the
 * one-column dense encoder's tests (the standardised column), which modality_encoders_test.ts and
 * modality_encoders_gaps_test.ts (twice) each wrote out.
 */
import type { EncoderInput } from "../../lib/encoders/modality_encoders.ts";
import { idModality } from "../../lib/data/id_modality.ts";

/** Dataset "priced": one item per entry of `values`, `present` saying which have their price. */
export function pricedItems(values: readonly number[], present: readonly number[]): EncoderInput {
  return {
    name: "priced",
    numItems: values.length,
    modalities: [
      idModality(values.length),
      {
        name: "price",
        kind: "dense",
        dim: 1,
        values: Float32Array.from(values),
        present: Uint8Array.from(present),
        provenance: { source: "test", normalisation: "none" },
      },
    ],
  };
}
