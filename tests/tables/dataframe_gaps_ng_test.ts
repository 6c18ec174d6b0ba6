/**
 * The danfo views at their edges: an item a user met twice counts twice, and a timestamp of 0
 * (the epoch) stays 0, not NaN. Found by mutation round NG (NG24, NG25).
 */
import { assertEquals } from "@std/assert";
import { interactionsFrame, itemsFrame } from "../../lib/tables/mod.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";

Deno.test("itemsFrame: an item repeated in one history counts each interaction", () => {
  const dataset = tinyDataset([[0, 1, 0, 0], [1]], 3);
  assertEquals(itemsFrame(dataset).column("interactions").values, [3, 2, 0]);
});

Deno.test("interactionsFrame: a timestamp of 0 is kept, only a missing one is NaN", () => {
  const dataset = { ...tinyDataset([[0, 1]], 2), timestamps: [Float64Array.of(0, 5)] };
  assertEquals(interactionsFrame(dataset).column("timestamp").values, [0, 5]);
});

Deno.test("interactionsFrame and itemsFrame: an empty dataset is an empty frame with its columns", () => {
  // danfo refused the empty columns with "ParamError: end must be greater than start".
  const interactions = interactionsFrame(tinyDataset([[]], 2));
  assertEquals(interactions.shape, [0, 4]);
  assertEquals(interactions.columns, ["user", "item", "position", "timestamp"]);
  const items = itemsFrame(tinyDataset([], 0));
  assertEquals(items.shape, [0, 5]);
  assertEquals(items.columns, ["item", "title", "interactions", "has_id", "has_value"]);
});
