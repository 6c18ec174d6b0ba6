/**
 * historyKeys's refusal names the bound (1024 windows per user), not the window it met: a window
 * far past the bound still reads "more than 1024 windows". A training batch keys every row as
 * user * 1024 + window, also when all its rows hold a window 0.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { historyKeys } from "../../lib/demure/_batch_pairs.ts";

Deno.test("historyKeys: a window far past the bound is refused naming the bound of 1024, and the user", () => {
  const batch = {
    users: Int32Array.of(5, 7),
    items: new Int32Array(2),
    valid: Float32Array.of(1, 1),
    batchSize: 2,
    length: 1,
    windows: Int32Array.of(0, 1500),
  };
  assertThrows(() => historyKeys(batch), Error, "Demure: user 7 has more than 1024 windows");
});

Deno.test("historyKeys: training rows all at window 0 still key as user * 1024 (the keys of later windows' batches)", () => {
  // A batch whose rows all hold a first window keys them like any other training batch: a key of
  // the bare user here would not be the key the same window has in a batch with a window 1 row.
  const batch = {
    users: Int32Array.of(3, 4),
    items: new Int32Array(2),
    valid: Float32Array.of(1, 1),
    batchSize: 2,
    length: 1,
    windows: Int32Array.of(0, 0),
  };
  assertEquals(Array.from(historyKeys(batch)), [3 * 1024, 4 * 1024]);
});
