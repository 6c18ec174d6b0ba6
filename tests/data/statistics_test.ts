import { assertEquals } from "@std/assert";
import { datasetStatistics, formatStatistics } from "../../lib/data/protocol/statistics.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

/** One user per history length 1..12, listed out of order, over 12 items. */
const lengths = [12, 3, 9, 10, 2, 5, 11, 7, 4, 6, 1, 8];
const dataset = tinyDataset(lengths.map((n) => Array.from({ length: n }, (_, t) => t % 12)), 12);

Deno.test("datasetStatistics: nearest-rank quantiles of the lengths sorted as numbers", () => {
  const stats = datasetStatistics(dataset);
  // Sorted as text, 10, 11 and 12 would come before 2 and the longest history would read 9.
  // Nearest rank of 12 values: p25 the 3rd, median the 6th, p75 the 9th, p90 the 11th (10.8 up).
  assertEquals(stats.historyLength, {
    min: 1,
    p25: 3,
    median: 6,
    p75: 9,
    p90: 11,
    max: 12,
    mean: 6.5,
  });
  assertEquals([stats.users, stats.items, stats.interactions, stats.density], [
    12,
    12,
    78,
    78 / 144,
  ]);
  // Of 5 values: p25 is the 2nd (1.25 up, not 1.25 rounded), p75 the 4th, p90 the 5th.
  const five = datasetStatistics(
    tinyDataset([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3]], 4),
  );
  assertEquals([five.historyLength.p25, five.historyLength.p75, five.historyLength.p90], [2, 4, 4]);
  // Of 10 values (lengths 1..10): p75 is the 8th (7.5 up), where 0.7 of them would give the 7th.
  const ten = datasetStatistics(
    tinyDataset(Array.from({ length: 10 }, (_, u) => Array.from({ length: u + 1 }, () => 0)), 1),
  );
  assertEquals([ten.historyLength.p25, ten.historyLength.median, ten.historyLength.p75], [3, 5, 8]);
});

Deno.test("datasetStatistics: a dataset without users has zero density and lengths, not NaN", () => {
  const stats = datasetStatistics(tinyDataset([], 4));
  assertEquals(stats.density, 0);
  assertEquals(stats.historyLength, { min: 0, p25: 0, median: 0, p75: 0, p90: 0, max: 0, mean: 0 });
});

Deno.test("datasetStatistics: a dataset without items has zero density and coverage, not NaN", () => {
  const stats = datasetStatistics(tinyDataset([], 0));
  assertEquals([stats.items, stats.density], [0, 0]);
  assertEquals(stats.modalities.map((m) => [m.presentItems, m.coverage]), [[0, 0], [0, 0]]);
});

Deno.test("formatStatistics prints every row: density in percent, an id modality as learned", () => {
  const stats = datasetStatistics(dataset);
  assertEquals(
    formatStatistics(stats),
    [
      "dataset         tiny",
      "users           12",
      "items           12",
      "interactions    78",
      "density         54.167 %",
      "history length  min 1, p25 3, median 6, p75 9, p90 11, max 12, mean 6.5",
      "modality id     id, learned, coverage 100.0 % (12 items)",
      "modality value  dense, dim 1, coverage 50.0 % (6 items)",
      `fingerprint     ${dataset.metadata.fingerprint}`,
    ].join("\n"),
  );
});

Deno.test("formatStatistics groups the thousands of the counts", () => {
  // 1,234 users of one interaction each (1,234 interactions) over 2 items.
  const many = tinyDataset(Array.from({ length: 1234 }, (_, u) => [u % 2]), 2);
  const rows = formatStatistics(datasetStatistics(many)).split("\n");
  assertEquals(rows.slice(1, 4), [
    "users           1,234",
    "items           2",
    "interactions    1,234",
  ]);
});

Deno.test("formatStatistics groups the thousands of the items too", () => {
  const wide = tinyDataset([[0, 1233]], 1234);
  assertEquals(formatStatistics(datasetStatistics(wide)).split("\n")[2], "items           1,234");
});

Deno.test("formatStatistics aligns every value after the longest key, a modality's included", () => {
  const base = tinyDataset([[0, 1]], 2);
  const named = {
    ...base,
    modalities: [base.modalities[0], { ...base.modalities[1], name: "description_text" }],
  };
  const rows = formatStatistics(datasetStatistics(named)).split("\n");
  // "modality description_text" (25 characters) is longer than "history length" (14).
  assertEquals(rows[0], `${"dataset".padEnd(25)}  tiny`);
  assertEquals(rows[7], "modality description_text  dense, dim 1, coverage 50.0 % (1 items)");
});
