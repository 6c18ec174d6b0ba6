/**
 * The training pass's capture stores a window's next mask only from the step it kept and only
 * when that step was applied, and it frees the kept contributions in every case: a step that
 * failed after its gradient was kept is freed by the next keep.
 */
import { assert, assertAlmostEquals, assertEquals, assertNotEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributionOfContributions } from "../../lib/attribution/attribute.ts";
import { DEFAULT_ATTRIBUTION_CONFIG, type PairShape } from "../../lib/attribution/types.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { noiseAttributionConfig, resolveDemureConfig } from "../../lib/demure/config.ts";
import { historyKeys, validMaskOf } from "../../lib/demure/_batch_pairs.ts";
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

Deno.test("training pass: a batch of fewer rows than positions is attributed per row, [batch, position, modality]", async () => {
  // The one-batch fixture is square (4 rows of 4 positions): a shape with the two swapped
  // normalised and selected over the wrong blocks there unseen.
  const [three] = trainingBatches(split, 0, { batchSize: 3, seed: 3, shuffle: false });
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  // rho 0.9, far from the default fraction: a capture that ignored rho would select fewer.
  const config = resolveDemureConfig({ ...TRAINING_PASS, rho: 0.9 });
  const capture = new TrainingPassCapture(model, config);
  const cache = new NoiseMaskCache(three.length, model.numModalities, {
    warmupSteps: 0,
    everyVisits: Number.MAX_SAFE_INTEGER,
  });
  const shape: PairShape = [three.batchSize, three.length, model.numModalities];
  assertNotEquals(shape[0], shape[1]);
  const embeddings = tf.tidy(() =>
    model.embedModalities(tf.tensor2d(three.items, [three.batchSize, three.length], "int32"))
  );
  const gradient = tf.onesLike(embeddings);
  // Gradient x input of a gradient of ones: -(1 . e) per pair, 0 at invalid pairs.
  const valid = validMaskOf(model, three);
  const values = tf.tidy(() => tf.neg(tf.sum(embeddings, -1))).dataSync() as Float32Array;
  values.forEach((_, i) => values[i] = valid[i] ? values[i] : 0);
  const expected = attributionOfContributions(values, valid, shape, noiseAttributionConfig(config));
  const atDefault = attributionOfContributions(values, valid, shape, DEFAULT_ATTRIBUTION_CONFIG);
  assertNotEquals(Array.from(expected.noiseMask), Array.from(atDefault.noiseMask));
  capture.keep(1, three, gradient, embeddings, true);
  await capture.storeNext(cache, 1, true);
  const stored = cache.lookup(historyKeys(three), three.items);
  assertEquals(Array.from(stored.noiseMask), Array.from(expected.noiseMask));
  expected.normalised.forEach((z, i) => {
    if (Number.isNaN(z)) assert(Number.isNaN(stored.scores[i]), `score ${i}`);
    else assertAlmostEquals(stored.scores[i], z, 1e-5, `score ${i}`);
  });
  tf.dispose([embeddings, gradient]);
  model.dispose();
});

Deno.test("training pass: an averaged visit's mask is selected from the averaged scores, not from the newest visit's", async () => {
  // trainingPassSmoothing 0.3: the second visit blends its scores with the stored ones; the mask
  // stored beside them must be the bottom rho of that blend (the scores keep_one and the next
  // visit read), not the newest visit's own selection.
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const config = resolveDemureConfig({ ...TRAINING_PASS, trainingPassSmoothing: 0.3 });
  const attributionConfig = noiseAttributionConfig(config);
  const capture = new TrainingPassCapture(model, config);
  const cache = new NoiseMaskCache(batch.length, model.numModalities, {
    warmupSteps: 0,
    everyVisits: Number.MAX_SAFE_INTEGER,
  });
  const embeddings = tf.tidy(() =>
    model.embedModalities(tf.tensor2d(batch.items, [batch.batchSize, batch.length], "int32"))
  );
  const ones = tf.onesLike(embeddings);
  const other = tf.randomNormal(embeddings.shape, 0, 1, "float32", 7) as tf.Tensor4D;
  capture.keep(1, batch, ones, embeddings, true);
  await capture.storeNext(cache, 1, true);
  capture.keep(2, batch, other, embeddings, false);
  await capture.storeNext(cache, 2, true);
  const stored = cache.lookup(historyKeys(batch), batch.items);
  const valid = validMaskOf(model, batch);
  const shape: PairShape = [batch.batchSize, batch.length, model.numModalities];
  const ofStored = attributionOfContributions(
    stored.scores.map((z, i) => valid[i] ? z : 0),
    valid,
    shape,
    attributionConfig,
  );
  assertEquals(Array.from(stored.noiseMask), Array.from(ofStored.noiseMask));
  // The fixture tells the two apart: the newest visit alone selects another mask.
  const newest = tf.tidy(() => tf.neg(tf.sum(tf.mul(other, embeddings), -1))).dataSync();
  const newestValues = Float32Array.from(newest, (c, i) => valid[i] ? c : 0);
  const ownMask = attributionOfContributions(newestValues, valid, shape, attributionConfig);
  assertNotEquals(Array.from(ownMask.noiseMask), Array.from(stored.noiseMask));
  tf.dispose([embeddings, ones, other]);
  model.dispose();
});

Deno.test("training pass: a step that was not applied leaves nothing kept for a later storeNext", async () => {
  // The skipped step's contributions are freed at once: were they still referenced, a later
  // storeNext of that step would read freed memory or store the skipped step's mask.
  const { capture, cache, embeddings, gradient, dispose } = setup();
  capture.keep(1, batch, gradient, embeddings, true);
  await capture.storeNext(cache, 1, false);
  await capture.storeNext(cache, 1, true);
  assertEquals([capture.captured, cache.stats().users], [0, 0]);
  dispose();
});
