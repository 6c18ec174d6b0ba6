/**
 * padLeft's aligned targets when a caller passes histories longer than the padded length: the
 * targets are cut like the items (the most recent ones), so that target t stays the next item of
 * input t. trainingBatches never passes a row longer than the length, so its tests cannot see it.
 */
import { assertEquals } from "@std/assert";
import { padLeft } from "../../lib/data/protocol/batcher.ts";

Deno.test("padLeft cuts over-long targets to their most recent entries, aligned with the items", () => {
  // Row 0: history 1 2 3 4 with next items 2 3 4 5, cut to 2: inputs 3 4, targets 4 5.
  // Row 1: history 9 with next item 8: left-padded, target under its input.
  const batch = padLeft(
    [7, 8],
    [Int32Array.of(1, 2, 3, 4), Int32Array.of(9)],
    2,
    [Int32Array.of(2, 3, 4, 5), Int32Array.of(8)],
  );
  assertEquals(Array.from(batch.items), [3, 4, 0, 9]);
  assertEquals(Array.from(batch.targets!), [4, 5, 0, 8]);
  assertEquals(Array.from(batch.valid), [1, 1, 0, 1]);
  assertEquals(Array.from(batch.users), [7, 8]);
});
