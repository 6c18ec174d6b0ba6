import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type PackedAttention, SasRec } from "../../lib/models/sasrec.ts";
import { packRows, unpackingOf } from "../../lib/nn/packed_rows.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { assertGradientMatches, tinyDataset } from "./_fixtures.ts";

await initBackend({ verbose: false });

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
