/**
 * The composite softmax cross-entropy (what backends without the fused kernel run), here on wasm
 * with the fused kernel unregistered: loss and gradient, scaled by each row's dy, match the hand
 * computation.
 */
import { assert, assertAlmostEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  registerSoftmaxCrossEntropyKernel,
  softmaxCrossEntropy,
} from "../../lib/backend/kernels/softmax_cross_entropy.ts";
import { byHand, lossAndGradient } from "./_softmax_by_hand.ts";

const FUSED = "DemureSoftmaxCrossEntropy";

Deno.test("softmaxCrossEntropy without the fused kernel: composite loss and dy-scaled gradient", async () => {
  await initBackend({ verbose: false });
  const backend = tf.getBackend();
  tf.unregisterKernel(FUSED, backend);
  try {
    // The last row's target is not its largest logit (in the others it is, or all are equal).
    const rows = [[1, 2, 3, -1], [50, 49, -20, 0], [0, 0, 0, 0], [0.5, -2, 4, 1]];
    const targets = [2, 0, 3, 1];
    const weights = [1, 0.5, 2, 1.5];
    const { kernels, loss, gradient } = await lossAndGradient(rows, targets, weights);
    assert(!kernels.includes(FUSED), "composite ops only");
    rows.forEach((row, r) => {
      const expected = byHand(row, targets[r]);
      assertAlmostEquals(loss[r], expected.loss, 1e-4);
      expected.gradient.forEach((g, j) =>
        assertAlmostEquals(gradient[r][j], g * weights[r], 1e-5, `row ${r} column ${j}`)
      );
    });
  } finally {
    registerSoftmaxCrossEntropyKernel(backend as "wasm" | "cpu");
  }
  assert(tf.getKernel(FUSED, backend) !== undefined, "fused kernel registered again");
});

Deno.test("softmaxCrossEntropy without the fused kernel: an id outside the items or one id for all rows is an error", async () => {
  await initBackend({ verbose: false });
  const backend = tf.getBackend();
  tf.unregisterKernel(FUSED, backend);
  const logits = tf.tensor2d([[1, 2, 3], [0, 5, -1], [4, 4, 4]]);
  try {
    // tf.oneHot makes an all-zero row for an id outside [0, 3), and tf.mul broadcasts one id's row
    // to every row: either way the loss would be silently wrong.
    const cases: [number[], string][] = [
      [[0, 1, 3], "target 3 of row 2 is not in [0, 3)"],
      [[0, -1, 2], "target -1 of row 1 is not in [0, 3)"],
      [[0], "target ids [1] for logits [3,3]"],
    ];
    for (const [ids, message] of cases) {
      const targets = tf.tensor1d(ids, "int32");
      assertThrows(() => softmaxCrossEntropy(logits, targets), Error, message);
      targets.dispose();
    }
  } finally {
    logits.dispose();
    registerSoftmaxCrossEntropyKernel(backend as "wasm" | "cpu");
  }
});

Deno.test("softmaxCrossEntropy without the fused kernel: ids range over the items, not the rows", async () => {
  await initBackend({ verbose: false });
  const backend = tf.getBackend();
  tf.unregisterKernel(FUSED, backend);
  // Two rows of four items: id 3 is an item (though not a row), id 4 is not; and a count
  // mismatch names the rows the ids must match, [2], not the items.
  const logits = tf.tensor2d([[1, 2, 3, 4], [4, 3, 2, 1]]);
  try {
    const lastItem = tf.tensor1d([3, 0], "int32");
    const loss = softmaxCrossEntropy(logits, lastItem);
    assertAlmostEquals(loss.dataSync()[0], byHand([1, 2, 3, 4], 3).loss, 1e-5);
    assertAlmostEquals(loss.dataSync()[1], byHand([4, 3, 2, 1], 0).loss, 1e-5);
    const cases: [number[], string][] = [
      [[4, 0], "target 4 of row 0 is not in [0, 4)"],
      [[1], "target ids [1] for logits [2,4]: need one id per row, [2]"],
    ];
    for (const [ids, message] of cases) {
      const targets = tf.tensor1d(ids, "int32");
      assertThrows(() => softmaxCrossEntropy(logits, targets), Error, message);
      targets.dispose();
    }
    const rank2 = tf.tensor2d([[0], [1]], undefined, "int32");
    assertThrows(
      () => softmaxCrossEntropy(logits, rank2 as unknown as tf.Tensor1D),
      Error,
      "target ids [2,1] for logits [2,4]",
    );
    tf.dispose([lastItem, loss, rank2]);
  } finally {
    logits.dispose();
    registerSoftmaxCrossEntropyKernel(backend as "wasm" | "cpu");
  }
});
