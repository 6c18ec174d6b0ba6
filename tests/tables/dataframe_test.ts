import { assert, assertEquals } from "@std/assert";
import { interactionsFrame, itemsFrame, statisticsFrames } from "../../lib/tables/mod.ts";
import { datasetStatistics } from "../../lib/data/protocol/statistics.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";

Deno.test("danfo views: interactions, items and statistics frames have the right shape and values", () => {
  const dataset = tinyDataset([[0, 1], [2, 0, 1]], 3);
  const interactions = interactionsFrame(dataset);
  assertEquals(interactions.shape, [5, 4]);
  assertEquals(interactions.column("item").values, ["i0", "i1", "i2", "i0", "i1"]);
  assertEquals(interactions.column("timestamp").values, [100, 101, 100, 101, 102]);
  const items = itemsFrame(dataset);
  assertEquals(items.columns, ["item", "title", "interactions", "has_id", "has_value"]);
  assertEquals(items.column("interactions").values, [2, 2, 1]);
  assertEquals(items.column("has_value").values, [1, 0, 1]);
  assertEquals(items.column("title").values, ["", "", ""], "no titles: empty, not the ids");
  const { summary, modalities } = statisticsFrames(datasetStatistics(dataset));
  assertEquals(summary.column("interactions").values, [5]);
  assertEquals(modalities.column("coverage").values, [1, 2 / 3]);
});

Deno.test("interactionsFrame: a dataset without timestamps has NaN timestamps, not 0", () => {
  const dataset = { ...tinyDataset([[0, 1]], 2), timestamps: undefined };
  const timestamps = interactionsFrame(dataset).column("timestamp").values as number[];
  assertEquals(timestamps.length, 2);
  assert(timestamps.every(Number.isNaN), `${timestamps}`);
});

Deno.test("danfo views: the root mod.ts exports the three views docs/data.md names", async () => {
  // Notebooks import the root mod.ts only; interactionsFrame was missing from it.
  const root: Record<string, unknown> = await import("../../mod.ts");
  for (const name of ["interactionsFrame", "itemsFrame", "statisticsFrames"]) {
    assertEquals(typeof root[name], "function", name);
  }
});
