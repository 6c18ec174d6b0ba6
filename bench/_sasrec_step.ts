/**
 * A stand-alone SASRec training step written with plain tf ops, the workload of issue 7:
 * 2 pre-norm blocks, 1 head, d=64, L=50, B=256, 5,000 items, dropout 0.2, cross-entropy over all
 * items at the last position (tied item embeddings), Adam. It mirrors lib/models/sasrec.ts and
 * scripts/bench_pytorch.py line by line so the three can be compared.
 *
 * @example
 * ```ts
 * const step = createSasRecStep({ ...DEFAULT_SASREC_STEP_CONFIG, batch: 8 });
 * const loss = step.run(); // one Adam update, returns the loss
 * step.dispose();
 * ```
 */
import { tf } from "../lib/backend/tf.ts";
import { createRng } from "../lib/util/random.ts";
import { seededDropout } from "../lib/backend/kernels/dropout.ts";
import { layerNorm as fusedLayerNorm } from "../lib/backend/kernels/layer_norm.ts";

/** Configuration of {@linkcode createSasRecStep}. */
export interface SasRecStepConfig {
  /** Sequences per step. Default 256. */
  batch: number;
  /** Positions per sequence (left padded). Default 50. */
  length: number;
  /** Embedding width. Default 64. */
  dim: number;
  /** Items (ids 1..items; 0 is padding). Default 5000. */
  items: number;
  /** Transformer blocks. Default 2. */
  blocks: number;
  /** Dropout rate (embeddings, attention output, feed-forward output). Default 0.2. */
  dropout: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate: number;
  /** Seed of the synthetic batch, the initial weights and the dropout masks. Default 1. */
  seed: number;
  /** Dropout masks from `tf.dropout` ("tfjs") or mulberry32 ("seeded", fast). Default "seeded". */
  dropoutMask: "tfjs" | "seeded";
  /** Layer norm as tf ops ("composite") or the fused kernels ("fused"). Default "fused". */
  layerNorm: "composite" | "fused";
}

/** Defaults of {@linkcode SasRecStepConfig}. */
export const DEFAULT_SASREC_STEP_CONFIG: SasRecStepConfig = {
  batch: 256,
  length: 50,
  dim: 64,
  items: 5000,
  blocks: 2,
  dropout: 0.2,
  learningRate: 1e-3,
  seed: 1,
  dropoutMask: "seeded",
  layerNorm: "fused",
};

/** A prepared step: fixed synthetic batch, live weights and optimizer state. */
export interface SasRecStep {
  config: SasRecStepConfig;
  /** One forward, backward and Adam update; returns the loss. */
  run(): number;
  dispose(): void;
}

/**
 * Multiply-adds x2 of the matrix products of one step (forward + backward = 3x forward).
 *
 * @example
 * ```ts
 * sasRecStepFlops(DEFAULT_SASREC_STEP_CONFIG); // 5_249_531_904 (5.25 GFLOP)
 * ```
 */
export function sasRecStepFlops(c: SasRecStepConfig): number {
  const rows = c.batch * c.length;
  const projections = 6 * 2 * rows * c.dim * c.dim; // query, key, value, output, hidden, out
  const attention = 2 * 2 * c.batch * c.length * c.length * c.dim; // scores and mixing
  const scoring = 2 * c.batch * c.dim * (c.items + 1);
  return 3 * (c.blocks * (projections + attention) + scoring);
}

const MASKED_LOGIT = -1e9;
/** Variable names are global in tfjs: each step instance gets its own prefix. */
let instances = 0;

/** Synthetic histories: random lengths 5..L, left padded with 0, ids in 1..items. */
function syntheticBatch(c: SasRecStepConfig) {
  const rng = createRng(c.seed);
  const ids = new Int32Array(c.batch * c.length);
  const targets = new Int32Array(c.batch);
  for (let u = 0; u < c.batch; u++) {
    const used = 5 + rng.int(c.length - 4);
    for (let t = c.length - used; t < c.length; t++) ids[u * c.length + t] = 1 + rng.int(c.items);
    targets[u] = 1 + rng.int(c.items);
  }
  return { ids, targets };
}

function compositeLayerNorm(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-6))), gain), bias);
}

function dense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const [inDim, outDim] = kernel.shape;
  const y = tf.add(tf.matMul(tf.reshape(x, [-1, inDim]), kernel), bias);
  return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
}

/**
 * Builds the step: weights (seeded Glorot/normal), a fixed synthetic batch and an Adam optimizer.
 *
 * @example
 * ```ts
 * const step = createSasRecStep(DEFAULT_SASREC_STEP_CONFIG);
 * for (let i = 0; i < 3; i++) console.log(step.run());
 * step.dispose();
 * ```
 */
export function createSasRecStep(config: SasRecStepConfig): SasRecStep {
  const c = config;
  const rng = createRng(c.seed + 1);
  const prefix = `sasrec_step${instances++}/`;
  const weights = new Map<string, tf.Variable>();
  const normal = (name: string, shape: number[], std: number) => {
    const values = Float32Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      () => rng.normal() * std,
    );
    weights.set(name, tf.variable(tf.tensor(values, shape), true, prefix + name));
  };
  const constant = (name: string, shape: number[], value: number) =>
    weights.set(name, tf.variable(tf.fill(shape, value), true, prefix + name));
  const glorot = (name: string, shape: number[]) =>
    normal(name, shape, Math.sqrt(2 / (shape[0] + shape[1])));
  normal("items", [c.items + 1, c.dim], 1 / Math.sqrt(c.dim));
  normal("positions", [c.length, c.dim], 1 / Math.sqrt(c.dim));
  for (let b = 0; b < c.blocks; b++) {
    for (const part of ["attention_norm", "feed_forward_norm"]) {
      constant(`block${b}/${part}_gain`, [c.dim], 1);
      constant(`block${b}/${part}_bias`, [c.dim], 0);
    }
    for (const part of ["query", "key", "value", "output", "hidden", "out"]) {
      glorot(`block${b}/${part}_kernel`, [c.dim, c.dim]);
      constant(`block${b}/${part}_bias`, [c.dim], 0);
    }
  }
  constant("final_norm_gain", [c.dim], 1);
  constant("final_norm_bias", [c.dim], 0);
  const w = (name: string) => weights.get(name)!;

  const batch = syntheticBatch(c);
  const ids = tf.tensor2d(batch.ids, [c.batch, c.length], "int32");
  const targets = tf.oneHot(tf.tensor1d(batch.targets, "int32"), c.items + 1);
  const valid = tf.cast(tf.notEqual(ids, 0), "float32"); // [batch, position]
  const keep = tf.expandDims(valid, -1); // [batch, position, 1]
  const causal = tf.linalg.bandPart(tf.ones([c.length, c.length]), -1, 0);
  const allowed = tf.mul(causal, tf.expandDims(valid, 1)); // [batch, query, key]
  const attentionBias = tf.mul(tf.sub(1, allowed), MASKED_LOGIT);
  const optimizer = tf.train.adam(c.learningRate);
  const layerNorm = c.layerNorm === "fused" ? fusedLayerNorm : compositeLayerNorm;
  let stepIndex = 0;

  const drop = (x: tf.Tensor, seed: number) =>
    c.dropoutMask === "seeded"
      ? seededDropout(x, c.dropout, seed)
      : (c.dropout > 0 ? tf.dropout(x, c.dropout, undefined, seed) : x);

  const block = (x: tf.Tensor, b: number, seed: number) => {
    const p = `block${b}`;
    const normed = layerNorm(x, w(`${p}/attention_norm_gain`), w(`${p}/attention_norm_bias`));
    const query = dense(normed, w(`${p}/query_kernel`), w(`${p}/query_bias`));
    const key = dense(normed, w(`${p}/key_kernel`), w(`${p}/key_bias`));
    const value = dense(normed, w(`${p}/value_kernel`), w(`${p}/value_bias`));
    const scores = tf.add(
      tf.div(tf.matMul(query, key, false, true), Math.sqrt(c.dim)),
      attentionBias,
    );
    const mixed = tf.matMul(tf.softmax(scores), value); // [batch, position, dim]
    const attended = dense(mixed, w(`${p}/output_kernel`), w(`${p}/output_bias`));
    const y = tf.mul(tf.add(x, drop(attended, seed)), keep);
    const normed2 = layerNorm(
      y,
      w(`${p}/feed_forward_norm_gain`),
      w(`${p}/feed_forward_norm_bias`),
    );
    const hidden = tf.relu(dense(normed2, w(`${p}/hidden_kernel`), w(`${p}/hidden_bias`)));
    const out = dense(hidden, w(`${p}/out_kernel`), w(`${p}/out_bias`));
    return tf.mul(tf.add(y, drop(out, seed + 1)), keep);
  };

  const loss = (seed: number): tf.Scalar => {
    const embedded = tf.mul(tf.gather(w("items"), ids), Math.sqrt(c.dim));
    let x = tf.mul(drop(tf.add(embedded, w("positions")), seed), keep);
    for (let b = 0; b < c.blocks; b++) x = block(x, b, seed + 1 + 2 * b);
    const states = layerNorm(x, w("final_norm_gain"), w("final_norm_bias"));
    const last = tf.reshape(tf.slice(states, [0, c.length - 1, 0], [c.batch, 1, c.dim]), [
      c.batch,
      c.dim,
    ]);
    const logits = tf.matMul(last, w("items"), false, true); // [batch, items + 1]
    return tf.losses.softmaxCrossEntropy(targets, logits);
  };

  return {
    config: c,
    run() {
      const seed = c.seed * 1000 + 10 * stepIndex++;
      const value = optimizer.minimize(() => loss(seed), true);
      const result = value!.dataSync()[0];
      value!.dispose();
      return result;
    },
    dispose() {
      optimizer.dispose();
      tf.dispose([...weights.values(), ids, targets, valid, keep, causal, allowed, attentionBias]);
    },
  };
}
