/**
 * The parts of the training loop on their own: early stopping counts only strict improvements and
 * keeps the earliest best epoch; the epoch's loss means divide by the step count (zeros without
 * steps); the divergence guard stops above its limit and on a non-finite validation metric.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { resolveTrainerConfig, TrainingDivergedError } from "../../lib/train/config.ts";
import type { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { EarlyStopping } from "../../lib/train/_early_stopping.ts";
import { EpochLosses } from "../../lib/train/_epoch_losses.ts";
import { DivergenceGuard } from "../../lib/train/_divergence.ts";

Deno.test("early stopping: strict improvements only, the earliest best epoch, patience", () => {
  const stopping = new EarlyStopping();
  assertEquals(stopping.observe(0.2, 1), true);
  assertEquals(stopping.observe(0.2, 2), false, "a tie is no improvement");
  assertEquals(stopping.observe(0.1, 3), false);
  assertEquals([stopping.bestValidation, stopping.bestEpoch, stopping.sinceBest], [0.2, 1, 2]);
  assertEquals(stopping.exhausted(3), false);
  assertEquals(stopping.exhausted(2), true);
  assertEquals(stopping.observe(0.3, 4), true);
  assertEquals([stopping.bestEpoch, stopping.sinceBest], [4, 0]);
  const resumed = new EarlyStopping({ bestValidation: 0.5, bestEpoch: 7, sinceBest: 1 });
  assertEquals(resumed.observe(0.4, 8), false);
  assertEquals(resumed.sinceBest, 2);
});

Deno.test("epoch losses: means over the steps, zeros for an epoch without steps", () => {
  assertEquals(new EpochLosses().means(), {
    loss: 0,
    recommendationLoss: 0,
    auxiliaryLoss: 0,
    stepSeconds: 0,
  });
  const losses = new EpochLosses();
  losses.add({ total: 3, recommendation: 2, auxiliary: 1 }, 0.5);
  losses.add({ total: 5, recommendation: 4, auxiliary: 1 }, 1.5);
  assertEquals(losses.steps, 2);
  assertEquals(losses.means(), {
    loss: 4,
    recommendationLoss: 3,
    auxiliaryLoss: 1,
    stepSeconds: 1,
  });
});

Deno.test("divergence guard: L_rec above factor x uniform loss, non-finite validation", () => {
  const model = { numItems: Math.round(Math.E ** 2) } as SequentialRecommender; // ln(7) ~ 1.95
  const guard = new DivergenceGuard(resolveTrainerConfig({ divergenceFactor: 2 }), model);
  const limit = 2 * Math.log(model.numItems);
  guard.checkStep({ total: limit, recommendation: limit, auxiliary: 0 }, 0, 0);
  const error = assertThrows(
    () => guard.checkStep({ total: 9, recommendation: limit + 1e-6, auxiliary: 0 }, 2, 17),
    TrainingDivergedError,
  );
  assert(error.message.includes("epoch 3, step 17"), error.message);
  assert(error.message.includes("divergenceFactor 2"), error.message);
  guard.checkValidation(0, 0);
  assertThrows(() => guard.checkValidation(NaN, 4), TrainingDivergedError, "after epoch 5");
});
