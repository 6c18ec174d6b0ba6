/**
 * leaveOneOutSplit refuses a dataset whose user count and sequences disagree (found by a
 * mutation-testing pass: sizing the targets by the sequences instead of numUsers survived, and
 * showed that a hand-built dataset with fewer users than sequences split without a word, its extra
 * users' targets read back as item 0).
 */
import { assertThrows } from "@std/assert";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { cycleDataset } from "../models/_fixtures.ts";

Deno.test("leaveOneOutSplit: numUsers other than the number of sequences is an error naming both", () => {
  const dataset = cycleDataset(3, 8, 5);
  for (const numUsers of [2, 4]) {
    assertThrows(
      () => leaveOneOutSplit({ ...dataset, numUsers }, { maxLength: 4 }),
      Error,
      `dataset cycle-3x8 says ${numUsers} users but holds 3 sequences`,
    );
  }
  // The consistent dataset splits as before.
  leaveOneOutSplit(dataset, { maxLength: 4 });
});
