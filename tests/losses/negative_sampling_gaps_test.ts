/**
 * The smallest catalogue sampleNegatives accepts: two items, where every valid position's
 * negative is the one item that is not its target.
 */
import { assertEquals } from "@std/assert";
import { sampleNegatives } from "../../lib/losses/negative_sampling.ts";
import { createRng } from "../../lib/util/random.ts";

Deno.test("sampleNegatives: a catalogue of two items is allowed; the negative is the other item", () => {
  const batch = {
    valid: Float32Array.of(0, 1, 1, 1),
    targets: Int32Array.of(0, 0, 1, 0),
    batchSize: 2,
    length: 2,
  };
  for (let seed = 0; seed < 5; seed++) {
    assertEquals(
      Array.from(sampleNegatives(batch, 2, createRng(seed))),
      [0, 1, 0, 1],
      `seed ${seed}`,
    );
  }
});
