/**
 * The WebGPU backend against the wasm backend: matmul, the gather gradient and a small training
 * step. Runs where Deno's WebGPU offers an adapter (a GPU, or Mesa's lavapipe on CPU-only
 * machines); skipped, with the reason printed, where none does.
 *
 * A child's program: webgpu_test.ts runs it with `deno test` in a process of its own, and no test
 * imports it. `probeWebgpu` (and `activateWebgpu`, through it) sets DENO_WEBGPU_BACKEND and
 * XDG_RUNTIME_DIR for wgpu and keeps them, and `deno test --parallel` runs every test module in
 * one process: in there, every program another test starts afterwards would inherit them.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { attributionQuality } from "../../lib/experiments/attribution_quality.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
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

/**
 * A tiny synthetic benchmark (planted points of interest), small enough for the software adapter:
 * 32 users, 40 items, 8 interactions each, 4 content modalities of dimension 4 (+ id).
 */
const synthetic = generateSynthetic({
  seed: 11,
  numUsers: 32,
  numItems: 40,
  historyLength: 8,
  modalities: ["image", "text", "audio", "tags"].map((name) => ({ name, dim: 4 })),
});
const syntheticSplit = leaveOneOutSplit(synthetic.dataset, { maxLength: 8 });

/** What one backend produces from the same seed. */
interface RunOutcome {
  losses: number[];
  validation: number[];
  test: Record<string, number>;
  attributionRocAuc?: number;
}

/**
 * Trains a tiny SASRec (or Demure-SASRec) for 2 epochs of 4 steps on `backend`, evaluates it on
 * test and, for Demure, scores the gradient x input attribution against the planted truth.
 */
async function trainOn(backend: "wasm" | "webgpu", demure: boolean): Promise<RunOutcome> {
  if (backend === "webgpu") await activateWebgpu();
  else await tf.setBackend("wasm");
  const model = new SequentialRecommender(syntheticSplit.dataset, {
    dim: 8,
    maxLength: 8,
    seed: 1,
    sasrec: { blocks: 1, heads: 1, dropout: 0.2 },
  });
  try {
    const hooks = demure ? demureHooks(model, { warmupSteps: 2, everyVisits: 2 }).hooks : {};
    const result = await trainModel(model, syntheticSplit, {
      maxEpochs: 2,
      batchSize: 8,
      seed: 3,
      optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 0.01 },
    }, { ...hooks, onProgress: () => {} });
    const test = await evaluateRanking(modelScorer(model), syntheticSplit, { stage: "test" });
    const outcome: RunOutcome = {
      losses: result.history.map((h) => h.loss),
      validation: result.history.map((h) => h.validation?.["NDCG@10"] ?? NaN),
      test: test.metrics,
    };
    if (demure) {
      const [quality] = await attributionQuality(
        model,
        syntheticSplit,
        synthetic.truth,
        ["gradient_x_input"],
        32,
        32,
      );
      outcome.attributionRocAuc = quality.rocAuc;
    }
    return outcome;
  } finally {
    model.dispose();
    await tf.setBackend("wasm");
  }
}

/** Relative tolerance of the epoch losses (float32 sums in another order, 8 Adam steps). */
const LOSS_TOLERANCE = 1e-3;
/** Absolute tolerance of the ranking metrics (a near-tie may swap two neighbouring ranks). */
const METRIC_TOLERANCE = 1e-6;
/** Absolute tolerance of the attribution ROC-AUC (issue 17). */
const AUC_TOLERANCE = 0.02;

function assertAgree(gpu: RunOutcome, reference: RunOutcome, label: string): void {
  console.log(
    `${label}: webgpu ${JSON.stringify(gpu)}\n${label}: wasm   ${JSON.stringify(reference)}`,
  );
  // The same epochs on both (a run that stopped early would be compared on the epochs it has),
  // and a test metric to compare (the loop over the reference's metrics checks nothing if empty).
  assertEquals(gpu.losses.length, reference.losses.length, `${label} epochs`);
  assertEquals(gpu.validation.length, reference.validation.length, `${label} validations`);
  assert("NDCG@10" in reference.test, `${label}: no test NDCG@10`);
  gpu.losses.forEach((loss, i) => {
    const ref = reference.losses[i];
    const error = Math.abs(loss - ref) / Math.abs(ref);
    assert(
      error <= LOSS_TOLERANCE,
      `${label} epoch ${i + 1} loss ${loss} vs ${ref} (rel ${error})`,
    );
  });
  gpu.validation.forEach((ndcg, i) => {
    const ref = reference.validation[i];
    assert(Math.abs(ndcg - ref) <= METRIC_TOLERANCE, `${label} epoch ${i + 1} valid NDCG@10`);
  });
  for (const [name, value] of Object.entries(reference.test)) {
    const error = Math.abs(gpu.test[name] - value);
    assert(error <= METRIC_TOLERANCE, `${label} test ${name}: ${gpu.test[name]} vs ${value}`);
  }
  if (reference.attributionRocAuc !== undefined) {
    const error = Math.abs(gpu.attributionRocAuc! - reference.attributionRocAuc);
    assert(error <= AUC_TOLERANCE, `${label} attribution ROC-AUC differs by ${error}`);
  }
}

Deno.test({
  name: "webgpu: SASRec and Demure-SASRec train, evaluate and attribute like wasm from one seed",
  ignore,
  fn: async () => {
    for (const demure of [false, true]) {
      const label = demure ? "Demure-SASRec" : "SASRec";
      const reference = await trainOn("wasm", demure);
      const gpu = await trainOn("webgpu", demure);
      assertAgree(gpu, reference, label);
      // The runs must have learnt something, or agreement would say little.
      assert(reference.losses[1] < reference.losses[0], `${label}: loss did not fall`);
    }
  },
});

Deno.test({
  name: "webgpu: the same seed gives the same losses, metrics and attribution, to the bit",
  ignore,
  fn: async () => {
    // The ordered sums make this hold on a GPU (docs/gpu.md); on the software adapter it would
    // hold with the stock kernels too, so here it checks the route, not the atomics.
    assertEquals(await trainOn("webgpu", true), await trainOn("webgpu", true));
  },
});

Deno.test("DEMURE_BACKEND=webgpu without an adapter: one line saying so and what to use instead", async () => {
  const results = Deno.makeTempDirSync();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/reproduce.ts", "--quick", "--results", `${results}/quick`],
      env: {
        DEMURE_BACKEND: "webgpu",
        // Only Vulkan, and no Vulkan driver: what a machine without a GPU or lavapipe sees.
        DENO_WEBGPU_BACKEND: "vulkan",
        VK_ICD_FILENAMES: "/nonexistent/icd.json",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr).trim();
    assertEquals(output.code, 1);
    assertEquals(stderr.split("\n").length, 1, stderr);
    assertStringIncludes(stderr, "DEMURE_BACKEND=webgpu: no WebGPU adapter");
    // The probe's reason: what is missing, and the backends that were asked for.
    assertStringIncludes(stderr, "(navigator.gpu.requestAdapter() returned null");
    assertStringIncludes(stderr, "DENO_WEBGPU_BACKEND=vulkan)");
    assertStringIncludes(stderr, "use DEMURE_BACKEND=wasm");
  } finally {
    Deno.removeSync(results, { recursive: true });
  }
});
