/**
 * Gaps found by hand mutation testing (session 52) of the table formatting (table_html.ts and
 * _best_cells.ts): each test fails on a small change a reader of the table or of its error would
 * see, and passes on the real code.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { formatTable, type TableSection } from "../../lib/viz/mod.ts";

const base: TableSection = {
  kind: "table",
  columns: ["system", "NDCG@10", "seconds"],
  rows: [["a", 0.1, 1.5], ["b", 0.2, 2.5]],
};

Deno.test("formatTable: a list as columnDigits is refused as not an object of headings", () => {
  // Read as an object, [2] names a column "0": the error then spoke of a column no one wrote.
  const error = assertThrows(() =>
    formatTable({ ...base, columnDigits: [2] as unknown as Record<string, number> }, "audit")
  );
  assertStringIncludes(
    error.message,
    "audit table columnDigits is [2], expected an object of column headings to decimals",
  );
});

Deno.test("formatTable: a signed list holding a number is refused as not a list of headings", () => {
  // Column positions are not headings: [1] once meant "the second column" to a caller.
  const error = assertThrows(() =>
    formatTable({ ...base, signed: [1] as unknown as string[] }, "audit")
  );
  assertStringIncludes(
    error.message,
    "audit table signed is [1], expected a list of column headings",
  );
});

Deno.test("formatTable: best compares a whole number only, never the number a text starts with", () => {
  // "0.3 (cap)" or "3 seeds" is no number: read as 0.3 or 3 it would take a best mark it has
  // not earned; it is refused by column and row like any other text.
  for (const text of ["0.3 (cap)", "3 seeds", "0.25x"]) {
    const error = assertThrows(() =>
      formatTable({
        kind: "table",
        columns: ["system", "NDCG@10"],
        rows: [["a", "0.2"], ["b", text]],
        best: { "NDCG@10": "higher" },
      }, "audit")
    );
    assertStringIncludes(error.message, 'audit table best column "NDCG@10", row 1 is');
  }
});

Deno.test("formatTable: best reads a number in exponent notation, as String prints a large count", () => {
  const { best } = formatTable({
    kind: "table",
    columns: ["system", "loss"],
    rows: [["a", "2e-7"], ["b", "1e-7"], ["c", "1.5E-7"]],
    best: { loss: "lower" },
  }, "audit");
  assertEquals(best.map((row) => row[1]), [false, true, false]);
});

Deno.test("formatTable: a -∞ is the lowest value of a best column, not the highest", () => {
  const higher = formatTable({
    kind: "table",
    columns: ["system", "gain"],
    rows: [["a", -Infinity], ["b", 0.5]],
    best: { gain: "higher" },
  }, "audit");
  assertEquals(higher.cells.map((row) => row[1]), ["-∞", "0.5000"]);
  assertEquals(higher.best.map((row) => row[1]), [false, true]);
  const lower = formatTable({
    kind: "table",
    columns: ["system", "gain"],
    rows: [["a", -Infinity], ["b", 0.5]],
    best: { gain: "lower" },
  }, "audit");
  assertEquals(lower.best.map((row) => row[1]), [true, false]);
});

Deno.test("formatTable: the best note names its columns in the table's order, not the order best lists", () => {
  const { bestNote } = formatTable({
    kind: "table",
    columns: ["system", "NDCG@10", "HR@10", "seconds"],
    // Two rows: one row compares nothing and has no note (tests/viz/best_one_row53_test.ts).
    rows: [["a", 0.1, 0.2, 3], ["b", 0.05, 0.1, 4]],
    best: { seconds: "lower", "HR@10": "higher", "NDCG@10": "higher" },
  }, "audit");
  assertEquals(
    bestNote?.("Bold"),
    "Bold: best NDCG@10, HR@10 (higher is better); best seconds (lower is better)",
  );
});
