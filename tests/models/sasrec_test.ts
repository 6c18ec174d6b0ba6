import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type PackedAttention, SasRec } from "../../lib/models/sasrec.ts";
import { packRows, unpackingOf } from "../../lib/nn/packed_rows.ts";
import { dropout, layerNorm } from "../../lib/nn/layers.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { assertGradientMatches, tinyDataset } from "./_fixtures.ts";

await initBackend({ verbose: false });

/** The packed attention of one sequence of 3 real positions, causal (for a block on its own). */
function oneWindowOfThree(): PackedAttention {
  const layout = packRows([1, 1, 1], 1, 3);
  return {
    shape: [1, 3],
    unpack: unpackingOf(layout.windowSlots),
    rows: tf.tensor1d(layout.windowRows, "int32"),
    bias: tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([1, 1, 3, 3]), -1, 0)), -1e9),
  };
}

/** Layer norm of each row in plain JS, at the initial gain 1 and bias 0 (epsilon 1e-6). */
function layerNormJs(rows: number[][]): number[][] {
  return rows.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    return row.map((v) => (v - mean) / Math.sqrt(variance + 1e-6));
  });
}

/** rows . kernel + bias in plain JS, from the read-back weights. */
function denseJs(rows: number[][], kernel: tf.Tensor, bias: tf.Tensor): number[][] {
  const k = kernel.arraySync() as number[][];
  const b = bias.arraySync() as number[];
  return rows.map((row) => b.map((bj, j) => bj + row.reduce((a, v, i) => a + v * k[i][j], 0)));
}

function batchOf(rows: number[][], valid?: number[][]): SequenceBatch {
  const length = rows[0].length;
  return {
    users: Int32Array.from(rows, (_, i) => i),
    items: Int32Array.from(rows.flat()),
    valid: Float32Array.from(valid ? valid.flat() : rows.flat().map(() => 1)),
    batchSize: rows.length,
    length,
  };
}

Deno.test("SASRec: no information leak, the state at t ignores items after t", () => {
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: 6,
    sasrec: { blocks: 2, heads: 2, dropout: 0.3 },
  });
  const a = model.forward(batchOf([[0, 1, 2, 3, 4, 5]]));
  const b = model.forward(batchOf([[0, 1, 2, 5, 0, 1]])); // positions 3.. changed
  const ha = a.states.arraySync()[0];
  const hb = b.states.arraySync()[0];
  for (let t = 0; t <= 2; t++) {
    for (let c = 0; c < 8; c++) assertAlmostEquals(ha[t][c], hb[t][c], 1e-5, `position ${t}`);
  }
  // ...and the states after the change do differ (so the test can fail).
  assert(Math.abs(ha[4][0] - hb[4][0]) > 1e-4);
  tf.dispose([...Object.values(a), ...Object.values(b)]);
  model.dispose();
});

Deno.test("SASRec: left padding does not change the states of the real items", () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  const short = model.forward(batchOf([[0, 1, 2, 3]]));
  const padded = model.forward(batchOf([[4, 5, 0, 1, 2, 3]], [[0, 0, 1, 1, 1, 1]]));
  const hs = short.states.arraySync()[0];
  const hp = padded.states.arraySync()[0];
  for (let t = 0; t < 4; t++) {
    for (let c = 0; c < 8; c++) assertAlmostEquals(hs[t][c], hp[t + 2][c], 1e-5);
  }
  assert(hp[0].every((v) => v === 0), "padding states are zero");
  tf.dispose([...Object.values(short), ...Object.values(padded)]);
  model.dispose();
});

Deno.test("SASRec block: finite-difference gradient check on the block input", () => {
  const store = new ParameterStore(4);
  const sasrec = new SasRec({ blocks: 1, heads: 2, dropout: 0 }, 4, 3, store);
  const validValues = [[0, 1, 1], [1, 1, 1]];
  const valid = tf.tensor2d(validValues);
  const layout = packRows(validValues.flat(), 2, 3);
  const packed: PackedAttention = {
    shape: [2, layout.window],
    unpack: unpackingOf(layout.windowSlots),
    rows: tf.tensor1d(layout.windowRows, "int32"),
    bias: tf.mul(
      tf.sub(
        1,
        tf.mul(
          tf.linalg.bandPart(tf.ones([3, 3]), -1, 0),
          tf.expandDims(tf.expandDims(valid, 1), 1),
        ),
      ),
      -1e9,
    ),
  };
  const rows = tf.randomNormal([5, 4], 0, 1, "float32", 9); // the 5 real positions
  const rowProbe = tf.randomNormal([5, 4], 0, 1, "float32", 11);
  assertGradientMatches(
    (input) => tf.sum(tf.mul(sasrec.block(input, packed, 0, false, 0), rowProbe)),
    rows,
  );
  // And the whole backbone, through packing, positions and the final norm.
  const x = tf.randomNormal([2, 3, 4], 0, 1, "float32", 9);
  const probe = tf.randomNormal([2, 3, 4], 0, 1, "float32", 10);
  assertGradientMatches(
    (input) => tf.sum(tf.mul(sasrec.userStates(input as tf.Tensor3D, valid, false, 0), probe)),
    x,
  );
  store.dispose();
});

Deno.test("dropout: training with the same seed repeats, another seed differs, eval is deterministic", () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  const batch = batchOf([[0, 1, 2, 3, 4, 5]]);
  const run = (seed: number) =>
    tf.tidy(() => model.forward(batch, { training: true, dropoutSeed: seed }).states.dataSync());
  assertEquals(run(5), run(5));
  assert(run(5).some((v, i) => Math.abs(v - run(6)[i]) > 1e-6));
  model.dispose();
});

Deno.test("SASRec lastStates equals the last row of userStates, and its gradient matches", () => {
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: 6,
    sasrec: { blocks: 2, heads: 2 },
  });
  const batch = batchOf([[4, 5, 0, 1, 2, 3], [0, 0, 0, 2, 3, 1]], [[1, 1, 1, 1, 1, 1], [
    0,
    0,
    0,
    1,
    1,
    1,
  ]]);
  const out = model.forward(batch);
  const valid = tf.tensor2d(batch.valid, [2, 6]);
  const last = model.lastStates(out.fused, valid, false);
  const all = out.states.arraySync();
  const rows = last.arraySync();
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < 8; c++) assertAlmostEquals(rows[b][c], all[b][5][c], 1e-5);
  }
  const probe = tf.randomNormal([2, 8], 0, 1, "float32", 3);
  assertGradientMatches(
    (input) => tf.sum(tf.mul(model.lastStates(input as tf.Tensor3D, valid, false), probe)),
    out.fused,
  );
  tf.dispose([...Object.values(out), valid, last, probe]);
  model.dispose();
});

Deno.test("SASRec lastStates with an empty history in the batch falls back to userStates' last row", () => {
  // Row 1 holds no real item (every column padding): the last-row path has no packed row to
  // gather for it, so lastStates must take the full path, where that row's state is zero.
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: 6,
    sasrec: { blocks: 2, heads: 2 },
  });
  const batch = batchOf([[4, 5, 0, 1, 2, 3], [0, 0, 0, 0, 0, 0]], [
    [1, 1, 1, 1, 1, 1],
    [0, 0, 0, 0, 0, 0],
  ]);
  const out = model.forward(batch);
  const valid = tf.tensor2d(batch.valid, [2, 6]);
  const tensors = tf.memory().numTensors;
  const last = model.lastStates(out.fused, valid, false);
  assertEquals(tf.memory().numTensors, tensors + 1);
  const all = out.states.arraySync();
  const rows = last.arraySync();
  assert(rows[1].every((v) => v === 0), `${rows[1]}`); // -0 counts: padding is zeroed
  for (let c = 0; c < 8; c++) assertAlmostEquals(rows[0][c], all[0][5][c], 1e-5);
  tf.dispose([...Object.values(out), valid, last]);
  model.dispose();
});

Deno.test("SASRec: padding keys are masked for a padded row batched with a full row", () => {
  // A single padded row has its all-padding columns cut away; next to a full row it keeps them,
  // so its queries see the padding keys unless they are masked.
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: 6,
    sasrec: { dropout: 0 },
  });
  const short = model.forward(batchOf([[0, 1, 2, 3]]));
  const mixed = model.forward(
    batchOf([[4, 5, 0, 1, 2, 3], [0, 1, 2, 3, 4, 5]], [[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]]),
  );
  const hs = short.states.arraySync()[0];
  const hm = mixed.states.arraySync()[0];
  for (let t = 0; t < 4; t++) {
    for (let c = 0; c < 8; c++) assertAlmostEquals(hm[t + 2][c], hs[t][c], 1e-5, `position ${t}`);
  }
  tf.dispose([...Object.values(short), ...Object.values(mixed)]);
  model.dispose();
});

Deno.test("SASRec attention equals softmax(Q K^T / sqrt(headDim)) V from the read-back weights", () => {
  const dim = 4; // one head: headDim 4, so sqrt(headDim) = 2 differs from headDim = 4
  const store = new ParameterStore(6);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0 }, dim, 3, store);
  const p = sasrec.parameters.blocks[0];
  // No feed-forward term: block(x) = x + attention(LN(x)) exactly.
  p.out.kernel.assign(tf.zerosLike(p.out.kernel));
  p.out.bias.assign(tf.zerosLike(p.out.bias));
  // Larger logits, so the scale of the logits matters well above the tolerance.
  p.query.kernel.assign(tf.mul(p.query.kernel, 3));
  // Non-zero biases (they start at zero), so that each projection's bias is read too.
  p.query.bias.assign(tf.tensor1d([0.3, -0.2, 0.1, 0.4]));
  p.key.bias.assign(tf.tensor1d([-0.5, 0.2, 0.3, -0.1]));
  p.value.bias.assign(tf.tensor1d([0.2, 0.1, -0.3, 0.5]));
  p.output.bias.assign(tf.tensor1d([0.1, -0.4, 0.2, 0.3]));
  const packed = oneWindowOfThree();
  const x = tf.randomNormal([3, dim], 0, 1, "float32", 12);
  const out = sasrec.block(x, packed, 0, false, 0).arraySync() as number[][];
  // Plain JS from here on: LN(x) with the initial gain 1 and bias 0 (epsilon 1e-6).
  const xs = x.arraySync() as number[][];
  const normed = layerNormJs(xs);
  const q = denseJs(normed, p.query.kernel, p.query.bias);
  const k = denseJs(normed, p.key.kernel, p.key.bias);
  const v = denseJs(normed, p.value.kernel, p.value.bias);
  const attend = (scale: number) => {
    const mixed = q.map((qt, t) => {
      const logits = k.slice(0, t + 1).map((ks) =>
        ks.reduce((a, kc, c) => a + kc * qt[c], 0) / scale
      );
      const top = Math.max(...logits);
      const weights = logits.map((l) => Math.exp(l - top));
      const total = weights.reduce((a, w) => a + w, 0);
      return Array.from(
        { length: dim },
        (_, c) => weights.reduce((a, w, s) => a + (w / total) * v[s][c], 0),
      );
    });
    return denseJs(mixed, p.output.kernel, p.output.bias).map((row, t) =>
      row.map((value, c) => xs[t][c] + value)
    );
  };
  const expected = attend(Math.sqrt(dim));
  const wrongScale = attend(dim);
  // The fixture can tell the two scales apart...
  assert(expected.flat().some((value, i) => Math.abs(value - wrongScale.flat()[i]) > 1e-3));
  // ...and the block uses sqrt(headDim).
  for (let t = 0; t < 3; t++) {
    for (let c = 0; c < dim; c++) assertAlmostEquals(out[t][c], expected[t][c], 1e-5, `${t},${c}`);
  }
  store.dispose();
});

Deno.test("forward: V and T fuse only the modalities an item has (mean over the present ones)", () => {
  // tinyDataset: item 5 lacks text, item 0 lacks genre; their zero rows must not enter the mean.
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  const batch = batchOf([[5, 0, 1]]);
  const out = model.forward(batch);
  const e = out.embeddings.arraySync()[0]; // [position, modality, dim]
  const v = out.fused.arraySync()[0];
  const table = out.itemTable.arraySync();
  const meanOf = (rows: number[][]) =>
    rows[0].map((_, c) => rows.reduce((sum, row) => sum + row[c], 0) / rows.length);
  // Modalities in order: id, text, genre.
  const expected = [meanOf([e[0][0], e[0][2]]), meanOf([e[1][0], e[1][1]]), meanOf(e[2])];
  expected.forEach((want, t) => {
    for (let c = 0; c < 8; c++) {
      assertAlmostEquals(v[t][c], want[c], 1e-5, `V at position ${t}`);
      assertAlmostEquals(table[batch.items[t]][c], want[c], 1e-5, `T of item ${batch.items[t]}`);
    }
  });
  tf.dispose(Object.values(out));
  model.dispose();
});

Deno.test("presenceOf (host) equals presence (device); a batch longer than maxLength is refused", () => {
  const tensors = tf.memory().numTensors;
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  const items = [5, 0, 1, 5, 2, 0];
  const tensor = tf.tensor2d(items, [2, 3], "int32");
  const presence = model.presence(tensor);
  assertEquals(Array.from(model.presenceOf(items)), Array.from(presence.dataSync()));
  // An id past the catalogue, negative or fractional names itself, not "no modality present".
  const rows = tinyDataset().numItems;
  for (const [id, at] of [[rows, 2], [-1, 1], [1.5, 0]] as const) {
    const bad = [1, 2, 3];
    bad[at] = id;
    assertThrows(
      () => model.presenceOf(bad),
      RangeError,
      `presenceOf: item id ${id} at index ${at} is outside the catalogue (ids 0..${
        rows - 1
      } of its ${rows} items)`,
    );
  }
  assertEquals(model.presenceOf([rows - 1]).length, model.numModalities);
  // Seven positions do not fit the six positional rows (the first would read row -1).
  const long = batchOf([[0, 1, 2, 3, 4, 5, 0]]);
  assertThrows(() => model.forward(long), Error, "sequence length 7 exceeds maxLength 6");
  tf.dispose([tensor, presence]);
  model.dispose();
  assertEquals(tf.memory().numTensors, tensors, "dispose frees parameters and constant tables");
});

Deno.test("SASRec feed-forward equals relu(LN(x) W1 + b1) W2 + b2 from the read-back weights", () => {
  const dim = 4;
  const store = new ParameterStore(7);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0, feedForwardDim: 6 }, dim, 3, store);
  const p = sasrec.parameters.blocks[0];
  // No attention term: block(x) = x + FFN(LN(x)) exactly (the feed-forward norm's gain 1, bias 0).
  p.output.kernel.assign(tf.zerosLike(p.output.kernel));
  p.output.bias.assign(tf.zerosLike(p.output.bias));
  // Non-zero feed-forward biases (they start at zero), so that both are read too.
  p.hidden.bias.assign(tf.tensor1d([0.2, -0.1, 0.3, -0.2, 0.1, 0.4]));
  p.out.bias.assign(tf.tensor1d([0.3, -0.2, 0.1, -0.4]));
  const packed = oneWindowOfThree();
  const x = tf.randomNormal([3, dim], 0, 1, "float32", 13);
  const out = sasrec.block(x, packed, 0, false, 0).arraySync() as number[][];
  const xs = x.arraySync() as number[][];
  const normed = layerNormJs(xs);
  const hidden = denseJs(normed, p.hidden.kernel, p.hidden.bias);
  // Some hidden units are negative, so the activation's treatment of them is observable.
  assert(hidden.flat().some((h) => h < -0.1));
  const relu = hidden.map((row) => row.map((h) => Math.max(0, h)));
  const expected = denseJs(relu, p.out.kernel, p.out.bias).map((row, t) =>
    row.map((value, c) => xs[t][c] + value)
  );
  for (let t = 0; t < 3; t++) {
    for (let c = 0; c < dim; c++) assertAlmostEquals(out[t][c], expected[t][c], 1e-5, `${t},${c}`);
  }
  tf.dispose(Object.values(packed));
  x.dispose();
  store.dispose();
});

Deno.test("SASRec block: the feed-forward output is dropped by its own layer's mask, not the attention's", () => {
  const dim = 4;
  const store = new ParameterStore(7);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0.5 }, dim, 3, store);
  const p = sasrec.parameters.blocks[0];
  // No attention term, so block(x) = x + Dropout_2(FFN(LN(x))): only the feed-forward's mask shows.
  p.output.kernel.assign(tf.zerosLike(p.output.kernel));
  p.output.bias.assign(tf.zerosLike(p.output.bias));
  const packed = oneWindowOfThree();
  const seed = 11;
  const x = tf.randomNormal([3, dim], 0, 1, "float32", 13);
  const values = tf.tidy(() => {
    const feedForward = tf.sub(sasrec.block(x, packed, 0, false, seed), x);
    // Block 0 owns layers 1 (attention output) and 2 (feed-forward output); layer 0 is the input's.
    const withLayer = (layer: number) =>
      tf.add(x, dropout(feedForward, 0.5, true, seed, layer)).arraySync() as number[][];
    return {
      trained: sasrec.block(x, packed, 0, true, seed).arraySync() as number[][],
      own: withLayer(2),
      attentions: withLayer(1),
    };
  });
  const close = (a: number[][], b: number[][]) =>
    a.every((row, t) => row.every((v, c) => Math.abs(v - b[t][c]) < 1e-5));
  assert(close(values.trained, values.own), "the feed-forward output uses dropout layer 2");
  // The two layers' masks differ here, so a block that reused layer 1 would fail above.
  assert(!close(values.own, values.attentions), "layers 1 and 2 draw other masks");
  tf.dispose(Object.values(packed));
  x.dispose();
  store.dispose();
});

Deno.test("scoreLast: the state at the last position times the item table", () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 6 });
  const batch = batchOf([[4, 5, 0, 1, 2, 3], [0, 0, 0, 2, 3, 1]], [[1, 1, 1, 1, 1, 1], [
    0,
    0,
    0,
    1,
    1,
    1,
  ]]);
  const out = model.forward(batch);
  const states = out.states.arraySync();
  const table = out.itemTable.arraySync();
  const scores = model.scoreLast(batch).arraySync();
  for (let b = 0; b < 2; b++) {
    const last = states[b][5];
    for (let item = 0; item < 6; item++) {
      const expected = last.reduce((a, h, c) => a + h * table[item][c], 0);
      assertAlmostEquals(scores[b][item], expected, 1e-5, `row ${b}, item ${item}`);
    }
  }
  tf.dispose(Object.values(out));
  model.dispose();
});

Deno.test("SASRec: a batch with no real item gives zero states, all of them and the last", () => {
  // Nothing to pack: the blocks must not run on zero rows; every state is padding, so zero.
  const store = new ParameterStore(3);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0 }, 4, 5, store);
  const fused = tf.randomNormal([2, 3, 4], 0, 1, "float32", 1) as tf.Tensor3D;
  const valid = tf.zeros([2, 3]) as tf.Tensor2D;
  const states = sasrec.userStates(fused, valid, false, 0);
  const last = sasrec.lastStates(fused, valid, false, 0);
  assertEquals(states.shape, [2, 3, 4]);
  assertEquals(last.shape, [2, 4]);
  assert((states.dataSync() as Float32Array).every((v) => v === 0));
  assert((last.dataSync() as Float32Array).every((v) => v === 0));
  tf.dispose([fused, valid, states, last]);
  store.dispose();
});

Deno.test("SasRec: heads that do not divide dim are refused by the constructor, naming both", () => {
  // Built on its own (not through ModelConfig), it would split dim into heads of a fractional width.
  const store = new ParameterStore(0);
  assertThrows(
    () => new SasRec({ blocks: 1, heads: 3, dropout: 0 }, 8, 5, store),
    Error,
    "SasRecConfig.heads=3 must divide dim=8",
  );
  store.dispose();
});

Deno.test("SasRec: a packing made for another batch shape is refused, naming both shapes", () => {
  const store = new ParameterStore(0);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0 }, 4, 5, store);
  const fused = tf.zeros([1, 3, 4]) as tf.Tensor3D;
  const valid = tf.ones([1, 3]) as tf.Tensor2D;
  for (const packing of [packRows([1, 1, 1, 1], 1, 4), packRows([1, 1, 1, 1, 1, 1], 2, 3)]) {
    for (
      const run of [
        () => sasrec.userStates(fused, valid, false, 0, packing),
        () => sasrec.lastStates(fused, valid, false, 0, packing),
      ]
    ) {
      assertThrows(
        run,
        Error,
        `SasRec: packing is for [${packing.batch}, ${packing.length}], input is [1, 3]`,
      );
    }
  }
  tf.dispose([fused, valid]);
  store.dispose();
});

Deno.test("SasRec with no blocks: lastStates is the last row of userStates (the final norm alone)", () => {
  // The last-row path runs its last block on one row per sequence: with no block there is none to
  // run, so it must take the full path.
  const store = new ParameterStore(1);
  const sasrec = new SasRec({ blocks: 0, heads: 1, dropout: 0 }, 4, 5, store);
  const fused = tf.randomNormal([2, 3, 4], 0, 1, "float32", 2) as tf.Tensor3D;
  const valid = tf.tensor2d([[0, 1, 1], [1, 1, 1]]);
  const states = sasrec.userStates(fused, valid, false, 0);
  const last = sasrec.lastStates(fused, valid, false, 0);
  const all = states.arraySync();
  const rows = last.arraySync();
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < 4; c++) assertAlmostEquals(rows[b][c], all[b][2][c], 1e-6);
  }
  tf.dispose([fused, valid, states, last]);
  store.dispose();
});

Deno.test("SasRec: feedForwardDim sets the feed-forward width; the default is dim", () => {
  const store = new ParameterStore(0);
  const wide = new SasRec({ blocks: 1, heads: 1, dropout: 0, feedForwardDim: 6 }, 4, 5, store);
  assertEquals(wide.parameters.blocks[0].hidden.kernel.shape, [4, 6]);
  assertEquals(wide.parameters.blocks[0].out.kernel.shape, [6, 4]);
  const other = new ParameterStore(0);
  const plain = new SasRec({ blocks: 1, heads: 1, dropout: 0 }, 4, 5, other);
  assertEquals(plain.parameters.blocks[0].hidden.kernel.shape, [4, 4]);
  store.dispose();
  other.dispose();
});

Deno.test("SASRec: the input (item + position) is dropped by dropout layer 0, not a block's", () => {
  // With no block, the states are LN(Dropout_0(item + position row)): the input's mask is layer
  // 0's; block 0's attention owns layer 1 (a shared mask would tie the two).
  const store = new ParameterStore(2);
  const [batch, length, dim, maxLength] = [2, 3, 4, 5];
  const sasrec = new SasRec({ blocks: 0, heads: 1, dropout: 0.5 }, dim, maxLength, store);
  const fused = tf.randomNormal([batch, length, dim], 0, 1, "float32", 4) as tf.Tensor3D;
  const valid = tf.ones([batch, length]) as tf.Tensor2D;
  const states = sasrec.userStates(fused, valid, true, 11);
  const expected = tf.tidy(() => {
    // Every position real: the packed rows are the [batch * length] rows in order.
    const rows = tf.tile(
      tf.slice(sasrec.parameters.positions, [maxLength - length, 0], [length, dim]),
      [batch, 1],
    );
    const x = dropout(tf.add(tf.reshape(fused, [batch * length, dim]), rows), 0.5, true, 11, 0);
    const { gain, bias } = sasrec.parameters.finalNorm;
    return tf.reshape(layerNorm(x, gain, bias), [batch, length, dim]);
  });
  const got = states.dataSync();
  const want = expected.dataSync();
  for (let i = 0; i < want.length; i++) assertAlmostEquals(got[i], want[i], 1e-5, `at ${i}`);
  tf.dispose([fused, valid, states, expected]);
  store.dispose();
});

Deno.test("SASRec block: the feed-forward layer norm uses its own gain and bias (by hand)", () => {
  // Attention zeroed (output kernel and bias 0) and identity feed-forward kernels, zero biases:
  //   block(x) = x + relu(g_ff * LN(x) + b_ff).
  // The feed-forward norm is g_ff = 2, b_ff = 0.5; the attention norm another (3, -1), so a block
  // that normalised before its feed-forward layer with the attention norm's parameters differs.
  //   x = (1, -1, 1, -1): LN = x, 2 LN + 0.5 = (2.5, -1.5, 2.5, -1.5), relu -> (2.5, 0, 2.5, 0),
  //     block = (3.5, -1, 3.5, -1)   [attention norm's: 3 LN - 1 = (2, -4, 2, -4) -> (3, -1, 3, -1)]
  //   x = (2, 0, 2, 0): LN = (1, -1, 1, -1) as well, block = (4.5, 0, 4.5, 0)
  //   x = (0, 0, 0, 4): mean 1, variance 3, LN = (-1, -1, -1, 3) / sqrt(3); the first three
  //     units go negative and relu cuts them; the last is 4 + 2 * sqrt(3) + 0.5 = 7.9641.
  const dim = 4;
  const store = new ParameterStore(8);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0 }, dim, 3, store);
  const p = sasrec.parameters.blocks[0];
  const identity = tf.eye(dim);
  p.output.kernel.assign(tf.zerosLike(p.output.kernel));
  p.output.bias.assign(tf.zerosLike(p.output.bias));
  p.hidden.kernel.assign(identity);
  p.out.kernel.assign(identity);
  p.attentionNorm.gain.assign(tf.fill([dim], 3));
  p.attentionNorm.bias.assign(tf.fill([dim], -1));
  p.feedForwardNorm.gain.assign(tf.fill([dim], 2));
  p.feedForwardNorm.bias.assign(tf.fill([dim], 0.5));
  const packed = oneWindowOfThree();
  const x = tf.tensor2d([[1, -1, 1, -1], [2, 0, 2, 0], [0, 0, 0, 4]]);
  const out = sasrec.block(x, packed, 0, false, 0).arraySync() as number[][];
  const expected = [[3.5, -1, 3.5, -1], [4.5, 0, 4.5, 0], [0, 0, 0, 4.5 + 2 * Math.sqrt(3)]];
  for (let t = 0; t < 3; t++) {
    for (let c = 0; c < dim; c++) assertAlmostEquals(out[t][c], expected[t][c], 1e-5, `${t},${c}`);
  }
  tf.dispose([identity, x, ...Object.values(packed)]);
  store.dispose();
});

Deno.test("SASRec: the final layer norm is its own (gain and bias), on every state and the last (by hand)", () => {
  // One block made the identity (attention output and feed-forward output projections zeroed),
  // positional rows zeroed: states = g_final * LN(item row) + b_final at real positions, 0 at padding.
  // Final norm g = 2, b = 0.5; the block's two norms are others (5, -2), so a final norm that read
  // a block's parameters differs. Rows (1, -1, 1, -1) and (2, 0, 2, 0) both have LN = (1, -1, 1, -1):
  //   state = (2.5, -1.5, 2.5, -1.5)   [a block norm's: (3, -7, 3, -7)].
  const dim = 4;
  const store = new ParameterStore(9);
  const sasrec = new SasRec({ blocks: 1, heads: 2, dropout: 0 }, dim, 3, store);
  const p = sasrec.parameters.blocks[0];
  for (const dense of [p.output, p.out]) {
    dense.kernel.assign(tf.zerosLike(dense.kernel));
    dense.bias.assign(tf.zerosLike(dense.bias));
  }
  for (const norm of [p.attentionNorm, p.feedForwardNorm]) {
    norm.gain.assign(tf.fill([dim], 5));
    norm.bias.assign(tf.fill([dim], -2));
  }
  sasrec.parameters.positions.assign(tf.zerosLike(sasrec.parameters.positions));
  sasrec.parameters.finalNorm.gain.assign(tf.fill([dim], 2));
  sasrec.parameters.finalNorm.bias.assign(tf.fill([dim], 0.5));
  const a = [1, -1, 1, -1];
  const b = [2, 0, 2, 0];
  const fused = tf.tensor3d([[b, a, b], [a, b, a]]);
  const valid = tf.tensor2d([[0, 1, 1], [1, 1, 1]]);
  const states = sasrec.userStates(fused, valid, false, 0).arraySync();
  const last = sasrec.lastStates(fused, valid, false, 0).arraySync();
  const want = [2.5, -1.5, 2.5, -1.5];
  for (let c = 0; c < dim; c++) {
    assertEquals(Math.abs(states[0][0][c]), 0, "padding state"); // -0 counts as zero
    for (const [row, t] of [[0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]) {
      assertAlmostEquals(states[row][t][c], want[c], 1e-5, `state ${row},${t},${c}`);
    }
    for (const row of [0, 1]) assertAlmostEquals(last[row][c], want[c], 1e-5, `last ${row},${c}`);
  }
  tf.dispose([fused, valid]);
  store.dispose();
});

Deno.test("SASRec lastStates equals userStates' last row with every bias non-zero (2 heads, 2 blocks)", () => {
  // The biases start at zero, so a path that dropped one (the last-row path computes its own
  // query projection) matched the full path at initialisation; here each bias is non-zero.
  const dim = 4;
  const store = new ParameterStore(10);
  const sasrec = new SasRec({ blocks: 2, heads: 2, dropout: 0 }, dim, 4, store);
  sasrec.parameters.blocks.forEach((p, b) => {
    [p.query, p.key, p.value, p.output, p.hidden, p.out].forEach((dense, k) => {
      dense.bias.assign(tf.randomUniform([dim], -0.5, 0.5, "float32", 100 * b + k));
    });
  });
  const fused = tf.randomNormal([2, 4, dim], 0, 1, "float32", 14) as tf.Tensor3D;
  const valid = tf.tensor2d([[0, 1, 1, 1], [1, 1, 1, 1]]);
  const all = sasrec.userStates(fused, valid, false, 0).arraySync();
  const last = sasrec.lastStates(fused, valid, false, 0).arraySync();
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < dim; c++) assertAlmostEquals(last[b][c], all[b][3][c], 1e-5, `${b},${c}`);
  }
  tf.dispose([fused, valid]);
  store.dispose();
});

Deno.test("SASRec at inference applies no dropout, even at rate 0.5 (by hand)", () => {
  // Block made the identity (attention output and feed-forward output projections zeroed),
  // positional rows zeroed, final norm at gain 1, bias 0: every real state is LN(item row), and
  // rows (1, -1, 1, -1) and (2, 0, 2, 0) both normalise to (1, -1, 1, -1). A dropped input unit
  // (zeroed, the others doubled) would move it; in training it does move.
  const dim = 4;
  const store = new ParameterStore(11);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0.5 }, dim, 3, store);
  const p = sasrec.parameters.blocks[0];
  for (const dense of [p.output, p.out]) {
    dense.kernel.assign(tf.zerosLike(dense.kernel));
    dense.bias.assign(tf.zerosLike(dense.bias));
  }
  sasrec.parameters.positions.assign(tf.zerosLike(sasrec.parameters.positions));
  const a = [1, -1, 1, -1];
  const b = [2, 0, 2, 0];
  const fused = tf.tensor3d([[b, a, b], [a, b, a]]);
  const valid = tf.tensor2d([[0, 1, 1], [1, 1, 1]]);
  const want = [1, -1, 1, -1];
  const real = [[0, 1], [0, 2], [1, 0], [1, 1], [1, 2]];
  const inference = sasrec.userStates(fused, valid, false, 3).arraySync();
  for (const [row, t] of real) {
    for (let c = 0; c < dim; c++) assertAlmostEquals(inference[row][t][c], want[c], 1e-5);
  }
  const last = sasrec.lastStates(fused, valid, false, 3).arraySync();
  for (const row of [0, 1]) {
    for (let c = 0; c < dim; c++) assertAlmostEquals(last[row][c], want[c], 1e-5);
  }
  const trained = sasrec.userStates(fused, valid, true, 3).arraySync();
  assert(
    real.some(([row, t]) => trained[row][t].some((v, c) => Math.abs(v - want[c]) > 1e-2)),
    "the fixture can tell: training at rate 0.5 moves some state",
  );
  tf.dispose([fused, valid]);
  store.dispose();
});

Deno.test("SASRec initialisation: position rows N(0, 1/d), block biases 0, norms gain 1 and bias 0", () => {
  // The records of results-of-record/ and the PyTorch twin (scripts/bench_pytorch.py) start from
  // positions of std 1/sqrt(d); 50 x 64 = 3200 draws put the sample std within a few percent of
  // 1/8 (std 1/d would be 1/64). Biases start at 0, layer norms at gain 1 and bias 0.
  const [dim, maxLength] = [64, 50];
  const store = new ParameterStore(12);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0 }, dim, maxLength, store);
  const values = Array.from(sasrec.parameters.positions.dataSync());
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  assert(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert(Math.abs(std - 1 / 8) < 0.1 / 8, `std ${std}, want 1/sqrt(64) = 0.125`);
  const p = sasrec.parameters.blocks[0];
  for (const dense of [p.query, p.key, p.value, p.output, p.hidden, p.out]) {
    assert(dense.bias.dataSync().every((v) => v === 0));
  }
  for (const norm of [p.attentionNorm, p.feedForwardNorm, sasrec.parameters.finalNorm]) {
    assert(
      norm.gain.dataSync().every((v) => v === 1) && norm.bias.dataSync().every((v) => v === 0),
    );
  }
  store.dispose();
});

Deno.test("SASRec block 1 drops its attention output with layer 3 and its feed-forward output with layer 4", () => {
  // Block b owns dropout layers 1 + 2b and 2 + 2b: for block 1, 3 and 4. A numbering of 1 + b and
  // 2 + b would give block 1's attention block 0's feed-forward mask (2), or its feed-forward
  // its own attention's mask (3): one mask shared by two layers.
  const dim = 4;
  const store = new ParameterStore(13);
  const sasrec = new SasRec({ blocks: 2, heads: 1, dropout: 0.5 }, dim, 3, store);
  const p = sasrec.parameters.blocks[1];
  const packed = oneWindowOfThree();
  const seed = 17;
  const x = tf.randomNormal([3, dim], 0, 1, "float32", 15);
  const close = (a: number[][], b: number[][]) =>
    a.every((row, t) => row.every((v, c) => Math.abs(v - b[t][c]) < 1e-5));
  // Only one term at a time: zero the other's output projection; the block is then
  // x + Dropout_layer(term), and the term itself is the inference block minus x.
  const check = (
    zeroed: { kernel: tf.Variable; bias: tf.Variable },
    own: number,
    other: number,
  ) => {
    const saved = [zeroed.kernel.clone(), zeroed.bias.clone()];
    zeroed.kernel.assign(tf.zerosLike(zeroed.kernel));
    zeroed.bias.assign(tf.zerosLike(zeroed.bias));
    const values = tf.tidy(() => {
      const term = tf.sub(sasrec.block(x, packed, 1, false, seed), x);
      const withLayer = (layer: number) =>
        tf.add(x, dropout(term, 0.5, true, seed, layer)).arraySync() as number[][];
      return {
        trained: sasrec.block(x, packed, 1, true, seed).arraySync() as number[][],
        own: withLayer(own),
        other: withLayer(other),
      };
    });
    zeroed.kernel.assign(saved[0]);
    zeroed.bias.assign(saved[1]);
    tf.dispose(saved);
    assert(close(values.trained, values.own), `block 1 uses dropout layer ${own}`);
    assert(!close(values.own, values.other), `layers ${own} and ${other} draw other masks`);
  };
  check(p.out, 3, 2); // attention term alone: layer 3, not block 0's feed-forward layer 2
  check(p.output, 4, 3); // feed-forward term alone: layer 4, not its attention's layer 3
  tf.dispose([x, ...Object.values(packed)]);
  store.dispose();
});
