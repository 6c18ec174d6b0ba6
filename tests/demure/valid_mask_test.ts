/**
 * validMaskOf: the (position, modality) pairs Demure may attribute and mask are those of a real
 * history position whose item has the modality. Padding positions hold item 0, which is a real
 * item with modalities of its own, so they must be ruled out by `valid`, not by the item.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { validMaskOf } from "../../lib/demure/_batch_pairs.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("validMaskOf: a real position's present modalities only; padding (item 0) has none", () => {
  const split = leaveOneOut(tinyDataset(), 3);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 3, seed: 1 });
  try {
    assertEquals(model.modalityNames, ["id", "text", "genre"]);
    // Row 0: two padding positions, then item 5 (no text). Row 1: padding, item 1 (all three),
    // then item 0 as a real position (id and text, no genre).
    const batch: SequenceBatch = {
      users: Int32Array.of(0, 1),
      items: Int32Array.of(0, 0, 5, 0, 1, 0),
      valid: Float32Array.of(0, 0, 1, 0, 1, 1),
      batchSize: 2,
      length: 3,
    };
    assertEquals(Array.from(validMaskOf(model, batch)), [
      ...[0, 0, 0, 0, 0, 0, 1, 0, 1], // row 0: padding, padding, item 5 (id, genre)
      ...[0, 0, 0, 1, 1, 1, 1, 1, 0], // row 1: padding, item 1 (all), item 0 (id, text)
    ]);
  } finally {
    model.dispose();
  }
});

Deno.test("validMaskOf: a row of padding only has no pairs, up to the batch's last position", () => {
  // Item 0 at every position of row 1, none real: its last position (the batch's last) is padding
  // as much as any other, although a left-padded row's last position is usually a real one.
  const split = leaveOneOut(tinyDataset(), 2);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 2, seed: 1 });
  try {
    const batch: SequenceBatch = {
      users: Int32Array.of(0, 1),
      items: Int32Array.of(0, 1, 0, 0),
      valid: Float32Array.of(0, 1, 0, 0),
      batchSize: 2,
      length: 2,
    };
    assertEquals(Array.from(validMaskOf(model, batch)), [
      ...[0, 0, 0, 1, 1, 1], // row 0: padding, item 1 (all three)
      ...[0, 0, 0, 0, 0, 0], // row 1: padding only
    ]);
  } finally {
    model.dispose();
  }
});

Deno.test("validMaskOf refuses a NaN padding flag, naming itself and the pair", () => {
  // A NaN in batch.valid made the pair's weight NaN, read as padding: the row's pairs silently
  // dropped out of the noise selection.
  const split = leaveOneOut(tinyDataset(), 3);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 3, seed: 1 });
  try {
    const batch: SequenceBatch = {
      users: Int32Array.of(0),
      items: Int32Array.of(0, 1, 5),
      valid: Float32Array.of(0, NaN, 1),
      batchSize: 1,
      length: 3,
    };
    assertThrows(
      () => validMaskOf(model, batch),
      Error,
      "validMaskOf: mask value at flat index 3 is NaN",
    );
  } finally {
    model.dispose();
  }
});
