/**
 * Determinism of the baselines: CL4SRec's term draws its augmentations and its views' dropout
 * from the step's seed, so a CL4SRec run repeats to the bit (also after and alongside another
 * run); popularity and item-kNN draw nothing, so their scores are the same bits every time.
 */
import { assertEquals } from "@std/assert";
import { cl4srecAuxiliaryLoss } from "../../lib/baselines/cl4srec.ts";
import { itemKnnScorer } from "../../lib/baselines/item_knn.ts";
import { popularityScorer } from "../../lib/baselines/popularity.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { SEEDED_SPLIT, seededRun } from "../train/_seeded_run.ts";
import { assertBitIdentical, assertNotBitIdentical } from "../_bit_identical.ts";

const MODEL = { dim: 8, maxLength: 6, sasrec: { blocks: 1, heads: 2, dropout: 0.2 } };

function train(modelSeed: number, trainerSeed: number) {
  return seededRun(MODEL, modelSeed, {}, trainerSeed, () => ({
    // Every augmentation, and a large weight: the term moves the weights.
    hooks: { auxiliaryLoss: cl4srecAuxiliaryLoss({ weight: 1 }) },
  }));
}

Deno.test("CL4SRec: the same seeds give the same bits, after and alongside another run", async () => {
  const first = await train(1, 2);
  await train(7, 8);
  assertBitIdentical(await train(1, 2), first);
  const [together, other] = await Promise.all([train(1, 2), train(3, 4)]);
  assertBitIdentical(together, first);
  assertNotBitIdentical(other.weights, first.weights);
  // Another trainer seed alone: other batches, augmentations and dropout.
  assertNotBitIdentical(
    (await train(1, 5)).epochs.map((e) => e.auxiliaryLoss),
    first.epochs.map((e) => e.auxiliaryLoss),
  );
  assertEquals(first.epochs.every((e) => e.auxiliaryLoss > 0), true);
});

Deno.test("popularity and item-kNN: the same split gives the same metrics and per-user values", async () => {
  const evaluate = async () => {
    const results = [];
    for (const scorer of [popularityScorer(SEEDED_SPLIT), itemKnnScorer(SEEDED_SPLIT)]) {
      const { metrics, perUser } = await evaluateRanking(scorer, SEEDED_SPLIT, { stage: "test" });
      results.push({ metrics, perUser });
    }
    return results;
  };
  const first = await evaluate();
  await train(1, 2); // a seeded run in between
  assertBitIdentical(await evaluate(), first);
});
