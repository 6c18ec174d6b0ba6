/**
 * loadOrCreateSampledNegatives: a path that exists but cannot be read is its read error before any
 * draw (a mutation-testing gap: swallowing every read error, not only NotFound, survived, since a
 * draw written over a folder fails with the same IsADirectory error).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { loadOrCreateSampledNegatives } from "../../lib/eval/sampled_negatives.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

// 3 users over 8 items, 5 interactions each: 3 unseen items per user.
const split = leaveOneOut(cycleDataset(3, 8, 5));

Deno.test("negatives file: an unreadable path is its read error, before a draw could be refused", () => {
  const folder = Deno.makeTempDirSync();
  try {
    const path = `${folder}/negatives.json`;
    Deno.mkdirSync(path);
    // 4 negatives cannot be drawn from 3 unseen items: had the read error been passed over, the
    // draw would have been tried and refused with a SettingError naming the count.
    const error = assertThrows(() =>
      loadOrCreateSampledNegatives(path, split, { count: 4, seed: 0 })
    );
    assertEquals(error.name, "IsADirectory");
    assertEquals([...Deno.readDirSync(folder)].map((entry) => entry.name), ["negatives.json"]);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
