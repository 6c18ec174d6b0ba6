/**
 * Rendered-page audit (VZ48): notebook 07's tables of paired differences printed a positive
 * difference without its sign ("0.0075" above "-0.0282", "0.0100" under "-0.0198"), while the
 * report (`markdown_report.ts`, `signedDifference`) prints "+0.0075". A table's `signed` names
 * the columns of differences; their numbers print with their sign, on the page and in plain text.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { formatTableCells, tableHtml, type TableSection } from "../../lib/viz/mod.ts";
import { displayTable } from "../../lib/notebook/mod.ts";
import { printedLines } from "../notebook/_printed_lines.ts";

const differences: TableSection = {
  kind: "table",
  columns: ["parameter", "value", "test vs selected (paired)", "paired t-test p"],
  rows: [
    ["lambda", "0.005", 0.0075, "0.203"],
    ["lambda", "0.02", 0, "-"],
    ["lambda", "0.1", -0.0282, "0.126"],
    ["lambda", "0.5", Number.NaN, "-"],
  ],
  signed: ["test vs selected (paired)"],
};

Deno.test("tableHtml: a signed column prints +, - and +0.0000, a missing value as –", () => {
  const html = tableHtml(differences, "audit");
  for (const text of ["+0.0075", "+0.0000", "-0.0282", "–"]) {
    assertEquals(html.includes(`<td>${text}</td>`), true, text);
  }
  // Only the named column: the other cells are as given.
  assertEquals(html.includes("<td>0.005</td>"), true);
  assertEquals(html.includes("<td>+0.005</td>"), false);
});

Deno.test("tableHtml: without signed, a positive difference prints as before, unsigned", () => {
  const html = tableHtml({ ...differences, signed: undefined }, "audit");
  assertEquals(html.includes("<td>0.0075</td>"), true);
});

Deno.test("formatTableCells: signed columns of integers and of tiny negatives", () => {
  assertEquals(formatTableCells([["a", 3, -1e-17], ["b", -2, 0.5]], 2, [1, 2]), [
    ["a", "+3", "+0.00"],
    ["b", "-2", "+0.50"],
  ]);
});

Deno.test("tableHtml: signed naming no column, or not a list of names, is refused", () => {
  assertThrows(
    () => tableHtml({ ...differences, signed: ["test vs selected"] }, "audit"),
    Error,
    'audit table signed names "test vs selected", not a column (parameter, value, ',
  );
  assertThrows(
    () => tableHtml({ ...differences, signed: "value" as unknown as string[] }, "audit"),
    Error,
    'audit table signed is "value", expected a list of column headings',
  );
});

Deno.test("displayTable: the plain-text table outside a kernel carries the signs too", async () => {
  const { kind: _kind, ...table } = differences;
  const lines = await printedLines(() => displayTable(table));
  assertEquals(lines.some((line) => line.includes("\t+0.0075\t")), true, lines.join("\n"));
  assertEquals(lines.some((line) => line.includes("\t-0.0282\t")), true);
});

Deno.test("notebook 07 signs the differences of its four tables of paired tests", async () => {
  const notebook = JSON.parse(
    await Deno.readTextFile(new URL("../../notebooks/07_why_demure_loses.ipynb", import.meta.url)),
  );
  const code: string = notebook.cells
    .filter((cell: { cell_type: string }) => cell.cell_type === "code")
    .map((cell: { source: string[] }) => cell.source.join(""))
    .join("\n");
  assertEquals(code.match(/signed: \["mean difference"\]/g)?.length, 2);
  assertEquals(code.includes('signed: ["test vs selected (paired)"]'), true);
  assertEquals(code.includes('signed: ["test flipped vs selected (paired)"]'), true);
});
