/**
 * Edges of softmaxCrossEntropy the other softmax tests leave open (mutation round MF): logits far
 * beyond exp's float32 range on both paths, float ids refused by our message on the composite path
 * too, and one item per row.
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  registerSoftmaxCrossEntropyKernel,
  softmaxCrossEntropy,
} from "../../lib/backend/kernels/softmax_cross_entropy.ts";
import { lossAndGradient } from "./_softmax_by_hand.ts";

const FUSED = "DemureSoftmaxCrossEntropy";

/** Runs `check` with the fused kernel unregistered (the composite path), then registers it again. */
async function withoutFused(check: () => Promise<void> | void): Promise<void> {
  await initBackend({ verbose: false });
  const backend = tf.getBackend() as "wasm" | "cpu";
  tf.unregisterKernel(FUSED, backend);
  try {
    await check();
  } finally {
    registerSoftmaxCrossEntropyKernel(backend);
  }
}

/**
 * exp(100) and exp(1000) overflow float32 (max ~3.4e38): each row must be shifted by its own
 * maximum. Row 0: logits (0, 100), target 0: loss 100 + log(1 + e^-100) = 100, gradient (-1, 1).
 * Row 1: (1000, 1000), target 1 (the last item): loss log 2, gradient (0.5, -0.5).
 * Row 2: (0, 0), target 0: loss log 2, gradient (-0.5, 0.5). Each row's gradient is scaled by its dy.
 */
async function checkLargeLogits(expectFused: boolean): Promise<void> {
  const rows = [[0, 100], [1000, 1000], [0, 0]];
  const weights = [1, 2, 0.5];
  const { kernels, loss, gradient } = await lossAndGradient(rows, [0, 1, 0], weights);
  assertEquals(kernels.includes(FUSED), expectFused, "which path ran");
  const expected = [[100, [-1, 1]], [Math.LN2, [0.5, -0.5]], [Math.LN2, [-0.5, 0.5]]] as const;
  expected.forEach(([value, grad], r) => {
    assertAlmostEquals(loss[r], value, 1e-4, `loss of row ${r}`);
    grad.forEach((g, j) =>
      assertAlmostEquals(gradient[r][j], g * weights[r], 1e-4, `gradient [${r}, ${j}]`)
    );
  });
}

Deno.test("softmaxCrossEntropy (fused) stays finite and exact for logits far beyond exp's float32 range", async () => {
  await initBackend({ verbose: false });
  await checkLargeLogits(true);
});

Deno.test("softmaxCrossEntropy without the fused kernel stays finite and exact for huge logits", async () => {
  await withoutFused(() => checkLargeLogits(false));
});

Deno.test("softmaxCrossEntropy without the fused kernel refuses float ids with its own message", async () => {
  // Not tf.oneHot's message: ours names the dtype the ids must have, as on the fused path.
  await withoutFused(() => {
    const logits = tf.tensor2d([[1, 2, 3], [0, 5, -1]]);
    const targets = tf.tensor1d([0, 1.7]);
    try {
      assertThrows(
        () => softmaxCrossEntropy(logits, targets),
        Error,
        "softmaxCrossEntropy: target ids must be int32, not float32",
      );
    } finally {
      tf.dispose([logits, targets]);
    }
  });
});

Deno.test("softmaxCrossEntropy of one item per row is 0 with gradient 0, on both paths", async () => {
  // A single class: log-sum-exp of one logit is the logit itself, softmax is 1, one-hot is 1.
  const rows = [[5], [-300], [1e4]];
  const check = async (expectFused: boolean) => {
    const { kernels, loss, gradient } = await lossAndGradient(rows, [0, 0, 0], [1, 2, 3]);
    assertEquals(kernels.includes(FUSED), expectFused, "which path ran");
    assertEquals(Array.from(loss), [0, 0, 0]);
    assertEquals(gradient.map((row) => Math.abs(row[0])), [0, 0, 0]);
  };
  await initBackend({ verbose: false });
  await check(true);
  await withoutFused(() => check(false));
});

Deno.test("registerSoftmaxCrossEntropyKernel registers the fused kernel on cpu as well as wasm", async () => {
  await initBackend({ verbose: false });
  const backend = tf.getBackend();
  await tf.setBackend("cpu");
  try {
    if (tf.getKernel(FUSED, "cpu") !== undefined) tf.unregisterKernel(FUSED, "cpu");
    assertEquals(registerSoftmaxCrossEntropyKernel("cpu"), ["SoftmaxCrossEntropy(fused)"]);
    const { kernels } = await lossAndGradient([[1, 2], [3, 4]], [1, 0], [1, 1]);
    assertEquals(kernels.includes(FUSED), true, "the fused kernel ran on cpu");
    // Idempotent: a second call keeps the one registration and says the same.
    assertEquals(registerSoftmaxCrossEntropyKernel("cpu"), ["SoftmaxCrossEntropy(fused)"]);
  } finally {
    await tf.setBackend(backend);
  }
});

Deno.test("softmaxCrossEntropy without the fused kernel refuses an id outside the items in a batch of one row", async () => {
  // A single row is a batch too: tf.oneHot would give it an all-zero row, and the loss would
  // silently be the log-sum-exp alone.
  await withoutFused(() => {
    const logits = tf.tensor2d([[1, 2, 3]]);
    try {
      for (const id of [3, -1]) {
        const targets = tf.tensor1d([id], "int32");
        assertThrows(
          () => softmaxCrossEntropy(logits, targets),
          Error,
          `softmaxCrossEntropy: target ${id} of row 0 is not in [0, 3)`,
        );
        targets.dispose();
      }
    } finally {
      logits.dispose();
    }
  });
});
