/**
 * A `best` column with one value has nothing to compare: a one-row table (quick mode's one system,
 * a noise-level table of one scored level) marks no cell and prints no "best" line, on the page
 * (bold) and in plain text ("*"). Until 2026-12-07 it marked its only row and said "best" under it.
 * Columns that do compare keep their marks and the line names only them.
 */
import { assert, assertEquals } from "@std/assert";
import { formatTable, tableHtml } from "../../lib/viz/table_html.ts";
import type { TableSection } from "../../lib/viz/mod.ts";

const oneRow: TableSection = {
  kind: "table",
  columns: ["system", "NDCG@10", "seconds"],
  rows: [["SASRec-MM", 0.0412, 3.5]],
  best: { "NDCG@10": "higher", seconds: "lower" },
};

Deno.test("best: a one-row table marks nothing and says nothing about a best", () => {
  const formatted = formatTable(oneRow, "demo");
  assertEquals(formatted.best, [[false, false, false]]);
  assertEquals(formatted.bestNote, undefined);
  const html = tableHtml(oneRow, "demo");
  assert(!html.includes("<strong>"), html);
  assert(!html.includes("best"), html);
});

Deno.test("best: a column with one number among missing ones is not compared; the others are", () => {
  const table: TableSection = {
    kind: "table",
    columns: ["system", "NDCG@10", "p"],
    rows: [["A", 0.02, "-"], ["B", 0.03, 0.04], ["C", 0.01, "–"]],
    best: { "NDCG@10": "higher", p: "lower" },
  };
  const formatted = formatTable(table, "demo");
  assertEquals(formatted.best, [[false, false, false], [false, true, false], [
    false,
    false,
    false,
  ]]);
  assertEquals(formatted.bestNote?.("*"), "*: best NDCG@10 (higher is better)");
  assert(tableHtml(table, "demo").includes("Bold: best NDCG@10 (higher is better)<"));
});

Deno.test("best: two rows still compare, ties both marked", () => {
  const table: TableSection = { ...oneRow, rows: [["A", 0.03, 2], ["B", 0.03, 1]] };
  const formatted = formatTable(table, "demo");
  assertEquals(formatted.best, [[false, true, false], [false, true, true]]);
  assertEquals(
    formatted.bestNote?.("Bold"),
    "Bold: best NDCG@10 (higher is better); best seconds (lower is better)",
  );
});
