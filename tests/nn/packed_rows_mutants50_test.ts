/**
 * packRows cases that mutation round mu50c (session 50) found untested: only an entry of exactly 1
 * is a real position, in the count as in the layout. Counting every non-zero entry (0.5, 2) while
 * the layout skips them left zero-filled rows that pointed at row 0 of the batch.
 */
import { assertEquals } from "@std/assert";
import { packRows } from "../../lib/nn/packed_rows.ts";

Deno.test("packRows: an entry other than 0 or 1 is padding in the count, the window and the rows alike", () => {
  const p = packRows(Float32Array.of(0, 0.5, 1, 2, 0, 1), 2, 3);
  assertEquals(Array.from(p.rows), [2, 5]);
  assertEquals(Array.from(p.columns), [2, 2]);
  assertEquals(p.window, 1);
  assertEquals(Array.from(p.windowRows), [0, 1]);
  assertEquals(Array.from(p.windowSlots), [1, 2]);
  assertEquals(Array.from(p.slots), [0, 0, 1, 0, 0, 2]);
});
