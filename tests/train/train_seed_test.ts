/**
 * Determinism of training (trainModel: initialisation, shuffled batches, dropout, BCE negatives):
 * the same model and trainer seeds give the same weights and losses to the bit, another seed
 * other ones, and a run is not changed by another run trained in between or at the same time in
 * the same process (no random state outside the run; both runs' steps interleave at every await).
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  type ModelConfigInput,
  SequentialRecommender,
} from "../../lib/models/sequential_recommender.ts";
import type { TrainerConfig } from "../../lib/train/config.ts";
import { SEEDED_SPLIT, seededRun, weightsOf } from "./_seeded_run.ts";
import { assertBitIdentical, assertNotBitIdentical } from "../_bit_identical.ts";

/** Both backbones with dropout on (so the step's masks are drawn), and BCE (negatives drawn). */
const SETUPS: Record<string, { model: ModelConfigInput; trainer: Partial<TrainerConfig> }> = {
  "SASRec, cross-entropy": {
    model: {
      backbone: "sasrec",
      dim: 8,
      maxLength: 6,
      sasrec: { blocks: 1, heads: 2, dropout: 0.3 },
    },
    trainer: {},
  },
  "GRU4Rec, BCE": {
    model: { backbone: "gru4rec", dim: 8, maxLength: 6, gru4rec: { dropout: 0.3 } },
    trainer: { loss: { kind: "bce", positions: "all" } },
  },
};

function train(setup: string, modelSeed: number, trainerSeed: number) {
  return seededRun(SETUPS[setup].model, modelSeed, SETUPS[setup].trainer, trainerSeed);
}

/** The initial weights of a model of `setup` with `seed`. */
function initialWeights(setup: string, seed: number): Record<string, Float32Array> {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, { ...SETUPS[setup].model, seed });
  try {
    return weightsOf(model);
  } finally {
    model.dispose();
  }
}

for (const setup of Object.keys(SETUPS)) {
  Deno.test(`trainModel (${setup}): the same seeds give the same bits, after another run too`, async () => {
    const first = await train(setup, 1, 2);
    await train(setup, 7, 8); // another run in between
    assertBitIdentical(await train(setup, 1, 2), first);
    assertEquals(first.epochs.length, 2);
  });

  Deno.test(`trainModel (${setup}): a run trained alongside another gives its own bits`, async () => {
    const alone = await train(setup, 1, 2);
    const before = tf.memory().numTensors;
    // Both runs' steps interleave (each step awaits its losses' read); shared random state
    // (a generator, a dropout seed, a cache) would let one run's draws move the other's.
    const [together, other] = await Promise.all([train(setup, 1, 2), train(setup, 3, 4)]);
    assertBitIdentical(together, alone);
    assertNotBitIdentical(other.weights, alone.weights);
    assertEquals(tf.memory().numTensors, before);
  });

  Deno.test(`trainModel (${setup}): the trainer's seed and the model's seed each change the run`, async () => {
    const base = await train(setup, 1, 2);
    // Another trainer seed, same initial weights: other batches, dropout masks and negatives.
    const otherTrainer = await train(setup, 1, 5);
    assertNotBitIdentical(otherTrainer.epochs.map((e) => e.loss), base.epochs.map((e) => e.loss));
    // Another model seed: other initial weights (every drawn one; biases and gains start fixed).
    const [a, b] = [initialWeights(setup, 1), initialWeights(setup, 6)];
    const drawn = Object.keys(a).filter((name) => a[name].some((x) => x !== a[name][0]));
    for (const name of drawn) assertNotBitIdentical(b[name], a[name], name);
    assertEquals(drawn.length > 0, true);
    assertNotBitIdentical((await train(setup, 6, 2)).weights, base.weights);
  });
}
