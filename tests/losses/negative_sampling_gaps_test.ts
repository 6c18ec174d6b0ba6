/**
 * The smallest catalogue sampleNegatives accepts: two items, where every valid position's
 * negative is the one item that is not its target; and how a draw becomes an item (part of what
 * a seed draws).
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

Deno.test("sampleNegatives: a valid position's draw d is the item d, or d + 1 at or past its target", () => {
  // The mapping from the RNG's draws to items is part of what a seed draws (every bce run of
  // results-of-record/ depends on it): a draw equal to the target moves to the next item, and so
  // does every draw above it, keeping the other items uniform. Mapping a draw on the target to
  // the last item instead is uniform too, but draws other negatives for the same seed.
  const batch = {
    valid: Float32Array.of(1, 0, 1, 1, 1, 1, 1, 1),
    targets: Int32Array.of(0, 3, 2, 5, 1, 4, 2, 3),
    batchSize: 2,
    length: 4,
  };
  for (let seed = 0; seed < 10; seed++) {
    const rng = createRng(seed);
    const expected = Array.from(batch.targets, (target, i) => {
      if (batch.valid[i] !== 1) return 0;
      const draw = rng.int(5);
      return draw >= target ? draw + 1 : draw;
    });
    assertEquals(Array.from(sampleNegatives(batch, 6, createRng(seed))), expected, `seed ${seed}`);
  }
});
