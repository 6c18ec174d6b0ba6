/**
 * The training row order each seed draws, pinned literally: the records of results-of-record/
 * were trained in these orders, so a change to how the order's seed is made from (seed, epoch)
 * must fail here even when every order is still a permutation and differs between seeds.
 * Found by mutation round OC (OC32, OC55).
 */
import { assertEquals } from "@std/assert";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

// 20 users, each with one training window: the batch order is the permutation of the users.
const split = leaveOneOut(cycleDataset(20, 30, 6));

function order(seed: number, epoch: number): number[] {
  return trainingBatches(split, epoch, { batchSize: 8, seed, shuffle: true })
    .flatMap((batch) => Array.from(batch.users));
}

Deno.test("training order: seeds other than 0 draw the orders the records were trained in", () => {
  assertEquals(order(0, 0), [3, 9, 10, 14, 16, 13, 8, 19, 18, 11, 17, 5, 6, 0, 4, 1, 15, 12, 2, 7]);
  assertEquals(order(1, 0), [7, 14, 2, 5, 16, 18, 15, 19, 13, 6, 12, 4, 8, 1, 9, 11, 17, 10, 3, 0]);
  assertEquals(order(1, 2), [13, 17, 9, 14, 2, 4, 10, 18, 12, 8, 16, 0, 19, 5, 15, 1, 3, 11, 6, 7]);
  assertEquals(
    order(12345, 1),
    [3, 17, 6, 15, 10, 0, 1, 7, 13, 12, 8, 5, 19, 16, 18, 2, 11, 9, 4, 14],
  );
});

Deno.test("training order: rows are listed user by user (all windows of a user) before the shuffle", () => {
  // 3 users of 6 pairs, maxLength 3: two windows each. The shuffle permutes the rows as listed
  // user-major; listing them window-major would draw other orders from the same seed. The last
  // batch holds the 2 rows left over (6 rows, batches of 4), not padded nor dropped.
  const windowed = leaveOneOut(cycleDataset(3, 30, 9), 3);
  const rows = (seed: number, shuffle: boolean) => {
    const batches = trainingBatches(windowed, 1, { batchSize: 4, seed, shuffle });
    return {
      sizes: batches.map((batch) => batch.batchSize),
      rows: batches.flatMap((batch) =>
        Array.from(batch.users, (user, i) => `${user}:${batch.windows?.[i]}`)
      ),
    };
  };
  assertEquals(rows(0, false), {
    sizes: [4, 2],
    rows: ["0:0", "0:1", "1:0", "1:1", "2:0", "2:1"],
  });
  assertEquals(rows(3, true), {
    sizes: [4, 2],
    rows: ["1:1", "0:1", "0:0", "1:0", "2:0", "2:1"],
  });
});
