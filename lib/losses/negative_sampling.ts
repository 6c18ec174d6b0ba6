/**
 * Uniform negative sampling for the `bce` loss: one item per position, never the position's target.
 *
 * @example
 * ```ts
 * const negatives = sampleNegatives(batch, numItems, createRng(3)); // [batch * position]
 * ```
 */
import type { Rng } from "../util/random.ts";
import type { LossBatch } from "./recommendation.ts";

/** One negative per position ([batch * position]); 0 at padding positions. */
export function sampleNegatives(batch: LossBatch, numItems: number, rng: Rng): Int32Array {
  if (numItems < 2) throw new Error(`sampleNegatives: needs at least 2 items, got ${numItems}`);
  const targets = batch.targets;
  if (targets === undefined) throw new Error("sampleNegatives: the batch has no targets");
  const negatives = new Int32Array(batch.batchSize * batch.length);
  for (let i = 0; i < negatives.length; i++) {
    if (batch.valid[i] !== 1) continue;
    const target = targets[i];
    // A target outside the catalogue (a batch of another dataset) was skipped over as if it were
    // an item: target numItems let the draw numItems - 1 become the negative numItems, no item.
    if (!(Number.isInteger(target) && target >= 0 && target < numItems)) {
      throw new Error(
        `sampleNegatives: position ${i % batch.length} of row ${Math.floor(i / batch.length)} ` +
          `has target ${target}, not an item id (an integer from 0 to ${numItems - 1})`,
      );
    }
    // Draw from numItems-1 candidates and skip over the target: uniform over the other items.
    const draw = rng.int(numItems - 1);
    negatives[i] = draw >= target ? draw + 1 : draw;
  }
  return negatives;
}
