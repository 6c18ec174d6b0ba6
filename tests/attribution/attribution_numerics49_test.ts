/**
 * The attribution where numbers can break (session 49, numerical robustness): normalising users
 * whose contributions are all equal or all zero, or whose spread under- or overflows when squared;
 * ROC-AUC over one class and over 22,000 units; integrated gradients with no path step.
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import { computeContributions, normaliseContributions, rocAuc } from "../../lib/attribution/mod.ts";
import { DEFAULT_ATTRIBUTION_CONFIG, type LossOfEmbeddings } from "../../lib/attribution/types.ts";
import { assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

Deno.test("normalise: users whose float32 contributions are all equal or all 0 get 0 (z) and 0.5 (rank)", () => {
  // Two users of three pairs: one all 0, one all 0.1f (a mean that misses 0.1f by an ulp, whose
  // std was that ulp, read -1 or +1 for every pair).
  const contributions = Float32Array.of(0, 0, 0, 0.1, 0.1, 0.1);
  const valid = new Uint8Array(6).fill(1);
  assertEquals(
    Array.from(normaliseContributions(contributions, valid, [2, 3, 1], "zscore")),
    [0, 0, 0, 0, 0, 0],
  );
  assertEquals(
    Array.from(normaliseContributions(contributions, valid, [2, 3, 1], "rank")),
    [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
  );
});

Deno.test("normalise: z-scores of float32 contributions at the ends of float32's range are exact", () => {
  // Squares of 3e38 (9e76) and of 1e-45 (1e-90) are finite and nonzero in float64: no rescaling.
  const z = normaliseContributions(
    Float32Array.of(3e38, -3e38, 0),
    Uint8Array.of(1, 1, 1),
    [1, 3, 1],
    "zscore",
  );
  const root = Math.fround(Math.sqrt(1.5));
  assertEquals(Array.from(z), [root, -root, 0]);
  const tiny = normaliseContributions(
    Float32Array.of(1e-45, 0),
    Uint8Array.of(1, 1),
    [1, 2, 1],
    "zscore",
  );
  assertEquals(Array.from(tiny), [1, -1]);
});

Deno.test("normalise: double-precision contributions whose spread overflows when squared keep their ranking", () => {
  // (1e200)^2 is Infinity: the std was Infinity and every z-score (v - mean) / std read 0, the
  // ranking dropped silently. Over their largest magnitude they are 1, -1, 0: z = +-sqrt(1.5), 0.
  const z = normaliseContributions(
    Float64Array.of(1e200, -1e200, 0),
    Uint8Array.of(1, 1, 1),
    [1, 3, 1],
    "zscore",
  );
  const root = Math.fround(Math.sqrt(1.5));
  assertEquals(Array.from(z), [root, -root, 0]);
  // Their sum overflows too (the mean was Infinity, every z NaN).
  const huge = normaliseContributions(
    Float64Array.of(1.5e308, 1.5e308, 0),
    Uint8Array.of(1, 1, 1),
    [1, 3, 1],
    "zscore",
  );
  const half = Math.fround(Math.SQRT1_2);
  assertEquals(Array.from(huge), [half, half, Math.fround(-Math.SQRT2)]);
});

Deno.test("ROC-AUC over 22,000 units is exact at its ends, and one class is refused", () => {
  const n = 22000;
  const labels = Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
  const rising = Array.from({ length: n }, (_, i) => i);
  assertEquals(rocAuc(rising, labels), 1);
  assertEquals(rocAuc(rising.map((v) => -v), labels), 0);
  assertEquals(rocAuc(new Array(n).fill(0.25), labels), 0.5);
  for (const label of [0, 1]) {
    const error = assertRefusalMessage(() => rocAuc(rising, new Array(n).fill(label)));
    assertEquals(
      error,
      `rocAuc: ${n} labels, ${label * n} positive and ${(1 - label) * n} negative; the AUC ` +
        "needs at least one of each",
    );
  }
});

function assertRefusalMessage(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

Deno.test("integrated gradients with no path step (or a fractional count) is refused, leaving no tensor", async () => {
  // 0 steps would divide the gradient sum (zeros) by 0: contributions NaN.
  const loss: LossOfEmbeddings = (embeddings, mask) =>
    tf.sum(tf.mul(embeddings, tf.expandDims(mask, 3)), [1, 2, 3]) as tf.Tensor1D;
  const e = tf.tensor4d([[[[1, 2]], [[3, -1]]]]);
  const w = tf.tensor3d([[[1], [1]]]);
  try {
    for (const steps of [0, -1, 2.5, NaN]) {
      await assertRefusalFlat(
        `integratedGradientsSteps ${steps}`,
        () =>
          computeContributions(loss, e, w, {
            ...DEFAULT_ATTRIBUTION_CONFIG,
            method: "integrated_gradients",
            integratedGradientsSteps: steps,
          }),
        Error,
        `integratedGradientsSteps must be a positive integer, got ${steps}`,
      );
    }
    // One step is the smallest path: exact here, the loss being linear in the embeddings.
    const one = await computeContributions(loss, e, w, {
      ...DEFAULT_ATTRIBUTION_CONFIG,
      method: "integrated_gradients",
      integratedGradientsSteps: 1,
    });
    assertEquals(Array.from(one).map((v) => v === 0 ? 0 : v), [-3, -2]);
  } finally {
    tf.dispose([e, w]);
  }
});
