/**
 * Gaps a hand-run mutation pass (session 52) found in CL4SRec's augmentations and packing: the
 * mask view is a copy (the module promises pure augmentations; returning the input itself let a
 * write to one view change the history and the other view), and `packViews` given a view longer
 * than the batch keeps the view's LAST `length` items with their masks, as the left-padded batch
 * does for a history; taking the first ones, or not cutting at all, packed the wrong items.
 */
import { assert, assertEquals } from "@std/assert";
import { maskView, packViews } from "../../lib/baselines/cl4srec.ts";
import { createRng } from "../../lib/util/random.ts";

Deno.test("CL4SRec mask view is a copy: writing to it leaves the history alone", () => {
  const items = Int32Array.of(4, 5, 6, 7);
  const view = maskView(items, 0.5, createRng(1));
  assert(view.items !== items, "a new array, not the history itself");
  assertEquals(view.items, items);
  view.items[0] = 99;
  assertEquals(items, Int32Array.of(4, 5, 6, 7));
});

Deno.test("packViews keeps the last `length` items of a longer view, with their masks", () => {
  const view = { items: Int32Array.of(1, 2, 3, 4, 5), masked: Uint8Array.of(1, 0, 0, 1, 0) };
  const short = { items: Int32Array.of(8), masked: Uint8Array.of(0) };
  const { batch, weights } = packViews([view, short], 3, 2);
  assertEquals(batch.items, Int32Array.of(3, 4, 5, 0, 0, 8));
  assertEquals(batch.valid, Float32Array.of(1, 1, 1, 0, 0, 1));
  // Item 4 (masked) is the long row's second position: both of its modalities weigh 0.
  assertEquals(weights, Float32Array.of(1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
  assertEquals([batch.batchSize, batch.length], [2, 3]);
});
