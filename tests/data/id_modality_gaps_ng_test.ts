/**
 * idModality refuses a negative item count (never an empty modality), and each call's presence
 * array is its own: masking an item in one dataset leaves another's id modality whole.
 * Found by mutation round NG (NG15, NG16).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { idModality } from "../../lib/data/id_modality.ts";

Deno.test("idModality: a negative item count is an error, not an empty modality", () => {
  assertThrows(() => idModality(-1), RangeError);
});

Deno.test("idModality: each call has its own presence array", () => {
  const first = idModality(3);
  first.present[1] = 0;
  assertEquals(idModality(3).present, Uint8Array.of(1, 1, 1));
});
