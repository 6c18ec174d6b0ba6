/**
 * Notebook 01's statistics tables read as words and formatted numbers: one column per dataset,
 * counts with separators, density in percent only, history lengths as ranges, the id modality's
 * width "learned" (never "dim 0"), coverage as "n of N (p %)", a missing modality "–".
 */
import { assertEquals } from "@std/assert";
import type { DatasetStatistics } from "../../lib/data/protocol/statistics.ts";
import { modalityCoverageTable, statisticsTable } from "../../lib/notebook/statistics_tables.ts";

const stats = (items: number, present: number, extra = true): DatasetStatistics => ({
  name: "demo",
  users: 671,
  items,
  interactions: 90_072,
  density: 90_072 / (671 * items),
  historyLength: { min: 16, p25: 35, median: 66, p75: 141, p90: 290, max: 1_449, mean: 134.23 },
  modalities: [
    { name: "id", kind: "id", dim: 0, presentItems: items, coverage: 1 },
    { name: "text", kind: "dense", dim: 100, presentItems: present, coverage: present / items },
    ...(extra
      ? [{
        name: "genre",
        kind: "multi_hot" as const,
        dim: 20,
        presentItems: 1,
        coverage: 1 / items,
      }]
      : []),
  ],
  fingerprint: "f",
});

Deno.test("statisticsTable: a column per dataset, words for rows, counts and percent formatted", () => {
  const table = statisticsTable(
    [{ label: "raw", stats: stats(9_066, 9_000) }, {
      label: "after 5-core",
      stats: stats(3_496, 3_468),
    }],
    "MovieLens",
  );
  assertEquals(table.caption, "MovieLens");
  assertEquals(table.columns, ["", "raw", "after 5-core"]);
  const byName = Object.fromEntries(table.rows.map(([name, ...cells]) => [name, cells]));
  assertEquals(byName["users"], ["671", "671"]);
  assertEquals(byName["items"], ["9,066", "3,496"]);
  assertEquals(byName["interactions"], ["90,072", "90,072"]);
  assertEquals(byName["density (interactions / users × items)"], ["1.48 %", "3.84 %"]);
  assertEquals(byName["history length: shortest – longest"], ["16 – 1,449", "16 – 1,449"]);
  assertEquals(byName["history length: middle half (25th – 75th percentile)"][0], "35 – 141");
  assertEquals(byName["history length per user: median"], ["66", "66"]);
  assertEquals(byName["history length: mean"][0], "134.2");
  // Every cell is text: no raw fraction such as 0.0384 reaches the page.
  for (const row of table.rows) for (const cell of row) assertEquals(typeof cell, "string");
});

Deno.test("modalityCoverageTable: kind and width in words, coverage 'n of N (p %)', missing '–'", () => {
  const table = modalityCoverageTable([
    { label: "raw", stats: stats(9_066, 8_993) },
    { label: "5-core", stats: stats(3_496, 3_468, false) },
  ]);
  assertEquals(table.columns, [
    "modality",
    "kind",
    "width",
    "items carrying it: raw",
    "items carrying it: 5-core",
  ]);
  assertEquals(table.rows, [
    ["id", "item id", "learned", "9,066 of 9,066 (100.0 %)", "3,496 of 3,496 (100.0 %)"],
    ["text", "dense vector", "100 numbers", "8,993 of 9,066 (99.2 %)", "3,468 of 3,496 (99.2 %)"],
    ["genre", "labels (multi-hot)", "20 labels", "1 of 9,066 (< 0.1 %)", "–"],
  ]);
  // A modality only a later dataset has: its kind and width from that one, "–" before it.
  const later = modalityCoverageTable([
    { label: "5-core", stats: stats(3_496, 3_468, false) },
    { label: "raw", stats: stats(9_066, 8_993) },
  ]);
  assertEquals(later.rows[2], [
    "genre",
    "labels (multi-hot)",
    "20 labels",
    "–",
    "1 of 9,066 (< 0.1 %)",
  ]);
  assertEquals("caption" in later, false, "no caption key without a caption");
  assertEquals("caption" in statisticsTable([{ label: "raw", stats: stats(10, 5) }]), false);
});

Deno.test("statisticsTable: a median history length of thousands has its separator, as the other counts", () => {
  const long = stats(9_066, 9_000);
  const table = statisticsTable([{
    label: "raw",
    stats: { ...long, historyLength: { ...long.historyLength, median: 1_234 } },
  }]);
  const median = table.rows.find(([name]) => name === "history length per user: median");
  assertEquals(median, ["history length per user: median", "1,234"]);
});

Deno.test("coverage and density: a share that is neither none nor all never reads as 0 % or 100 %", () => {
  const table = modalityCoverageTable([
    { label: "most", stats: stats(9_066, 9_062) },
    { label: "none", stats: stats(9_066, 0) },
  ]);
  assertEquals(table.rows[1].slice(3), ["9,062 of 9,066 (> 99.9 %)", "0 of 9,066 (0.0 %)"]);
  assertEquals(table.rows[0].slice(3), ["9,066 of 9,066 (100.0 %)", "9,066 of 9,066 (100.0 %)"]);
  // Density at two decimals: 1 interaction in 671 × 9,066 cells, and every cell filled.
  const sparse = { ...stats(9_066, 9_000), interactions: 1, density: 1 / (671 * 9_066) };
  const full = { ...stats(9_066, 9_000), density: 1 };
  const densities = statisticsTable([{ label: "sparse", stats: sparse }, {
    label: "full",
    stats: full,
  }]).rows.find(([name]) => name === "density (interactions / users × items)");
  assertEquals(densities?.slice(1), ["< 0.01 %", "100.00 %"]);
});
