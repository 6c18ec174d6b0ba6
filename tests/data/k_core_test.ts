/**
 * k-core filtering's edges that the protocol tests leave open: the rounds counted when several
 * users fall below k at once, the counts' thousands, a modality wider than one value, the item
 * titles, a dataset without timestamps, and the input left as it was.
 */
import { assertEquals } from "@std/assert";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

Deno.test("kCoreFilter removes every user below k in the same round, and counts the rounds", () => {
  // k=2: u2 and u3 hold one item each and go in round 1; round 2 removes nothing. Removing one
  // user a round reached the same core in 3 rounds, and the protocol said so.
  const core = kCoreFilter(tinyDataset([[0, 1], [1, 0], [0], [1]], 2), { k: 2 });
  assertEquals(core.userIds, ["u0", "u1"]);
  assertEquals(core.metadata.preprocessing, [
    "2-core filtering (iterated to a fixed point: 2 rounds): kept 2 of 4 users, 2 of 2 items, " +
    "4 of 6 interactions",
  ]);
});

Deno.test("kCoreFilter's protocol line groups the thousands of its counts", () => {
  const users = Array.from({ length: 1200 }, (_, u) => (u % 2 === 0 ? [0, 1] : [1, 0]));
  const core = kCoreFilter(tinyDataset(users, 2), { k: 2 });
  assertEquals(core.metadata.preprocessing, [
    "2-core filtering (iterated to a fixed point: 1 round): kept 1,200 of 1,200 users, " +
    "2 of 2 items, 2,400 of 2,400 interactions",
  ]);
});

/** `tinyDataset` with a two-value modality (item i: [10 i, 10 i + 1]) and titles "title i". */
function wideDataset(sequences: number[][], numItems: number): InteractionDataset {
  const dataset = tinyDataset(sequences, numItems);
  dataset.modalities[1] = {
    ...dataset.modalities[1],
    dim: 2,
    values: Float32Array.from({ length: 2 * numItems }, (_, v) => 10 * Math.floor(v / 2) + v % 2),
    present: new Uint8Array(numItems).fill(1),
  };
  dataset.itemTitles = Array.from({ length: numItems }, (_, i) => `title ${i}`);
  return dataset;
}

Deno.test("kCoreFilter keeps each kept item's whole feature vector and its title", () => {
  // k=2 drops i0 (one interaction): i1 -> 0, i2 -> 1.
  const core = kCoreFilter(wideDataset([[0, 1, 2], [1, 2], [2, 1]], 3), { k: 2 });
  assertEquals(core.itemIds, ["i1", "i2"]);
  assertEquals(Array.from(core.modalities[1].values), [10, 11, 20, 21]);
  assertEquals(core.itemTitles, ["title 1", "title 2"]);
});

Deno.test("kCoreFilter: a dataset without timestamps stays without them", () => {
  const dataset = tinyDataset([[0, 1, 2], [1, 2], [2, 1]], 3);
  delete dataset.timestamps;
  const core = kCoreFilter(dataset, { k: 2 });
  assertEquals(core.timestamps, undefined);
  assertEquals(core.sequences.map((s) => Array.from(s)), [[0, 1], [0, 1], [1, 0]]);
});

Deno.test("kCoreFilter leaves its input's preprocessing lines as they were", () => {
  const dataset = tinyDataset([[0, 1, 2], [1, 2], [2, 1]], 3);
  dataset.metadata.preprocessing.push("imported");
  const core = kCoreFilter(dataset, { k: 2 });
  assertEquals(dataset.metadata.preprocessing, ["imported"]);
  assertEquals(core.metadata.preprocessing.length, 2);
  assertEquals(core.metadata.preprocessing[0], "imported");
});

Deno.test("kCoreFilter goes on after a round that removed items only", () => {
  // k=2, round 1: every user holds 2 items, only i2 (one interaction) goes; u2 is then left with
  // [i0] and goes in round 2. Stopping when no user went in a round kept u2 with one item.
  const core = kCoreFilter(tinyDataset([[0, 1], [0, 1], [0, 2]], 3), { k: 2 });
  assertEquals(core.userIds, ["u0", "u1"]);
  assertEquals(core.sequences.map((s) => Array.from(s)), [[0, 1], [0, 1]]);
  assertEquals(
    core.metadata.preprocessing.at(-1),
    "2-core filtering (iterated to a fixed point: 3 rounds): kept 2 of 3 users, 2 of 3 items, " +
      "4 of 6 interactions",
  );
});
