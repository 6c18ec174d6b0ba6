/**
 * SASRec cases that mutation round mu50c (session 50) found unpinned: the attention's layer norm
 * uses its own gain and bias. The feed-forward norm had a by-hand test, the attention norm none,
 * so a block that normalised before attention with the feed-forward norm's parameters passed (both
 * start at gain 1, bias 0, and the tests that compare two paths run the same block on both).
 */
import { assert, assertAlmostEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SasRec } from "../../lib/models/sasrec.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";

await initBackend({ verbose: false });

/** Layer norm of each row in plain JS with per-unit gain and bias (epsilon 1e-6). */
function layerNormJs(rows: number[][], gain: number[], bias: number[]): number[][] {
  return rows.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    return row.map((v, c) => (v - mean) / Math.sqrt(variance + 1e-6) * gain[c] + bias[c]);
  });
}

Deno.test("SASRec block: the attention layer norm uses its own gain and bias (by hand)", () => {
  // Feed-forward zeroed (its output kernel and bias 0), query and key kernels 0 (every allowed key
  // weighs the same), value and output kernels the identity, zero biases, positions 0, so
  //   state_t = LN_final(x_t + mean_{s <= t} (g_att * LN(x_s) + b_att)).
  // The attention norm and the feed-forward norm get different parameters.
  const dim = 4;
  const store = new ParameterStore(9);
  const sasrec = new SasRec({ blocks: 1, heads: 1, dropout: 0 }, dim, 3, store);
  const p = sasrec.parameters.blocks[0];
  const identity = tf.eye(dim);
  for (const zeroed of [p.out.kernel, p.out.bias, p.query.kernel, p.key.kernel]) {
    zeroed.assign(tf.zerosLike(zeroed));
  }
  p.value.kernel.assign(identity);
  p.output.kernel.assign(identity);
  sasrec.parameters.positions.assign(tf.zerosLike(sasrec.parameters.positions));
  const attention = { gain: [2, 1, 0.5, 3], bias: [0.5, -0.2, 0.1, 0.3] };
  const feedForward = { gain: [3, 3, 3, 3], bias: [-1, -1, -1, -1] };
  p.attentionNorm.gain.assign(tf.tensor1d(attention.gain));
  p.attentionNorm.bias.assign(tf.tensor1d(attention.bias));
  p.feedForwardNorm.gain.assign(tf.tensor1d(feedForward.gain));
  p.feedForwardNorm.bias.assign(tf.tensor1d(feedForward.bias));
  const xs = [[1, -1, 1, -1], [2, 0, 2, 0], [0, 0, 0, 4]];
  const byHand = (norm: { gain: number[]; bias: number[] }) => {
    const values = layerNormJs(xs, norm.gain, norm.bias);
    const block = xs.map((x, t) =>
      x.map((v, c) => v + values.slice(0, t + 1).reduce((a, row) => a + row[c], 0) / (t + 1))
    );
    return layerNormJs(block, [1, 1, 1, 1], [0, 0, 0, 0]);
  };
  const expected = byHand(attention);
  // The fixture can tell the two norms apart, at every position.
  const other = byHand(feedForward);
  for (let t = 0; t < 3; t++) {
    assert(expected[t].some((v, c) => Math.abs(v - other[t][c]) > 1e-2), `position ${t}`);
  }
  const fused = tf.tensor3d([xs]);
  const valid = tf.ones([1, 3]) as tf.Tensor2D;
  const states = sasrec.userStates(fused, valid, false, 0).arraySync()[0];
  const last = sasrec.lastStates(fused, valid, false, 0).arraySync()[0];
  for (let t = 0; t < 3; t++) {
    for (let c = 0; c < dim; c++) {
      assertAlmostEquals(states[t][c], expected[t][c], 1e-4, `userStates ${t},${c}`);
    }
  }
  for (let c = 0; c < dim; c++) {
    assertAlmostEquals(last[c], expected[2][c], 1e-4, `lastStates ${c}`);
  }
  tf.dispose([identity, fused, valid]);
  store.dispose();
});
