/**
 * Audit (session 49): the bce loss's training negatives (lib/losses/negative_sampling.ts) are
 * uniform over the items other than the position's target, at either end of the catalogue, and
 * a target that is no item id is refused naming its position rather than skipped over.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { sampleNegatives } from "../../lib/losses/negative_sampling.ts";
import { createRng } from "../../lib/util/random.ts";

/** One row of `length` valid positions, every target `target`. */
function constantTargets(length: number, target: number) {
  return {
    valid: new Float32Array(length).fill(1),
    targets: new Int32Array(length).fill(target),
    batchSize: 1,
    length,
  };
}

Deno.test("training negatives are uniform over the other items, the target at either end included", () => {
  const numItems = 5;
  const draws = 60000;
  for (const target of [0, 2, numItems - 1]) {
    const negatives = sampleNegatives(constantTargets(draws, target), numItems, createRng(target));
    const counts = new Array(numItems).fill(0);
    for (const item of negatives) counts[item]++;
    assertEquals(counts[target], 0, `target ${target} drawn`);
    // Each other item has probability 1/4: sd of its share sqrt(0.25 * 0.75 / 60000) = 0.0018.
    counts.forEach((count, item) => {
      if (item === target) return;
      const share = count / draws;
      assert(Math.abs(share - 0.25) < 0.01, `target ${target}: item ${item} share ${share}`);
    });
  }
});

Deno.test("a target that is no item id is refused naming its row and position", () => {
  // Target 5 of 5 items: the draw 4 was skipped past it to "item" 5, outside the catalogue.
  const batch = {
    valid: Float32Array.from([0, 1, 1, 1]),
    targets: Int32Array.from([0, 1, 2, 5]),
    batchSize: 2,
    length: 2,
  };
  assertThrows(
    () => sampleNegatives(batch, 5, createRng(0)),
    Error,
    "sampleNegatives: position 1 of row 1 has target 5, not an item id (an integer from 0 to 4)",
  );
  const negative = { ...batch, targets: Int32Array.from([0, -1, 2, 3]) };
  assertThrows(
    () => sampleNegatives(negative, 5, createRng(0)),
    Error,
    "position 1 of row 0 has target -1",
  );
  // A padding position's target is not read: 0 there, as the batcher writes it, or anything else.
  const padding = { ...batch, targets: Int32Array.from([99, 1, 2, 3]) };
  assertEquals(sampleNegatives(padding, 5, createRng(0))[0], 0);
});
