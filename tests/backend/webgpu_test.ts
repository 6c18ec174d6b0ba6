/**
 * The WebGPU backend against the wasm backend: matmul, the gather gradient and a small training
 * step. Runs where Deno's WebGPU offers an adapter (a GPU, or Mesa's lavapipe on CPU-only
 * machines); skipped, with the reason printed, where none does.
 */
import { assert, assertEquals } from "@std/assert";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { tf } from "../../lib/backend/tf.ts";
import { activateWebgpu, probeWebgpu } from "../../lib/backend/webgpu.ts";
import { registerUnsortedSegmentSum } from "../../lib/backend/kernels/unsorted_segment_sum.ts";

const probe = await probeWebgpu();
const ignore = !probe.available;
console.log(
  ignore ? `webgpu tests skipped: ${probe.reason}` : `webgpu tests on adapter ${probe.reason}`,
);
registerUnsortedSegmentSum();

/** Runs `f` on `backend` and returns its outputs as plain arrays (tensors disposed). */
async function on(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (backend === "webgpu") await activateWebgpu();
  else await tf.setBackend(backend);
  const outputs = tf.tidy(f);
  const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outputs);
  return values;
}

function maxRelativeError(x: Float32Array, ref: Float32Array): number {
  assertEquals(x.length, ref.length);
  let worst = 0, scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(x[i] - ref[i]));
  return worst / scale;
}

Deno.test({
  name: "webgpu matMul (all transpose flags, batched) matches wasm",
  ignore,
  fn: async () => {
    const products = () => {
      const a = tf.randomNormal([3, 17, 33], 0, 1, "float32", 1);
      const b = tf.randomNormal([3, 33, 9], 0, 1, "float32", 2);
      return [
        tf.matMul(a, b),
        tf.matMul(tf.transpose(a, [0, 2, 1]), b, true, false),
        tf.matMul(a, tf.transpose(b, [0, 2, 1]), false, true),
        tf.matMul(tf.transpose(a, [0, 2, 1]), tf.transpose(b, [0, 2, 1]), true, true),
      ];
    };
    const reference = await on("wasm", products);
    const gpu = await on("webgpu", products);
    reference.forEach((ref, i) => {
      const error = maxRelativeError(gpu[i], ref);
      assert(error < 1e-5, `product ${i}: relative error ${error}`);
    });
  },
});

Deno.test({
  name: "webgpu gather gradient (duplicate ids) matches wasm",
  ignore,
  fn: async () => {
    const gradient = () => {
      const table = tf.randomNormal([7, 5], 0, 1, "float32", 3);
      const ids = tf.tensor2d([[1, 1, 6], [0, 1, 3]], undefined, "int32");
      const weights = tf.randomNormal([2, 3, 5], 0, 1, "float32", 4);
      const loss = (t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.gather(t, ids)), weights));
      return [tf.grad(loss)(table)];
    };
    const [reference] = await on("wasm", gradient);
    const [gpu] = await on("webgpu", gradient);
    assert(maxRelativeError(gpu, reference) < 1e-5, "gather gradient differs");
    // Rows 2, 4 and 5 are never gathered.
    for (const row of [2, 4, 5]) {
      assertEquals(Array.from(gpu.slice(row * 5, row * 5 + 5)), [0, 0, 0, 0, 0]);
    }
  },
});

Deno.test({
  name: "webgpu: three Adam steps of a small attention model match wasm",
  ignore,
  fn: async () => {
    const train = () => {
      const items = tf.variable(tf.randomNormal([20, 8], 0, 0.5, "float32", 5));
      const kernel = tf.variable(tf.randomNormal([8, 8], 0, 0.5, "float32", 6));
      const ids = tf.tensor2d([[1, 4, 7, 2], [3, 3, 9, 19]], undefined, "int32");
      const targets = tf.oneHot(tf.tensor1d([5, 11], "int32"), 20);
      const optimizer = tf.train.adam(0.05);
      const losses: tf.Tensor[] = [];
      for (let step = 0; step < 3; step++) {
        const loss = optimizer.minimize(() => {
          const x = tf.gather(items, ids); // [batch, position, dim]
          const q = tf.reshape(tf.matMul(tf.reshape(x, [8, 8]), kernel), [2, 4, 8]);
          const mixed = tf.matMul(tf.softmax(tf.matMul(q, x, false, true)), x);
          const last = tf.reshape(tf.slice(mixed, [0, 3, 0], [2, 1, 8]), [2, 8]);
          return tf.losses.softmaxCrossEntropy(targets, tf.matMul(last, items, false, true));
        }, true)!;
        losses.push(loss);
      }
      const result = [tf.stack(losses), items.clone(), kernel.clone()];
      optimizer.dispose();
      tf.dispose([items, kernel]);
      return result;
    };
    const reference = await on("wasm", train);
    const gpu = await on("webgpu", train);
    const names = ["losses", "item table", "kernel"];
    reference.forEach((ref, i) => {
      const error = maxRelativeError(gpu[i], ref);
      assert(error < 1e-4, `${names[i]}: relative error ${error} after 3 Adam steps`);
    });
    assert(gpu[0][2] < gpu[0][0], `loss did not fall: ${Array.from(gpu[0])}`);
  },
});

/** Trains a tiny SASRec on `backend` from a fixed seed; losses per epoch and test metrics. */
async function trainOn(backend: "wasm" | "webgpu") {
  if (backend === "webgpu") await activateWebgpu();
  else await tf.setBackend("wasm");
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  try {
    const result = await trainModel(model, split, { maxEpochs: 2, batchSize: 2, seed: 3 }, {
      onProgress: () => {},
    });
    const test = await evaluateRanking(modelScorer(model), split, { stage: "test" });
    return { losses: result.history.map((h) => h.loss), metrics: test.metrics };
  } finally {
    model.dispose();
    await tf.setBackend("wasm");
  }
}

Deno.test({
  name: "webgpu: trainModel and evaluateRanking run and agree with wasm",
  ignore,
  fn: async () => {
    const reference = await trainOn("wasm");
    const gpu = await trainOn("webgpu");
    gpu.losses.forEach((loss, i) => {
      const ref = reference.losses[i];
      assert(Math.abs(loss - ref) <= 1e-4 * Math.abs(ref), `epoch ${i + 1}: ${loss} vs ${ref}`);
    });
    assertEquals(gpu.metrics, reference.metrics);
  },
});
