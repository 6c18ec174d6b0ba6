/**
 * The training pass's capture stores a window's next mask only from the step it kept and only
 * when that step was applied, and it frees the kept contributions in every case: a step that
 * failed after its gradient was kept is freed by the next keep.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import { NoiseMaskCache } from "../../lib/demure/noise_mask.ts";
import { TrainingPassCapture } from "../../lib/demure/_training_pass_capture.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { batch, split, TRAINING_PASS } from "./_one_batch.ts";

await initBackend({ verbose: false });

/** A capture, an empty cache for the batch, and E with a gradient of ones (made apart). */
function setup() {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const capture = new TrainingPassCapture(model, resolveDemureConfig(TRAINING_PASS));
  const cache = new NoiseMaskCache(batch.length, model.numModalities, {
    warmupSteps: 0,
    everyVisits: Number.MAX_SAFE_INTEGER,
  });
  const embeddings = tf.tidy(() =>
    model.embedModalities(tf.tensor2d(batch.items, [batch.batchSize, batch.length], "int32"))
  );
  const gradient = tf.onesLike(embeddings);
  const dispose = () => {
    tf.dispose([embeddings, gradient]);
    model.dispose();
  };
  return { capture, cache, embeddings, gradient, dispose };
}

Deno.test("training pass: storeNext stores the kept step's mask only when that step was applied", async () => {
  const { capture, cache, embeddings, gradient, dispose } = setup();
  const before = tf.memory().numTensors;
  // A step that was not applied (skipped: non-finite) leaves no mask.
  capture.keep(1, batch, gradient, embeddings, true);
  await capture.storeNext(cache, 1, false);
  // Contributions kept at step 1 are not step 2's.
  capture.keep(1, batch, gradient, embeddings, true);
  await capture.storeNext(cache, 2, true);
  assertEquals([capture.captured, cache.stats().users], [0, 0]);
  // The kept step, applied: its mask is stored for every row of the batch.
  capture.keep(3, batch, gradient, embeddings, true);
  await capture.storeNext(cache, 3, true);
  assertEquals([capture.captured, cache.stats().users], [1, batch.batchSize]);
  assertEquals(tf.memory().numTensors, before, "every kept tensor freed");
  dispose();
});

Deno.test("training pass: a second keep before the step's end frees the first", async () => {
  const { capture, embeddings, gradient, dispose } = setup();
  const before = tf.memory().numTensors;
  capture.keep(1, batch, gradient, embeddings, true);
  capture.keep(2, batch, gradient, embeddings, false);
  assertEquals(tf.memory().numTensors, before + 1, "only the last step's contributions are kept");
  await capture.storeNext(undefined, 2, true);
  assertEquals(tf.memory().numTensors, before);
  dispose();
});

Deno.test("training pass: a second storeNext of the same step finds nothing kept", async () => {
  const { capture, cache, embeddings, gradient, dispose } = setup();
  capture.keep(1, batch, gradient, embeddings, true);
  await capture.storeNext(cache, 1, true);
  // The contributions were freed: a second call must not read them again.
  await capture.storeNext(cache, 1, true);
  assertEquals(capture.captured, 1);
  dispose();
});
