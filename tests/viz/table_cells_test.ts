import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { formatTableCells, MISSING_CELL, tableHtml } from "../../lib/viz/mod.ts";
import { reportNumber, signedDifference } from "../../lib/viz/table_html.ts";

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

Deno.test("table cells: null and undefined are missing, never -∞; booleans read yes/no", () => {
  // A NaN is written as null in a result file (JSON has no NaN); read back and put in a table it
  // printed "-∞" (typeof null is "object" and null > 0 is false), as did undefined.
  const fromJson = JSON.parse(JSON.stringify({ rate: Number.NaN, pairs: 12 }));
  assertEquals(
    formatTableCells([["text", fromJson.rate, fromJson.pairs], ["id", 0.25, undefined]], 4),
    [["text", MISSING_CELL, "12"], ["id", "0.2500", MISSING_CELL]],
  );
  assertEquals(formatTableCells([[true, false]], 4), [["yes", "no"]]);
  const html = tableHtml(
    { kind: "table", columns: ["modality", "rate"], rows: [["text", null], ["id", 0.1]] },
    "test",
  );
  assertStringIncludes(html, `<td>text</td><td>${MISSING_CELL}</td>`);
  assertEquals(html.includes("∞"), false);
});

Deno.test("table cells: a value that is no cell (an object) is an error naming its place", () => {
  const row = ["lambda", { mean: 0.1, std: 0.01 }] as unknown as string[];
  assertThrows(
    () => formatTableCells([["ok", 1], row], 4),
    Error,
    "row 1, column 1 holds a object",
  );
});

Deno.test("table cells: strings are escaped once in HTML", () => {
  const html = tableHtml({ kind: "table", columns: ["bucket"], rows: [[">= 21"]] }, "test");
  assertStringIncludes(html, "<td>&gt;= 21</td>");
});

Deno.test("table cells: the caption and the headers are escaped too", () => {
  // A caption such as "HR@10 < 0.1 & NDCG" is text, never markup.
  const html = tableHtml(
    { kind: "table", caption: "a <b> & c", columns: ["x < y"], rows: [[1]] },
    "test",
  );
  assertStringIncludes(html, "<caption>a &lt;b&gt; &amp; c</caption>");
  assertStringIncludes(html, "<th>x &lt; y</th>");
});

Deno.test("signed difference: a sign always, zero included", () => {
  // A paired difference of exactly 0 reads "+0.0000" in the reports' columns of signed numbers.
  assertEquals(signedDifference(0.0082), "+0.0082");
  assertEquals(signedDifference(0), "+0.0000");
  assertEquals(signedDifference(-0.0057), "-0.0057");
});

Deno.test("report numbers: a value that rounds to zero prints no minus; a signed one '+0.0000'", () => {
  // A gain of two equal NDCGs summed in another order is -1e-17: toFixed printed "-0.0000".
  assertEquals(reportNumber(-1e-17), "0.0000");
  assertEquals(reportNumber(-0.00004), "0.0000");
  assertEquals(reportNumber(-0.0057), "-0.0057");
  assertEquals(reportNumber(0.12345), "0.1235");
  assertEquals(reportNumber(-1e-17, 2), "0.00");
  assertEquals(reportNumber(-1e-17, 0), "0");
  assertEquals(signedDifference(-1e-17), "+0.0000");
  assertEquals(formatTableCells([["gain", 0.5], ["gain", -1e-17]], 4), [
    ["gain", "0.5000"],
    ["gain", "0.0000"],
  ]);
});

Deno.test("table cells: an infinite value does not make its column fractional", () => {
  // Only finite fractions switch a column to fixed digits; ∞ is printed as such.
  assertEquals(formatTableCells([[1, Infinity], [2, 3], [-Infinity, 4]], 4), [
    ["1", "∞"],
    ["2", "3"],
    ["-∞", "4"],
  ]);
  assertEquals(formatTableCells([[Infinity], [0.5]], 2), [["∞"], ["0.50"]]);
});

Deno.test("table html: a row with more cells than columns is refused, naming the row", () => {
  // An extra cell drew a column without a header, shifting nothing but meaning nothing.
  assertThrows(
    () => tableHtml({ kind: "table", columns: ["a", "b"], rows: [["x", 1], ["y", 2, 3]] }, "t"),
    Error,
    "t table row 1 has 3 cells, expected 2 (a, b)",
  );
});

Deno.test("table html: the section's digits are the decimals printed", () => {
  const html = tableHtml(
    { kind: "table", columns: ["model", "NDCG@10"], rows: [["Pop", 0.01234]], digits: 2 },
    "t",
  );
  assertStringIncludes(html, "<td>Pop</td><td>0.01</td>");
});

Deno.test("report numbers: missing and infinite values print as a table cell prints them", () => {
  // toFixed gave "NaN" and "Infinity", and a difference with a missing side read "+NaN".
  assertEquals(reportNumber(Number.NaN), "–");
  assertEquals(reportNumber(Infinity), "∞");
  assertEquals(reportNumber(-Infinity, 2), "-∞");
  assertEquals(signedDifference(Number.NaN), "–");
  assertEquals(signedDifference(Infinity), "+∞");
  assertEquals(signedDifference(-Infinity), "-∞");
});

Deno.test("table cells: a cell that is no cell is named by its row, then its column", () => {
  const rows = [["lambda", 0.1, 0.2], ["mu", 0.3, { mean: 0.4 }]] as unknown as string[][];
  assertThrows(() => formatTableCells(rows, 4), Error, "row 1, column 2 holds a object");
});

Deno.test("table html: digits 0 prints whole numbers, not the default 4 decimals", () => {
  const html = tableHtml(
    {
      kind: "table",
      columns: ["model", "users"],
      rows: [["Pop", 12.6], ["SASRec", 3.2]],
      digits: 0,
    },
    "t",
  );
  assertStringIncludes(html, "<td>Pop</td><td>13</td>");
  assertStringIncludes(html, "<td>SASRec</td><td>3</td>");
});
