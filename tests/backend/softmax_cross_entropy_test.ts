import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  registerSoftmaxCrossEntropyKernel,
  softmaxCrossEntropy,
  softmaxCrossEntropyRows,
} from "../../lib/backend/kernels/softmax_cross_entropy.ts";
import { byHand, lossAndGradient } from "./_softmax_by_hand.ts";

Deno.test("softmaxCrossEntropy: the fused kernel runs and matches the hand computation", async () => {
  await initBackend({ verbose: false });
  // The last row's target is not its largest logit (in the others it is, or all are equal).
  const rows = [[1, 2, 3, -1], [50, 49, -20, 0], [0, 0, 0, 0], [0.5, -2, 4, 1]];
  const targets = [2, 0, 3, 1];
  const weights = [1, 0.5, 2, 1.5];
  const { kernels, loss, gradient } = await lossAndGradient(rows, targets, weights);
  assert(kernels.includes("DemureSoftmaxCrossEntropy"), "fused kernel");
  rows.forEach((row, r) => {
    const expected = byHand(row, targets[r]);
    assertAlmostEquals(loss[r], expected.loss, 1e-5);
    const scale = weights[r];
    expected.gradient.forEach((g, j) => assertAlmostEquals(gradient[r][j], g * scale, 1e-6));
  });
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

Deno.test("softmaxCrossEntropyRows: a negative target is an error naming its row", () => {
  // Row 0 is fine; row 1's -1 would read the logit before the row and write into row 0.
  assertThrows(
    () =>
      softmaxCrossEntropyRows(
        Float32Array.of(1, 1, 1, 1),
        Float32Array.of(2, 2),
        Float32Array.of(0, 0),
        Float32Array.of(0, 0, 0, 0),
        Int32Array.of(1, -1),
        2,
        new Float32Array(2),
        new Float32Array(4),
      ),
    Error,
    "target -1 of row 1 is not in [0, 2)",
  );
});

Deno.test("softmaxCrossEntropy (fused): ids of another count, dtype or logits of another rank are errors", async () => {
  await initBackend({ verbose: false });
  const logits = tf.tensor2d([[1, 2, 3], [0, 5, -1], [4, 4, 4]]);
  const cases: [string, () => tf.Tensor, string][] = [
    // The kernel would leave rows 1 and 2 unwritten (whatever the memory held).
    ["one id", () => tf.tensor1d([0], "int32"), "target ids [1] for logits [3,3]"],
    ["four ids", () => tf.tensor1d([0, 1, 2, 1], "int32"), "target ids [4] for logits [3,3]"],
    // Cast to int32 by the kernel, 1.7 would silently be item 1.
    ["float ids", () => tf.tensor1d([0, 1.7, 2]), "target ids must be int32, not float32"],
  ];
  for (const [, ids, message] of cases) {
    const targets = ids() as tf.Tensor1D;
    assertThrows(() => softmaxCrossEntropy(logits, targets), Error, message);
    targets.dispose();
  }
  const targets = tf.tensor1d([0], "int32");
  assertThrows(
    () => softmaxCrossEntropy(tf.tensor1d([1, 2, 3]), targets),
    Error,
    "logits must be [rows, items], not [3]",
  );
  // Rank 3 too: the kernel takes rows and items from the first two dims only.
  assertThrows(
    () => softmaxCrossEntropy(tf.zeros([1, 2, 3]), targets),
    Error,
    "logits must be [rows, items], not [1,2,3]",
  );
  tf.dispose([logits, targets]);
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`softmaxCrossEntropy (fused, ${backend}) frees its outputs when it refuses an id`, async () => {
    await tf.setBackend(backend);
    registerSoftmaxCrossEntropyKernel(backend);
    // The kernel allocates the loss and the gradient before it reads the ids: refused, tfjs never
    // gets them, and each refusal left two buffers (on the wasm heap, for the rest of the process).
    const logits = tf.tensor2d([[1, 2, 3], [0, 5, -1]]);
    const targets = tf.tensor1d([0, 3], "int32");
    const buffers = tf.engine().backend.numDataIds();
    const tensors = tf.memory().numTensors;
    assertThrows(
      () => softmaxCrossEntropy(logits, targets),
      Error,
      "softmaxCrossEntropy: target 3 of row 1 is not in [0, 3)",
    );
    assertEquals(tf.engine().backend.numDataIds(), buffers, "no buffer left behind");
    assertEquals(tf.memory().numTensors, tensors, "no tensor left behind");
    tf.dispose([logits, targets]);
  });
}

Deno.test("softmaxCrossEntropy (fused): ids of rank 2 are an error, even one per row", async () => {
  await initBackend({ verbose: false });
  // [3, 1] ids have as many entries as rows, yet the composite ops would broadcast them against
  // the logits: one shape for both paths, [rows].
  const logits = tf.tensor2d([[1, 2, 3], [0, 5, -1], [4, 4, 4]]);
  const targets = tf.tensor2d([[0], [1], [2]], undefined, "int32");
  assertThrows(
    () => softmaxCrossEntropy(logits, targets as unknown as tf.Tensor1D),
    Error,
    "softmaxCrossEntropy: target ids [3,1] for logits [3,3]: need one id per row, [3]",
  );
  tf.dispose([logits, targets]);
});
