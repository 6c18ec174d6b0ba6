/**
 * Dataset statistics at the small edges: one, two and three users (nearest-rank quantiles of so
 * few lengths), users without items, and a whole-number mean printed with its decimal.
 * Found by mutation round NG (NG02, NG03, NG06, NG07).
 */
import { assertEquals } from "@std/assert";
import { datasetStatistics, formatStatistics } from "../../lib/data/protocol/statistics.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

const history = (length: number) => Array.from({ length }, (_, t) => t % 4);

Deno.test("datasetStatistics: one user's length is every quantile; two and three users' nearest ranks", () => {
  const one = datasetStatistics(tinyDataset([history(4)], 4)).historyLength;
  assertEquals(one, { min: 4, p25: 4, median: 4, p75: 4, p90: 4, max: 4, mean: 4 });
  // Of 2 values the median is the lower one (nearest rank 1), not the upper or their mean.
  const two = datasetStatistics(tinyDataset([history(5), history(1)], 4)).historyLength;
  assertEquals(two, { min: 1, p25: 1, median: 1, p75: 5, p90: 5, max: 5, mean: 3 });
  const three = datasetStatistics(tinyDataset([history(9), history(1), history(2)], 4))
    .historyLength;
  assertEquals(three, { min: 1, p25: 1, median: 2, p75: 9, p90: 9, max: 9, mean: 4 });
});

Deno.test("datasetStatistics: users with empty histories over no items have density 0, not NaN", () => {
  const stats = datasetStatistics(tinyDataset([[], []], 0));
  assertEquals([stats.users, stats.items, stats.interactions, stats.density], [2, 0, 0, 0]);
  assertEquals(stats.historyLength.mean, 0);
});

Deno.test("formatStatistics: a whole-number mean length keeps its decimal (4.0, not 4)", () => {
  const rows = formatStatistics(datasetStatistics(tinyDataset([history(4)], 4))).split("\n");
  assertEquals(
    rows[5],
    "history length  min 4, p25 4, median 4, p75 4, p90 4, max 4, mean 4.0",
  );
});
