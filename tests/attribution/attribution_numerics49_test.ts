/**
 * The attribution where numbers can break (session 49, numerical robustness): normalising users
 * whose contributions are all equal or all zero, or whose spread under- or overflows when squared;
 * ROC-AUC over one class and over 22,000 units; integrated gradients with no path step.
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import {
  computeContributions,
  contributionsOfGradient,
  normaliseContributions,
  rocAuc,
} from "../../lib/attribution/mod.ts";
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

Deno.test("gradient norm: components too small or too large to square in float32 still give |g|_2", () => {
  // Two pairs of 4 equal components g: |g|_2 = 2g. Squared directly, 1e-23 read 0 (pairs that
  // differ tied) and 1e19 read Infinity (refused as a non-finite contribution).
  for (const g of [1e-23, 1e-25, 1e-40, 1e19, 1e20]) {
    tf.tidy(() => {
      const gradient = tf.tensor4d([[[[g, g, g, g], [-g, g, -g, g]]]]);
      const norm = contributionsOfGradient(gradient, tf.onesLike(gradient), "gradient_norm");
      const expected = Math.fround(2 * Math.fround(g));
      for (const value of norm.dataSync()) {
        assertAlmostEquals(value, expected, expected * 1e-6, `g = ${g}`);
      }
    });
  }
  // A zero gradient stays 0, and a norm beyond float32 (components near its largest) Infinity.
  tf.tidy(() => {
    const gradient = tf.tensor4d([[[[0, 0], [3e38, 3e38]]]]);
    const norm = contributionsOfGradient(gradient, tf.onesLike(gradient), "gradient_norm");
    assertEquals(Array.from(norm.dataSync()), [0, Infinity]);
  });
});

Deno.test("gradient norm: wherever float32 can square the gradient, the norm is the direct one, bit for bit", () => {
  tf.tidy(() => {
    // Components from 1e-18 to 1e4 in size: every recorded gradient_norm run lies in this range.
    const magnitudes = tf.pow(10, tf.randomUniform([6, 5, 3, 8], -18, 4, "float32", 49));
    const gradient = tf.mul(magnitudes, tf.randomNormal([6, 5, 3, 8], 0, 1, "float32", 50));
    const norm = contributionsOfGradient(
      gradient as tf.Tensor4D,
      tf.onesLike(gradient) as tf.Tensor4D,
      "gradient_norm",
    );
    const direct = tf.sqrt(tf.sum(tf.square(gradient), -1));
    assertEquals(Array.from(norm.dataSync()), Array.from(direct.dataSync()));
  });
});
