/**
 * Gaps a hand-run mutation pass (session 53, mu53c) found in CL4SRec's batch helpers:
 * `batchHistories` reads each row's whole window, its last (newest) position included (L19: a
 * valid mask cut one short dropped every user's newest item from both views), and `packViews`
 * numbers its rows 0..n-1 as users (L29: every row was user 0).
 */
import { assertEquals } from "@std/assert";
import { batchHistories, packViews } from "../../lib/baselines/cl4srec.ts";

Deno.test("batchHistories keeps each row's newest item, at the last position of the window", () => {
  const batch = {
    users: Int32Array.of(7, 9),
    items: Int32Array.of(0, 3, 4, 5, 0, 0, 6, 8),
    valid: Float32Array.of(0, 1, 1, 1, 0, 0, 1, 1),
    batchSize: 2,
    length: 4,
  };
  assertEquals(batchHistories(batch), [Int32Array.of(3, 4, 5), Int32Array.of(6, 8)]);
});

Deno.test("packViews numbers its rows as users 0..n-1", () => {
  const view = (item: number) => ({ items: Int32Array.of(item), masked: Uint8Array.of(0) });
  const { batch } = packViews([view(1), view(2), view(3)], 2, 1);
  assertEquals(batch.users, Int32Array.of(0, 1, 2));
});
