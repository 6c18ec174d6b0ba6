/**
 * The training pass's capture refuses a non-finite contribution at a valid pair (a finite loss
 * can still have an overflowing gradient), as the separate pass does, instead of storing a mask
 * selected from NaN scores.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import { NoiseMaskCache } from "../../lib/demure/noise_mask.ts";
import { TrainingPassCapture } from "../../lib/demure/_training_pass_capture.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { batch, split, TRAINING_PASS } from "./_one_batch.ts";

await initBackend({ verbose: false });

/** A cache that stores a mask at every visit from the first step. */
function everyVisitCache(model: SequentialRecommender): NoiseMaskCache {
  return new NoiseMaskCache(batch.length, model.numModalities, { warmupSteps: 0, everyVisits: 1 });
}

/**
 * Keeps in `capture` the batch's embeddings with a gradient of ones that overflows at the last
 * position of row 0, which is real and has its id modality present.
 */
function keepOverflowingGradient(model: SequentialRecommender, capture: TrainingPassCapture): void {
  const [embeddings, gradient] = tf.tidy(() => {
    const e = model.embedModalities(
      tf.tensor2d(batch.items, [batch.batchSize, batch.length], "int32"),
    );
    const overflow = tf.buffer(e.shape, "float32");
    overflow.set(Infinity, 0, batch.length - 1, 0, 0);
    return [e, tf.add(tf.onesLike(e), overflow.toTensor()) as tf.Tensor4D];
  });
  capture.keep(0, batch, gradient, embeddings, false);
  tf.dispose([embeddings, gradient]);
}

Deno.test("training pass: a non-finite contribution at a valid pair is an error, not a stored mask", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const capture = new TrainingPassCapture(model, resolveDemureConfig(TRAINING_PASS));
  const cache = everyVisitCache(model);
  keepOverflowingGradient(model, capture);
  await assertRejects(() => capture.storeNext(cache, 0, true), Error, "non-finite");
  assertEquals(capture.captured, 0, "a refused capture is not counted as stored");
  model.dispose();
});

Deno.test("training pass: the non-finite contribution's error names the configured method (gradient_norm)", async () => {
  // The capture reads contributions of the configured method; its refusal must name that method,
  // not the default one, so that a run on gradient_norm is not sent to debug gradient x input.
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const config = resolveDemureConfig({
    ...TRAINING_PASS,
    attribution: { ...resolveDemureConfig(TRAINING_PASS).attribution, method: "gradient_norm" },
  });
  const capture = new TrainingPassCapture(model, config);
  const cache = everyVisitCache(model);
  keepOverflowingGradient(model, capture);
  await assertRejects(
    () => capture.storeNext(cache, 0, true),
    Error,
    "computeContributions(gradient_norm): contribution at flat index",
  );
  model.dispose();
});
