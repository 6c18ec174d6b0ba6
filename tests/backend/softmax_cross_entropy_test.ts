import { assert, assertAlmostEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { softmaxCrossEntropyRows } from "../../lib/backend/kernels/softmax_cross_entropy.ts";
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
