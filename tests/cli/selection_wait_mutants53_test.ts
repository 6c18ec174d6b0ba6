/**
 * The minutes a waiting cell's line says it waited are whole minutes passed, rounded down: the
 * checks drift from exact multiples of 20 s, and 9 min 59 s waited is not "10 min waited".
 * Found by mutation round mu53c (S2: rounding to the nearest minute said 10).
 */
import { assertEquals } from "@std/assert";
import { selectionWaitLine } from "../../scripts/cli/selection_wait.ts";

Deno.test("selectionWaitLine: the minutes waited are rounded down", () => {
  assertEquals(
    selectionWaitLine("k", ["x"], 30, 599, 3600),
    "k: waiting for the selection of x (9 min waited, at most 60 min; checked every 20 s)",
  );
  assertEquals(selectionWaitLine("k", ["x"], 60, 1199.5, 3600)?.includes("(19 min waited,"), true);
});
