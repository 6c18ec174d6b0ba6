/**
 * statisticsTable per column and in order: each column's history lengths are its own dataset's,
 * the rows come in their reading order, every length count has its thousands separator and a
 * whole-number mean keeps its decimal. Found by mutation round NG (NG17-NG21).
 */
import { assertEquals } from "@std/assert";
import type { DatasetStatistics } from "../../lib/data/protocol/statistics.ts";
import { modalityCoverageTable, statisticsTable } from "../../lib/notebook/statistics_tables.ts";

const stats = (
  users: number,
  items: number,
  historyLength: DatasetStatistics["historyLength"],
): DatasetStatistics => ({
  name: "demo",
  users,
  items,
  interactions: users * 2,
  density: 0.5,
  historyLength,
  modalities: [],
  fingerprint: "f",
});

Deno.test("statisticsTable: rows in order, each column's own lengths, separators, mean 2.0", () => {
  const raw = stats(5, 7, {
    min: 1_001,
    p25: 1_200,
    median: 1_500,
    p75: 2_500,
    p90: 3_000,
    max: 9_000,
    mean: 2,
  });
  const core = stats(3, 4, { min: 5, p25: 6, median: 7, p75: 8, p90: 9, max: 10, mean: 7.25 });
  const table = statisticsTable([{ label: "raw", stats: raw }, { label: "core", stats: core }]);
  assertEquals(table.rows, [
    ["users", "5", "3"],
    ["items", "7", "4"],
    ["interactions", "10", "6"],
    ["density (interactions / users × items)", "50.00 %", "50.00 %"],
    ["history length per user: median", "1,500", "7"],
    ["history length: middle half (25th – 75th percentile)", "1,200 – 2,500", "6 – 8"],
    ["history length: shortest – longest", "1,001 – 9,000", "5 – 10"],
    ["history length: mean", "2.0", "7.3"],
  ]);
});

const withModalities = (
  items: number,
  modalities: DatasetStatistics["modalities"],
): DatasetStatistics => ({
  ...stats(1, items, { min: 1, p25: 1, median: 1, p75: 1, p90: 1, max: 1, mean: 1 }),
  modalities,
});

Deno.test("modalityCoverageTable: rows in the first dataset's order, then those only later ones have", () => {
  const id = { name: "id", kind: "id", dim: 0, presentItems: 4, coverage: 1 } as const;
  const text = { name: "text", kind: "dense", dim: 8, presentItems: 2, coverage: 0.5 } as const;
  const genre = {
    name: "genre",
    kind: "multi_hot",
    dim: 3,
    presentItems: 1,
    coverage: 0.25,
  } as const;
  const table = modalityCoverageTable([
    { label: "a", stats: withModalities(4, [id, text]) },
    { label: "b", stats: withModalities(4, [genre, text, id]) },
  ]);
  assertEquals(table.rows.map(([name]) => name), ["id", "text", "genre"]);
});

Deno.test("modalityCoverageTable: a dataset of no items reads 0 of 0 (0.0 %), not NaN", () => {
  const id = { name: "id", kind: "id", dim: 0, presentItems: 0, coverage: 0 } as const;
  const table = modalityCoverageTable([{ label: "empty", stats: withModalities(0, [id]) }]);
  assertEquals(table.rows, [["id", "item id", "learned", "0 of 0 (0.0 %)"]]);
});

Deno.test("modalityCoverageTable: a caption given is kept", () => {
  const id = { name: "id", kind: "id", dim: 0, presentItems: 1, coverage: 1 } as const;
  const table = modalityCoverageTable(
    [{ label: "raw", stats: withModalities(1, [id]) }],
    "Coverage",
  );
  assertEquals(table.caption, "Coverage");
});
