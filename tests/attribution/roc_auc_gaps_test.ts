/**
 * rocAuc's labels are exactly 0 or 1: a fractional label between the two (a soft label, or a mask
 * averaged by mistake) is refused by index like any other, not read as a negative.
 */
import { assertThrows } from "@std/assert";
import { rocAuc } from "../../lib/attribution/roc_auc.ts";

Deno.test("AUC refuses a fractional label between 0 and 1, naming its index and value", () => {
  assertThrows(
    () => rocAuc([3, 2, 1], [1, 0.5, 0]),
    Error,
    "rocAuc: label at index 1 is 0.5, expected 0 or 1",
  );
});
