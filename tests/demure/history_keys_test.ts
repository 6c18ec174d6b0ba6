/**
 * The noise-mask cache's key of a training row: user * 1024 + window, so two rows share a key only
 * when they hold the same window of the same user. Window 1024 would be the next user's window 0,
 * so it is refused, the last window that fits (1023) is not.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { historyKeys } from "../../lib/demure/_batch_pairs.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";

function rows(users: number[], windows?: number[]): SequenceBatch {
  return {
    users: Int32Array.from(users),
    items: new Int32Array(users.length),
    valid: new Float32Array(users.length).fill(1),
    batchSize: users.length,
    length: 1,
    ...(windows ? { windows: Int32Array.from(windows) } : {}),
  };
}

Deno.test("historyKeys: user * 1024 + window, distinct across users; window 1024 is refused", () => {
  assertEquals(Array.from(historyKeys(rows([3, 4], [1023, 0]))), [3 * 1024 + 1023, 4 * 1024]);
  assertEquals(Array.from(historyKeys(rows([3, 4]))), [3, 4]); // evaluation rows: no windows
  assertThrows(
    () => historyKeys(rows([3], [1024])),
    Error,
    "user 3 has more than 1024 windows",
  );
});
