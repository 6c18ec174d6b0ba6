import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { Gru4Rec } from "../../lib/models/gru4rec.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { dropout } from "../../lib/nn/layers.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { assertGradientMatches, tinyDataset } from "./_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("GRU4Rec: gradients reach every input position and match finite differences", () => {
  const store = new ParameterStore(2);
  const gru = new Gru4Rec({ dropout: 0 }, 3, store);
  const valid = tf.tensor2d([[0, 1, 1, 1]]);
  const x = tf.randomNormal([1, 4, 3], 0, 1, "float32", 3);
  const lastState = (input: tf.Tensor) =>
    tf.sum(
      tf.slice(gru.userStates(input as tf.Tensor3D, valid, false, 0), [0, 3, 0], [1, 1, 3]),
    ) as tf.Scalar;
  assertGradientMatches(lastState, x);
  const gradient = (tf.grad(lastState)(x) as tf.Tensor3D).arraySync()[0];
  assertEquals(gradient[0], [0, 0, 0]); // padding never enters the state
  for (let t = 1; t < 4; t++) assert(gradient[t].some((g) => Math.abs(g) > 1e-6), `position ${t}`);
  // Causality: changing the last input leaves earlier states unchanged.
  const states = gru.userStates(x as tf.Tensor3D, valid, false, 0).arraySync()[0];
  const changed = tf.concat([tf.slice(x, [0, 0, 0], [1, 3, 3]), tf.ones([1, 1, 3])], 1);
  const statesChanged = gru.userStates(changed as tf.Tensor3D, valid, false, 0).arraySync()[0];
  for (let c = 0; c < 3; c++) assertAlmostEquals(states[2][c], statesChanged[2][c], 1e-6);
  store.dispose();
});

Deno.test("GRU4Rec: a padding position inside a row carries the state over and outputs zero", () => {
  // The library left-pads (state 0 until the first item), so only padding after a real item
  // shows the carry-over the module documents: [a, pad, b, c] reads as [a, b, c].
  const store = new ParameterStore(7);
  const gru = new Gru4Rec({ dropout: 0 }, 3, store);
  const [padded, plain] = tf.tidy(() => {
    const x = tf.randomNormal([1, 4, 3], 0, 1, "float32", 4) as tf.Tensor3D;
    const withPad = gru.userStates(x, tf.tensor2d([[1, 0, 1, 1]]), false, 0);
    const without = tf.gather(x, [0, 2, 3], 1) as tf.Tensor3D;
    const withoutPad = gru.userStates(without, tf.tensor2d([[1, 1, 1]]), false, 0);
    return [withPad.arraySync()[0], withoutPad.arraySync()[0]];
  });
  assertEquals(padded[1].map(Math.abs), [0, 0, 0]); // -0 where a negative state is masked
  for (const [t, u] of [[0, 0], [2, 1], [3, 2]]) {
    for (let c = 0; c < 3; c++) assertAlmostEquals(padded[t][c], plain[u][c], 1e-6);
  }
  assert(plain[0].some((v) => Math.abs(v) > 1e-3), "the state after a is not 0");
  store.dispose();
});

Deno.test("GRU4Rec: states equal a plain-JS GRU (update, reset, candidate) on the read-back weights", () => {
  const d = 2;
  const store = new ParameterStore(5);
  const gru = new Gru4Rec({ dropout: 0 }, d, store);
  const { inputKernel, recurrentKernel, bias } = gru.parameters;
  // A non-zero bias, so that every gate's bias slot is checked too.
  bias.assign(tf.tensor1d([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]));
  const W = inputKernel.arraySync() as number[][]; // [d, 3d], gates stacked [update | reset | candidate]
  const U = recurrentKernel.arraySync() as number[][];
  const b = Array.from(bias.dataSync());
  const inputs = [[1.5, -0.7], [-1.2, 0.9], [0.4, 2.0]];
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  // column `c` of (v . M) for a [d, 3d] matrix M
  const project = (v: number[], M: number[][], c: number) =>
    v.reduce((sum, vi, i) => sum + vi * M[i][c], 0);
  let h = [0, 0];
  const expected: number[][] = [];
  for (const x of inputs) {
    const z = h.map((_, j) => sigmoid(project(x, W, j) + b[j] + project(h, U, j)));
    const r = h.map((_, j) => sigmoid(project(x, W, d + j) + b[d + j] + project(h, U, d + j)));
    const rh = h.map((hj, j) => r[j] * hj);
    const n = h.map((_, j) =>
      Math.tanh(project(x, W, 2 * d + j) + b[2 * d + j] + project(rh, U, 2 * d + j))
    );
    h = h.map((hj, j) => (1 - z[j]) * hj + z[j] * n[j]);
    expected.push(h);
  }
  const states = gru.userStates(tf.tensor3d([inputs]), tf.tensor2d([[1, 1, 1]]), false, 0)
    .arraySync()[0];
  for (let t = 0; t < inputs.length; t++) {
    for (let j = 0; j < d; j++) {
      assertAlmostEquals(states[t][j], expected[t][j], 1e-5, `position ${t}, unit ${j}`);
    }
  }
  store.dispose();
});

Deno.test("a GRU4Rec model's lastStates is the last row of its userStates", () => {
  // GRU4Rec has no cheaper last-row path: the model slices the full states, at the last position.
  const model = new SequentialRecommender(tinyDataset(), {
    backbone: "gru4rec",
    dim: 4,
    maxLength: 5,
  });
  const fused = tf.randomNormal([2, 5, 4], 0, 1, "float32", 7) as tf.Tensor3D;
  const valid = tf.tensor2d([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]]);
  const all = model.userStates(fused, valid, false);
  const last = model.lastStates(fused, valid, false);
  const states = all.arraySync();
  const rows = last.arraySync();
  assertEquals(last.shape, [2, 4]);
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < 4; c++) assertAlmostEquals(rows[b][c], states[b][4][c], 1e-6);
  }
  // The last row differs from the first (else the check above could not see a wrong slice).
  assert(rows[1].some((v, c) => Math.abs(v - states[1][0][c]) > 1e-3));
  tf.dispose([fused, valid, all, last]);
  model.dispose();
});

Deno.test("GRU4Rec dropout: layer 0 on the inputs, layer 1 on the states, drawn apart", () => {
  const store = new ParameterStore(5);
  const gru = new Gru4Rec({ dropout: 0.5 }, 4, store);
  const fused = tf.randomNormal([2, 5, 4], 0, 1, "float32", 8) as tf.Tensor3D;
  const valid = tf.tensor2d([[0, 1, 1, 1, 1], [1, 1, 1, 1, 1]]);
  const seed = 21;
  // The training pass is the inference pass on the dropped-out inputs, its states dropped out by
  // layer 1's own mask: inputs and states have one shape, and one shared mask would drop the same
  // units on both sides of the recurrence.
  const trained = gru.userStates(fused, valid, true, seed).arraySync();
  const want = tf.tidy(() => {
    const inputs = dropout(fused, 0.5, true, seed, 0) as tf.Tensor3D;
    const states = gru.userStates(inputs, valid, false, seed);
    return tf.mul(dropout(states, 0.5, true, seed, 1), tf.expandDims(valid, -1)).arraySync();
  }) as number[][][];
  for (let b = 0; b < 2; b++) {
    for (let t = 0; t < 5; t++) {
      for (let c = 0; c < 4; c++) assertAlmostEquals(trained[b][t][c], want[b][t][c], 1e-6);
    }
  }
  tf.dispose([fused, valid]);
  store.dispose();
});

Deno.test("GRU4Rec initialisation: the bias starts at zero, the kernels Glorot-uniform", () => {
  // The records of results-of-record/ were trained from this start: a non-zero bias (e.g. a
  // forget-style gate bias) would change every GRU4Rec number while every shape test still passed.
  const store = new ParameterStore(5);
  const gru = new Gru4Rec({ dropout: 0 }, 4, store);
  const { inputKernel, recurrentKernel, bias } = gru.parameters;
  assertEquals(Array.from(bias.dataSync()), new Array(12).fill(0));
  const limit = Math.sqrt(6 / (4 + 12));
  for (const kernel of [inputKernel, recurrentKernel]) {
    const values = Array.from(kernel.dataSync());
    assert(values.every((v) => Math.abs(v) <= limit) && values.some((v) => v !== 0));
  }
  store.dispose();
});
