/** Mutation round MG: k-core filtering's edges the earlier rounds left open. */
import { assertEquals } from "@std/assert";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

Deno.test("kCoreFilter: a dataset without item titles stays without them (MG20)", () => {
  const dataset = tinyDataset([[0, 1, 2], [1, 2], [2, 1]], 3);
  delete dataset.itemTitles;
  const core = kCoreFilter(dataset, { k: 2 });
  assertEquals(core.itemTitles, undefined);
});
