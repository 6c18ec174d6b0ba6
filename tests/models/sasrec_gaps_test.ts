/**
 * SASRec edge cases a third mutation pass (round LC) found unpinned: the training path of
 * `userStates` and `lastStates` composed by hand (every block gets the step's seed; the last-row
 * path drops its input and its last block too), the causal mask on the shortest windows, and the
 * tensors each call leaves behind (exactly its result).
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type PackedAttention, SasRec } from "../../lib/models/sasrec.ts";
import { packRows, unpackingOf } from "../../lib/nn/packed_rows.ts";
import { dropout, layerNorm } from "../../lib/nn/layers.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";

await initBackend({ verbose: false });

/** The causal packed attention of `batch` full rows of `length` (every position real). */
function fullRows(batch: number, length: number): PackedAttention {
  const layout = packRows(new Array(batch * length).fill(1), batch, length);
  return {
    shape: [batch, length],
    unpack: unpackingOf(layout.windowSlots),
    rows: tf.tensor1d(layout.windowRows, "int32"),
    bias: tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([batch, 1, length, length]), -1, 0)), -1e9),
  };
}

const near = (got: ArrayLike<number>, want: ArrayLike<number>, label: string) => {
  assertEquals(got.length, want.length, label);
  for (let i = 0; i < want.length; i++) assertAlmostEquals(got[i], want[i], 1e-5, `${label} ${i}`);
};

Deno.test("SASRec in training, by hand: input layer 0, then every block with the step's seed; lastStates too", () => {
  // userStates = LN_final(block_1(block_0(Dropout_0(item + position)))), both blocks given the
  // same step seed (each block picks its own layers from it), and lastStates the same with the
  // last block run on the last row only: its input and its last block are dropped as well (the
  // contrastive views and CL4SRec train through it), not run as at inference.
  const [batch, length, dim, seed] = [2, 3, 4, 21];
  const store = new ParameterStore(5);
  const sasrec = new SasRec({ blocks: 2, heads: 2, dropout: 0.5 }, dim, length, store);
  const fused = tf.randomNormal([batch, length, dim], 0, 1, "float32", 6) as tf.Tensor3D;
  const valid = tf.ones([batch, length]) as tf.Tensor2D;
  const packed = fullRows(batch, length);
  const lastRows = tf.tensor1d([length - 1, 2 * length - 1], "int32");
  const { gain, bias } = sasrec.parameters.finalNorm;
  const [wantAll, wantLast, inferenceLast] = tf.tidy(() => {
    const rows = tf.tile(sasrec.parameters.positions, [batch, 1]); // offset 0: maxLength = length
    const input = tf.add(tf.reshape(fused, [batch * length, dim]), rows);
    const x = sasrec.block(dropout(input, 0.5, true, seed, 0), packed, 0, true, seed);
    const all = layerNorm(sasrec.block(x, packed, 1, true, seed), gain, bias);
    const last = layerNorm(sasrec.block(x, packed, 1, true, seed, lastRows), gain, bias);
    const plain = sasrec.block(
      sasrec.block(input, packed, 0, false, seed),
      packed,
      1,
      false,
      seed,
      lastRows,
    );
    return [all.dataSync(), last.dataSync(), layerNorm(plain, gain, bias).dataSync()];
  });
  const states = sasrec.userStates(fused, valid, true, seed);
  const last = sasrec.lastStates(fused, valid, true, seed);
  near(states.dataSync(), wantAll, "userStates");
  near(last.dataSync(), wantLast, "lastStates");
  const inference = sasrec.lastStates(fused, valid, false, seed);
  near(inference.dataSync(), inferenceLast, "lastStates at inference");
  assert(
    Array.from(wantLast).some((v, i) => Math.abs(v - inferenceLast[i]) > 1e-3),
    "the fixture can tell: training moves the last states",
  );
  tf.dispose([fused, valid, lastRows, states, last, inference, ...Object.values(packed)]);
  store.dispose();
});

Deno.test("SASRec: no information leak on the shortest windows (2 positions, and 2 real after padding)", () => {
  // The state at t must not read items after t whatever the attention window's width: a full row
  // of 2, and a row of 3 whose first column is padding in every row (window cut to 2).
  const store = new ParameterStore(8);
  const sasrec = new SasRec({ blocks: 2, heads: 1, dropout: 0 }, 4, 4, store);
  for (const validRows of [[[1, 1]], [[0, 1, 1], [0, 1, 1]]]) {
    const [batch, length] = [validRows.length, validRows[0].length];
    const valid = tf.tensor2d(validRows);
    const a = tf.randomNormal([batch, length, 4], 0, 1, "float32", 1) as tf.Tensor3D;
    // Only the last position changes (not by a constant: the layer norms would cancel it).
    const change = tf.concat([
      tf.zeros([batch, length - 1, 4]),
      tf.randomNormal([batch, 1, 4], 0, 1, "float32", 2),
    ], 1);
    const b = tf.add(a, change) as tf.Tensor3D;
    const ha = sasrec.userStates(a, valid, false, 0).arraySync();
    const hb = sasrec.userStates(b, valid, false, 0).arraySync();
    for (let row = 0; row < batch; row++) {
      for (let c = 0; c < 4; c++) {
        const t = length - 2; // the first real position
        assertAlmostEquals(ha[row][t][c], hb[row][t][c], 1e-6, `width ${length}, row ${row}`);
      }
      assert(ha[row][length - 1].some((v, c) => Math.abs(v - hb[row][length - 1][c]) > 1e-4));
    }
    tf.dispose([valid, a, change, b]);
  }
  store.dispose();
});

Deno.test("SASRec: userStates and lastStates leave exactly their result behind, also with no real item", () => {
  const store = new ParameterStore(9);
  const sasrec = new SasRec({ blocks: 2, heads: 2, dropout: 0.3 }, 4, 5, store);
  const fused = tf.randomNormal([2, 3, 4], 0, 1, "float32", 2) as tf.Tensor3D;
  for (const rows of [[[0, 1, 1], [1, 1, 1]], [[0, 0, 1], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]) {
    const valid = tf.tensor2d(rows);
    for (const training of [false, true]) {
      const runs = {
        userStates: () => sasrec.userStates(fused, valid, training, 3),
        lastStates: () => sasrec.lastStates(fused, valid, training, 3),
      };
      for (const [name, run] of Object.entries(runs)) {
        const before = tf.memory().numTensors;
        const out = run();
        assertEquals(tf.memory().numTensors, before + 1, `${name} ${rows} ${training}`);
        out.dispose();
      }
    }
    valid.dispose();
  }
  fused.dispose();
  store.dispose();
});
