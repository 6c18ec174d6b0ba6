/**
 * L_rec, the cross-entropy over all items, where float32 could fail it (session 49, numerical
 * robustness): logits in the tens of thousands (exp overflows float32 at 89), and a mean over
 * 22,000 positions (a float32 running sum drifts by 2e-4 there).
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type LossBatch, recommendationLoss } from "../../lib/losses/recommendation.ts";

await initBackend({ verbose: false });

/** A batch of `rows` one-position windows with the given targets. */
function oneStepBatch(targets: Int32Array): LossBatch {
  return {
    batchSize: targets.length,
    length: 1,
    valid: new Float32Array(targets.length).fill(1),
    targets,
  };
}

Deno.test("cross-entropy over all items stays finite and exact with logits of 1e4", () => {
  // Logits h . t: row 0 [1e4, 9900, -1e4] against item 1 (CE 100 + ln(1 + e^-100 + ...)), row 1
  // [-1e4, -9900, 1e4] against item 0 (CE 2e4): a softmax without the max shift is Infinity / NaN.
  const batch = oneStepBatch(Int32Array.of(1, 0));
  const states = tf.tensor3d([[[100, 0]], [[-100, 0]]]);
  const table = tf.tensor2d([[100, 0], [99, 0], [-100, 0]]);
  const [loss, gradient] = tf.tidy(() => {
    const lossOf = (items: tf.Tensor) => recommendationLoss(states, items as tf.Tensor2D, batch);
    return [lossOf(table).dataSync()[0], tf.grad(lossOf)(table).dataSync()];
  });
  assertEquals(loss, (100 + 20000) / 2);
  assert(Array.from(gradient).every((g) => Number.isFinite(g)), `gradient ${gradient}`);
  tf.dispose([states, table]);
});

Deno.test("BCE with one sampled negative stays finite and exact with logits of 1e4", () => {
  // softplus(-h.t_pos) + softplus(h.t_neg): row 0 (pos 9900, neg -1e4) 0, row 1 (pos -1e4, neg
  // -9900) 1e4; computed as log(1 + e^x), softplus(1e4) is Infinity.
  const batch = oneStepBatch(Int32Array.of(1, 0));
  const states = tf.tensor3d([[[100, 0]], [[-100, 0]]]);
  const table = tf.tensor2d([[100, 0], [99, 0], [-100, 0]]);
  const config = { kind: "bce", positions: "all" } as const;
  const [loss, gradient] = tf.tidy(() => {
    const lossOf = (items: tf.Tensor) =>
      recommendationLoss(states, items as tf.Tensor2D, batch, config, Int32Array.of(2, 1));
    return [lossOf(table).dataSync()[0], tf.grad(lossOf)(table).dataSync()];
  });
  assertEquals(loss, 10000 / 2);
  // Only item 0, row 1's positive, moves: d/dt0 of softplus(-h.t0) / 2 = -h / 2 = (50, 0).
  assertEquals(Array.from(gradient), [50, 0, 0, 0, 0, 0]);
  tf.dispose([states, table]);
});

Deno.test("cross-entropy's mean over 22,000 positions is the float64 mean, not a float32 drift", () => {
  // Two items with equal logits: every row's loss is ln 2 (in float32). Their mean must be that
  // value; summed in float32 one by one it would be 0.69330 (checked below), 2e-4 off.
  const rows = 22000;
  const perRow = Math.fround(Math.LN2);
  let float32Sum = 0;
  for (let i = 0; i < rows; i++) float32Sum = Math.fround(float32Sum + perRow);
  assert(Math.abs(Math.fround(float32Sum / rows) - perRow) > 1e-4, "the drift this test guards");
  const states = tf.zeros([rows, 1, 2]) as tf.Tensor3D;
  const table = tf.zeros([2, 2]) as tf.Tensor2D;
  const loss = tf.tidy(() =>
    recommendationLoss(states, table, oneStepBatch(new Int32Array(rows))).dataSync()[0]
  );
  assertAlmostEquals(loss, perRow, 1e-7);
  tf.dispose([states, table]);
});
