/**
 * The user histories an import builds from its rows, on their own: each history in time order
 * (file order breaking ties) whichever pair of rows is out of order, and a repeated row is one that
 * repeats an item at the same time, never an item consumed again later.
 */
import { assertEquals } from "@std/assert";
import {
  duplicateRows,
  perUser,
  rowsByUser,
  sortByTime,
} from "../../lib/data/import/_user_histories.ts";

/** Each user's row indices in history order, after grouping and sorting by `times`. */
function histories(users: number[], times: number[], numUsers: number): number[][] {
  const rows = rowsByUser(Int32Array.from(users), numUsers);
  sortByTime(rows, Float64Array.from(times));
  const rowIndex = Int32Array.from(users, (_, row) => row);
  return perUser(rows, rowIndex, (n) => new Int32Array(n)).map((h) => Array.from(h));
}

Deno.test("user histories: a later row earlier than one before it is sorted, even after the smallest", () => {
  // The first row is the earliest, so each row is later than the first; the third is earlier
  // than the second all the same. Equal times (rows 2 and 3) keep file order.
  assertEquals(histories([0, 0, 0, 0], [10, 30, 20, 20], 1), [[0, 2, 3, 1]]);
  // Out of order only in its last pair, and a second user in order.
  assertEquals(histories([1, 0, 1, 0, 0], [5, 1, 6, 2, 1.5], 2), [[1, 4, 3], [0, 2]]);
});

Deno.test("user histories: an item consumed again at a later time is no repeated row", () => {
  // User 0 takes item 1 with item 2 at time 10, then item 1 again with item 3 at time 20: two
  // times, no row repeats an earlier (user, item, time).
  const users = Int32Array.from([0, 0, 0, 0]);
  const items = Int32Array.from([1, 2, 1, 3]);
  const times = Float64Array.from([10, 10, 20, 20]);
  const lines = Float64Array.from([2, 3, 4, 5]);
  const rows = rowsByUser(users, 1);
  sortByTime(rows, times);
  assertEquals(duplicateRows(rows, items, times, lines), undefined);
  // The same item twice at time 20 is a repeat: named at its line, with the line it repeats.
  const again = Int32Array.from([1, 2, 1, 3, 1]);
  const withRepeat = rowsByUser(Int32Array.from([0, 0, 0, 0, 0]), 1);
  const repeatTimes = Float64Array.from([10, 10, 20, 20, 20]);
  sortByTime(withRepeat, repeatTimes);
  assertEquals(
    duplicateRows(withRepeat, again, repeatTimes, Float64Array.from([2, 3, 4, 5, 6])),
    { count: 1, line: 6, earlier: 4 },
  );
});

Deno.test("user histories: an item taken at two fractional times of one second is no repeated row", () => {
  // Found by mutation round OD (OD17): times are compared whole, not by their second (RecBole's
  // float timestamps); the later row is still sorted after the earlier one.
  const users = Int32Array.from([0, 0, 0]);
  const items = Int32Array.from([1, 1, 2]);
  const times = Float64Array.from([10.75, 10.25, 11]);
  const rows = rowsByUser(users, 1);
  sortByTime(rows, times);
  assertEquals(Array.from(perUser(rows, items, (n) => new Int32Array(n))[0]), [1, 1, 2]);
  assertEquals(Array.from(rows.order), [1, 0, 2]);
  assertEquals(duplicateRows(rows, items, times, Float64Array.from([2, 3, 4])), undefined);
  // The same fraction twice is a repeat.
  const same = Float64Array.from([10.25, 10.25, 11]);
  const again = rowsByUser(users, 1);
  sortByTime(again, same);
  assertEquals(duplicateRows(again, items, same, Float64Array.from([2, 3, 4])), {
    count: 1,
    line: 3,
    earlier: 2,
  });
});
