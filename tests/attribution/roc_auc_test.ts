import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { rocAuc } from "../../lib/attribution/roc_auc.ts";

Deno.test("AUC of a perfect and of a reversed ranking", () => {
  assertEquals(rocAuc([3, 2, 1, 0], [1, 1, 0, 0]), 1);
  assertEquals(rocAuc([0, 1, 2, 3], [1, 1, 0, 0]), 0);
});

Deno.test("AUC counts a positive tied with a negative as one half (hand count)", () => {
  // pairs (pos, neg): (0.9, 0.5) 1, (0.9, 0.1) 1, (0.5, 0.5) 0.5, (0.5, 0.1) 1 -> 3.5 / 4
  assertEquals(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]), 0.875);
  // All scores equal: every pair is a tie.
  assertEquals(rocAuc([1, 1, 1, 1, 1], [1, 0, 1, 0, 0]), 0.5);
  // 2 positives {2, 1}, 3 negatives {1, 1, 0}: (2 beats all) 3 + (1 ties two, beats one) 2 -> 5 / 6
  assertAlmostEquals(rocAuc([2, 1, 1, 1, 0], [1, 1, 0, 0, 0]), 5 / 6, 1e-12);
});

Deno.test("AUC refuses labels of one class, saying so, and rejects bad labels", () => {
  // It returned NaN here, with no reason, which a table printed as a missing number.
  assertThrows(() => rocAuc([1, 2], [1, 1]), Error, "2 labels, 2 positive and 0 negative");
  assertThrows(() => rocAuc([1, 2, 3], [0, 0, 0]), Error, "0 positive and 3 negative");
  assertThrows(() => rocAuc([], []), Error, "the AUC needs at least one of each");
  assertThrows(() => rocAuc([1, 2], [1, 2]), Error, "index 1");
  assertThrows(() => rocAuc([1], [1, 0]), Error, "1 scores but 2 labels");
  assertThrows(() => rocAuc([1, 2, 3], [1, 0]), Error, "3 scores but 2 labels");
  assertThrows(() => rocAuc([1, NaN], [1, 0]), Error, "score at index 1 is NaN");
});

Deno.test("AUC ranks infinite scores like any other", () => {
  assertEquals(rocAuc([Infinity, -Infinity, 2], [1, 0, 0]), 1);
  // Positives {inf, 1}, negatives {-inf, inf}: 1 + 0.5 + 1 + 0 = 2.5 of 4 pairs.
  assertEquals(rocAuc([Infinity, -Infinity, Infinity, 1], [1, 0, 0, 1]), 0.625);
});

Deno.test("AUC refuses a negative label, which is neither class", () => {
  // Read as a negative it would count as one silently.
  assertThrows(
    () => rocAuc([1, 2, 3], [1, -1, 0]),
    Error,
    "label at index 1 is -1, expected 0 or 1",
  );
});

Deno.test("AUC: only equal scores tie; a NaN is refused at any index; the one-class error counts all labels", () => {
  // A tie within a tolerance would count these pairs one half; they are ordered (mutation round JH).
  assertEquals(rocAuc([1, 1 + 1e-12], [1, 0]), 0);
  assertEquals(rocAuc([1e-15, 0], [1, 0]), 1);
  // The first score is checked like the others: a NaN there broke the sort silently.
  assertThrows(() => rocAuc([NaN, 1, 2], [1, 0, 1]), Error, "rocAuc: score at index 0 is NaN");
  assertThrows(
    () => rocAuc([1, 2, 3], [0, 0, 0]),
    Error,
    "rocAuc: 3 labels, 0 positive and 3 negative; the AUC needs at least one of each",
  );
});

Deno.test("AUC: 0 and -0 are one score, a tie", () => {
  // -g . e is -0 where the product is 0: the two zeros must count one half, not be ordered.
  assertEquals(rocAuc([0, -0], [1, 0]), 0.5);
  assertEquals(rocAuc([-0, 0, 1], [1, 0, 0]), 0.25);
});
