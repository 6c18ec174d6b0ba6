import { assert, assertAlmostEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  softmaxCrossEntropy,
  softmaxCrossEntropyRows,
} from "../../lib/backend/kernels/softmax_cross_entropy.ts";
import { byHand } from "./_softmax_by_hand.ts";

Deno.test("softmaxCrossEntropy: the fused kernel runs and matches the hand computation", async () => {
  await initBackend({ verbose: false });
  const rows = [[1, 2, 3, -1], [50, 49, -20, 0], [0, 0, 0, 0]];
  const targets = [2, 0, 3];
  const logits = tf.tensor2d(rows);
  const ids = tf.tensor1d(targets, "int32");
  const dy = tf.tensor1d([1, 0.5, 2]);
  const profile = await tf.profile(() => softmaxCrossEntropy(logits, ids));
  assert(profile.kernels.some((k) => k.name === "DemureSoftmaxCrossEntropy"), "fused kernel");
  const loss = (profile.result as tf.Tensor).dataSync();
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(softmaxCrossEntropy(x, ids), dy)))(
    logits,
  ).arraySync() as number[][];
  rows.forEach((row, r) => {
    const expected = byHand(row, targets[r]);
    assertAlmostEquals(loss[r], expected.loss, 1e-5);
    const scale = [1, 0.5, 2][r];
    expected.gradient.forEach((g, j) => assertAlmostEquals(gradient[r][j], g * scale, 1e-6));
  });
  tf.dispose([logits, ids, dy, profile.result as tf.Tensor]);
});

Deno.test("softmaxCrossEntropyRows: a target outside the row is an error", () => {
  assertThrows(
    () =>
      softmaxCrossEntropyRows(
        Float32Array.of(1, 1),
        Float32Array.of(2),
        Float32Array.of(0),
        Float32Array.of(0, 0),
        Int32Array.of(2),
        2,
        new Float32Array(1),
        new Float32Array(2),
      ),
    Error,
    "target 2",
  );
});
