/**
 * Layers hold typed handles to their parameters; the names stay the checkpoint format. The names
 * and their order (the checkpoint's and Adam's order) are pinned here, so a change of either fails
 * before it breaks the committed checkpoints; each handle is the store's variable of its name.
 * The store's initialisers draw from the ranges their names promise.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ModalityFusion } from "../../lib/encoders/fusion.ts";
import { Gru4Rec } from "../../lib/models/gru4rec.ts";
import { SasRec } from "../../lib/models/sasrec.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { createRng } from "../../lib/util/random.ts";

await initBackend({ verbose: false });

Deno.test("SASRec: handles are the store's variables, names and order unchanged", () => {
  const store = new ParameterStore(0);
  const sasrec = new SasRec({ blocks: 2, heads: 1, dropout: 0 }, 4, 3, store);
  const block = (b: number) =>
    [
      "attention_norm_gain",
      "attention_norm_bias",
      "feed_forward_norm_gain",
      "feed_forward_norm_bias",
      "query_kernel",
      "query_bias",
      "key_kernel",
      "key_bias",
      "value_kernel",
      "value_bias",
      "output_kernel",
      "output_bias",
      "hidden_kernel",
      "hidden_bias",
      "out_kernel",
      "out_bias",
    ].map((part) => `sasrec/block${b}/${part}`);
  assertEquals(store.names(), [
    "sasrec/positions",
    ...block(0),
    ...block(1),
    "sasrec/final_norm_gain",
    "sasrec/final_norm_bias",
  ]);
  const { positions, blocks, finalNorm } = sasrec.parameters;
  assert(positions === store.get("sasrec/positions"));
  assert(blocks[1].query.kernel === store.get("sasrec/block1/query_kernel"));
  assert(blocks[1].out.bias === store.get("sasrec/block1/out_bias"));
  assert(blocks[0].feedForwardNorm.gain === store.get("sasrec/block0/feed_forward_norm_gain"));
  assert(finalNorm.bias === store.get("sasrec/final_norm_bias"));
  assertEquals(blocks[0].hidden.kernel.shape, [4, 4]);
  store.dispose();
});

Deno.test("GRU4Rec and fusion: handles are the store's variables, names and order unchanged", () => {
  const store = new ParameterStore(0);
  const fusion = new ModalityFusion({ kind: "gated", projection: true, layerNorm: true }, 4, store);
  const gru = new Gru4Rec({ dropout: 0 }, 4, store);
  assertEquals(store.names(), [
    "fusion/gate_kernel",
    "fusion/gate_bias",
    "fusion/projection_kernel",
    "fusion/projection_bias",
    "fusion/norm_gain",
    "fusion/norm_bias",
    "gru4rec/input_kernel",
    "gru4rec/recurrent_kernel",
    "gru4rec/bias",
  ]);
  assert(fusion.parameters.gate?.kernel === store.get("fusion/gate_kernel"));
  assert(fusion.parameters.norm?.gain === store.get("fusion/norm_gain"));
  assert(gru.parameters.recurrentKernel === store.get("gru4rec/recurrent_kernel"));
  assertEquals(gru.parameters.bias.shape, [12]);
  const plain = new ModalityFusion({ kind: "mean", projection: false, layerNorm: false }, 4, store);
  assertEquals(plain.parameters, { gate: undefined, projection: undefined, norm: undefined });
  store.dispose();
});

Deno.test("initialisation: Glorot-uniform within +-sqrt(6 / (in + out)), normal with the asked std", () => {
  const store = new ParameterStore(3);
  // 64 x 192: limit sqrt(6 / 256) = 0.153; of 12288 uniform draws the largest |v| is within
  // 0.1 % of the limit, so 0.98 x limit tells the limit apart from sqrt(3 / 256) = 0.108.
  const limit = Math.sqrt(6 / (64 + 192));
  const kernel = Array.from(store.glorot("kernel", [64, 192]).dataSync());
  const largest = Math.max(...kernel.map(Math.abs));
  assert(
    largest <= limit * (1 + 1e-6) && largest > 0.98 * limit,
    `largest |v| ${largest}, limit ${limit}`,
  );
  // N(0, 0.05^2) over 12288 draws: the sample std is 0.05 within about 1 %.
  const values = Array.from(store.normal("table", [64, 192], 0.05).dataSync());
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  assert(Math.abs(std - 0.05) < 0.002 && Math.abs(mean) < 0.002, `mean ${mean}, std ${std}`);
  store.dispose();
});

Deno.test("every initialiser makes a trainable variable", () => {
  // tf.variableGrads gives a variable that is not trainable no gradient (null, even when it is
  // in the list passed), and a training step passes over a parameter without a gradient: it
  // would silently keep its initial value.
  const store = new ParameterStore(0);
  store.normal("table", [2, 2], 0.1);
  store.glorot("kernel", [2, 2]);
  store.constant("scale", [2], 1);
  assertEquals(store.variables().map((v) => v.trainable), [true, true, true]);
  store.dispose();
});

Deno.test("assign: a tensor of the right size but another shape is refused, naming the parameter", () => {
  const store = new ParameterStore(0);
  store.glorot("proj/kernel", [2, 3]);
  // [3, 2] holds as many values as [2, 3]: a transposed kernel from another checkpoint would load
  // silently, reshaped, if only the size were compared.
  const transposed = tf.zeros([3, 2]);
  const error = assertThrows(() => store.assign(new Map([["proj/kernel", transposed]])));
  assert(error instanceof Error && error.message.includes('"proj/kernel"'), `${error}`);
  assert(store.get("proj/kernel").dataSync().some((v) => v !== 0), "nothing assigned");
  // A name the store does not have (another model's checkpoint) is refused too, not ignored.
  const kernel = tf.zeros([2, 3]);
  const extra = tf.zeros([1]);
  assertThrows(
    () => store.assign(new Map([["proj/kernel", kernel], ["proj/scale", extra]])),
    Error,
    'unknown parameter "proj/scale"',
  );
  assert(store.get("proj/kernel").dataSync().some((v) => v !== 0), "nothing assigned");
  // Weights lacking one parameter are refused by its name before any other is assigned.
  store.constant("proj/scale", [1], 1);
  const error2 = assertThrows(() => store.assign(new Map([["proj/kernel", kernel]])), Error);
  assertEquals(error2.message, 'weights lack parameter "proj/scale"');
  assert(store.get("proj/kernel").dataSync().some((v) => v !== 0), "nothing assigned");
  tf.dispose([kernel, extra]);
  transposed.dispose();
  store.dispose();
});

Deno.test("snapshot holds copies; a name made twice leaves no tensor; dispose empties the store", () => {
  const store = new ParameterStore(0);
  const kernel = store.glorot("proj/kernel", [2, 3]);
  const before = tf.memory().numTensors;
  assertThrows(() => store.constant("proj/kernel", [2, 3], 0), Error, "created twice");
  assertEquals(tf.memory().numTensors, before, "the refused initial value is freed");
  const snapshot = store.snapshot();
  const values = Array.from(kernel.dataSync());
  const zeros = tf.zeros([2, 3]);
  kernel.assign(zeros);
  zeros.dispose();
  assertEquals(
    Array.from(snapshot.get("proj/kernel")!.dataSync()),
    values,
    "a copy, not the variable",
  );
  tf.dispose([...snapshot.values()]);
  assertEquals(Array.from(store.get("proj/kernel").dataSync()), [0, 0, 0, 0, 0, 0]);
  store.dispose();
  assertEquals([store.names(), store.size()], [[], 0]);
  assertEquals(tf.memory().numTensors, before - 1);
});

Deno.test("size counts every scalar of every parameter; an unknown name is refused naming it", () => {
  const store = new ParameterStore(0);
  store.dense("proj", [3, 4]);
  store.normal("table", [2, 5, 2], 0.1);
  // [3, 4] kernel + [4] bias + [2, 5, 2] table: all scalars, not the first axis of each.
  assertEquals(store.size(), 12 + 4 + 20);
  const error = assertThrows(() => store.get("proj/kernel"), Error);
  assertEquals(error.message, 'ParameterStore: no parameter named "proj/kernel"');
  store.dispose();
});

Deno.test("the store's initialisers draw in turn from one createRng(seed) stream", () => {
  // The stream is the contract of every stored run: the same seed must give the same weights,
  // drawn normal() by normal() and then next() by next(), in creation order.
  const store = new ParameterStore(9);
  const table = Array.from(store.normal("table", [2, 2], 0.5).dataSync());
  const kernel = Array.from(store.glorot("kernel", [1, 2]).dataSync());
  const rng = createRng(9);
  const expectedTable = Array.from(Float32Array.from({ length: 4 }, () => rng.normal() * 0.5));
  const limit = Math.sqrt(6 / 3);
  const expectedKernel = Array.from(
    Float32Array.from({ length: 2 }, () => (2 * rng.next() - 1) * limit),
  );
  assertEquals([table, kernel], [expectedTable, expectedKernel]);
  store.dispose();
});

Deno.test("assign sets every parameter to its value, not only the first", () => {
  const store = new ParameterStore(0);
  store.glorot("proj/kernel", [2, 2]);
  store.constant("proj/bias", [2], 0);
  const values = new Map([["proj/kernel", tf.fill([2, 2], 3)], ["proj/bias", tf.tensor1d([4, 5])]]);
  store.assign(values);
  assertEquals(Array.from(store.get("proj/kernel").dataSync()), [3, 3, 3, 3]);
  assertEquals(Array.from(store.get("proj/bias").dataSync()), [4, 5]);
  tf.dispose([...values.values()]);
  store.dispose();
});
