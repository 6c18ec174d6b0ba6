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

Deno.test("kCoreFilter takes a k above 100 when the data has that many interactions (MG54)", () => {
  // One user holding items 0 and 1 alternately, 101 times each: its 101-core is all of it.
  const history = Array.from({ length: 202 }, (_, t) => t % 2);
  const core = kCoreFilter(tinyDataset([history], 2), { k: 101 });
  assertEquals([core.numUsers, core.numItems, core.sequences[0].length], [1, 2, 202]);
});
