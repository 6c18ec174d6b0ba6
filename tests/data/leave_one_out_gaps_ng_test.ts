/**
 * leaveOneOutSplit's refusal of a short history: an empty or one-item history is refused as a
 * two-item one is, the error names the short user itself (not the first user) and says what to
 * do. Found by mutation round NG (NG10, NG11, NG12, NG13).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

Deno.test("leaveOneOutSplit: empty and one-item histories are refused, with their counts", () => {
  for (const short of [[], [4]]) {
    const error = assertThrows(() => leaveOneOutSplit(tinyDataset([[3, 1, 4], short], 7)), Error);
    assertEquals(
      error.message,
      `leaveOneOutSplit: user u1 (index 1) has ${short.length} interactions; leave-one-out ` +
        "needs at least 3 (apply k-core filtering first)",
    );
  }
});

Deno.test("leaveOneOutSplit: the error names the short user, a later one included", () => {
  const error = assertThrows(
    () => leaveOneOutSplit(tinyDataset([[3, 1, 4], [2, 6, 5], [1, 5]], 7)),
    Error,
  );
  assertEquals(error.message.startsWith("leaveOneOutSplit: user u2 (index 2) has 2 "), true);
});
