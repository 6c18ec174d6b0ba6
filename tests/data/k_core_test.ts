/**
 * k-core filtering's edges that the protocol tests leave open: the rounds counted when several
 * users fall below k at once, the counts' thousands, a modality wider than one value, the item
 * titles, a dataset without timestamps, the input left as it was, the default k, a fractional k,
 * the every-user-removed error's counts, the id modality's subset, and the name and metadata kept.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { DEFAULT_K_CORE, kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { SettingError } from "../../lib/util/settings.ts";
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

Deno.test("kCoreFilter without a config is the 5-core, the field's convention", () => {
  // u5 holds 4 popular items: the 4-core keeps it, the 5-core does not.
  const five = [0, 1, 2, 3, 4];
  const core = kCoreFilter(tinyDataset([five, five, five, five, five, [0, 1, 2, 3]], 5));
  assertEquals(DEFAULT_K_CORE, { k: 5 });
  assertEquals(core.userIds, ["u0", "u1", "u2", "u3", "u4"]);
  assertEquals(
    core.metadata.preprocessing.at(-1),
    "5-core filtering (iterated to a fixed point: 2 rounds): kept 5 of 6 users, 5 of 5 items, " +
      "25 of 29 interactions",
  );
});

Deno.test("kCoreFilter refuses a fractional k (a 2.5-core ran as the 3-core under its own name)", () => {
  const error = assertThrows(
    () => kCoreFilter(tinyDataset([[0, 1], [1, 0]], 2), { k: 2.5 }),
    SettingError,
    "KCoreConfig.k is 2.5; allowed: an integer >= 1",
  ) as SettingError;
  assertEquals([error.setting, error.value], ["KCoreConfig.k", 2.5]);
});

Deno.test("kCoreFilter's every-user-removed error states the dataset's own user and item counts", () => {
  const error = assertThrows(
    () => kCoreFilter(tinyDataset([[0, 1], [1, 2], [2, 3]], 4), { k: 3 }),
    SettingError,
  ) as SettingError;
  assertEquals(
    error.message,
    "KCoreConfig.k is 3; allowed: a k that keeps some users of tiny (3 users, 4 items): " +
      "3-core filtering removes every user",
  );
});

Deno.test("kCoreFilter subsets every modality, the id modality too, to the kept items", () => {
  // k=2 drops i0 and i3; the id modality's presence mask (one entry per item) kept 4 entries.
  const core = kCoreFilter(tinyDataset([[0, 1, 2], [1, 2], [2, 1, 3]], 4), { k: 2 });
  assertEquals(core.numItems, 2);
  assertEquals(core.modalities.map((m) => [m.name, m.present.length]), [["id", 2], ["value", 2]]);
});

Deno.test("kCoreFilter keeps the dataset's name and metadata, adding only its line and fingerprint", () => {
  const dataset = tinyDataset([[0, 1, 2], [1, 2], [2, 1]], 3);
  Object.assign(dataset.metadata, { licence: "CC0", citation: "a paper", tieBreak: "file order" });
  const core = kCoreFilter(dataset, { k: 2 });
  assertEquals(core.name, "tiny");
  const { preprocessing: _lines, fingerprint: _hash, ...rest } = core.metadata;
  assertEquals(rest, {
    source: "test",
    licence: "CC0",
    citation: "a paper",
    tieBreak: "file order",
  });
});
