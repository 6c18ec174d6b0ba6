/**
 * BestWeights keeps its copy after restoring it: the run's end restores it, and it is freed only
 * by dispose. Found by mutation round KE (session 46).
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import type { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { BestWeights } from "../../lib/train/_best_weights.ts";

await initBackend({ verbose: false });

Deno.test("best weights: restoreInto keeps the copy, so a second restore assigns it again", () => {
  // KE13: a restore that freed the copy left a later restore (or keep's dispose) with freed
  // tensors; the copy is the owner's until dispose.
  const store = new ParameterStore(0);
  store.constant("w", [2], 1);
  const model = { parameters: store } as unknown as SequentialRecommender;
  const set = (values: number[]) => tf.tidy(() => store.get("w").assign(tf.tensor1d(values)));
  const tensors = tf.memory().numTensors;
  const best = new BestWeights();
  set([2, 3]);
  best.keep(model);
  set([4, 5]);
  best.restoreInto(model);
  assertEquals(tf.memory().numTensors, tensors + 1, "the copy is still held after a restore");
  set([6, 7]);
  best.restoreInto(model);
  assertEquals(Array.from(store.get("w").dataSync()), [2, 3]);
  best.dispose();
  assertEquals(tf.memory().numTensors, tensors);
  store.dispose();
});
