/**
 * idModality's whole record: the learned id modality has no raw feature (dim 0, no values), is
 * present for every item, and says so in its provenance. Found by mutation round BA.
 */
import { assertEquals } from "@std/assert";
import { idModality } from "../../lib/data/id_modality.ts";

Deno.test("idModality: named and kind id, no raw feature, present for every item, provenance", () => {
  assertEquals(idModality(3), {
    name: "id",
    kind: "id",
    dim: 0,
    values: new Float32Array(0),
    present: Uint8Array.of(1, 1, 1),
    provenance: { source: "learned item embedding (no raw feature)", normalisation: "none" },
  });
  assertEquals(idModality(0).present, new Uint8Array(0));
});
