import { assertEquals, assertStringIncludes } from "@std/assert";
import { formatTableCells, MISSING_CELL, tableHtml } from "../../lib/viz/mod.ts";

Deno.test("table cells: a column with fractions prints every number with the same decimals", () => {
  // Notebook 01's coverage column read "1" next to "0.9840"; 03's noise share is 0/1 only.
  assertEquals(
    formatTableCells([["id", 1, 3496, 0], ["text", 0.99228, 3469, 1]], 4),
    [["id", "1.0000", "3496", "0"], ["text", "0.9923", "3469", "1"]],
  );
  assertEquals(formatTableCells([[0.5], ["-"], [2]], 2), [["0.50"], ["-"], ["2.00"]]);
});

Deno.test("table cells: a missing number (NaN) prints as a dash, never as NaN", () => {
  // Notebook 06's occlusion table printed NaN for noise levels that no seed scored.
  assertEquals(formatTableCells([[0.25, Number.NaN, 0], [0.5, 0.7279, 4]], 4), [
    ["0.2500", MISSING_CELL, "0"],
    ["0.5000", "0.7279", "4"],
  ]);
  assertEquals(formatTableCells([[Infinity, -Infinity]], 4), [["∞", "-∞"]]);
  const html = tableHtml(
    { kind: "table", columns: ["fraction", "ROC-AUC"], rows: [[0.25, Number.NaN], [0.5, 0.7]] },
    "test",
  );
  assertStringIncludes(html, `<td>0.2500</td><td>${MISSING_CELL}</td>`);
  assertEquals(html.includes("NaN"), false);
});

Deno.test("table cells: strings are escaped once in HTML", () => {
  const html = tableHtml({ kind: "table", columns: ["bucket"], rows: [[">= 21"]] }, "test");
  assertStringIncludes(html, "<td>&gt;= 21</td>");
});
