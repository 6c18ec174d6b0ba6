import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { infoNce, type InfoNceConfig } from "../../lib/losses/info_nce.ts";
import { SettingError } from "../../lib/util/settings.ts";

await initBackend({ verbose: false });

const ANCHOR = [[1, 2], [-1, 0.5], [0.3, -2]];
const POSITIVE = [[0.8, 2.5], [-2, 0.1], [1, -1]];
const NEGATIVES = [[[2, -1], [0, 1]], [[1, 1], [-1, -1]], [[0.5, 0.5], [0, -3]]]; // [3, 2, 2]

/** The loss written out in plain JS, straight from the formula. */
function referenceLoss(
  anchor: number[][],
  positive: number[][],
  negatives: number[][][] | undefined,
  config: Pick<InfoNceConfig, "temperature" | "similarity" | "inBatchNegatives">,
): number {
  const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
  const sim = (x: number[], y: number[]) =>
    config.similarity === "dot" ? dot(x, y) : dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
  let total = 0;
  for (let i = 0; i < anchor.length; i++) {
    const candidates = config.inBatchNegatives ? positive : [positive[i]];
    const others = negatives ? negatives[i] : [];
    const logits = [...candidates, ...others].map((c) => sim(anchor[i], c) / config.temperature);
    const positiveLogit = sim(anchor[i], positive[i]) / config.temperature;
    const denominator = logits.reduce((s, l) => s + Math.exp(l), 0);
    total += -Math.log(Math.exp(positiveLogit) / denominator);
  }
  return total / anchor.length;
}

function lossOf(
  anchor: number[][],
  positive: number[][],
  negatives: number[][][] | undefined,
  config: Partial<InfoNceConfig>,
): number {
  return tf.tidy(() =>
    infoNce(tf.tensor2d(anchor), tf.tensor2d(positive), {
      ...config,
      ...(negatives ? { negatives: tf.tensor3d(negatives) } : {}),
    }).dataSync()[0]
  );
}

Deno.test("InfoNCE of two orthonormal pairs at tau 1 equals log(1 + 1/e) (by hand)", () => {
  const identity = [[1, 0], [0, 1]];
  const value = lossOf(identity, identity, undefined, { temperature: 1, similarity: "dot" });
  // Each row: logits (1, 0); -log(e / (e + 1)) = log(1 + e^-1).
  assertAlmostEquals(value, Math.log(1 + Math.exp(-1)), 1e-6);
  // Cosine gives the same for unit vectors.
  assertAlmostEquals(lossOf(identity, identity, undefined, { temperature: 1 }), value, 1e-6);
});

const CASES: Array<[string, Partial<InfoNceConfig>, boolean]> = [
  ["cosine, tau 0.2, in-batch + explicit", {}, true],
  ["cosine, tau 0.5, in-batch only", { temperature: 0.5 }, false],
  [
    "dot, tau 1, explicit only",
    { similarity: "dot", temperature: 1, inBatchNegatives: false },
    true,
  ],
  ["dot, tau 0.7, in-batch + explicit", { similarity: "dot", temperature: 0.7 }, true],
];

for (const [label, overrides, withNegatives] of CASES) {
  Deno.test(`InfoNCE equals the plain-JS formula: ${label}`, () => {
    const config = {
      temperature: 0.2,
      similarity: "cosine" as const,
      inBatchNegatives: true,
      ...overrides,
    };
    const negatives = withNegatives ? NEGATIVES : undefined;
    const expected = referenceLoss(ANCHOR, POSITIVE, negatives, config);
    assertAlmostEquals(
      lossOf(ANCHOR, POSITIVE, negatives, overrides),
      expected,
      1e-4 * (1 + expected),
    );
  });
}

Deno.test("InfoNCE gradient equals a central finite difference (anchor, positive, negatives)", () => {
  const config: Partial<InfoNceConfig> = { temperature: 0.5 };
  const a = tf.tensor2d(ANCHOR);
  const p = tf.tensor2d(POSITIVE);
  const n = tf.tensor3d(NEGATIVES);
  const grads = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
    infoNce(x as tf.Tensor2D, y as tf.Tensor2D, { ...config, negatives: z as tf.Tensor3D })
  )([a, p, n]);
  const analytic = grads.map((g) => Array.from(g.dataSync()));
  const inputs = [ANCHOR.flat(), POSITIVE.flat(), NEGATIVES.flat(2)];
  const eps = 1e-2;
  inputs.forEach((values, which) => {
    for (let i = 0; i < values.length; i++) {
      const at = (delta: number) => {
        const bumped = inputs.map((v) => v.slice());
        bumped[which][i] += delta;
        return tf.tidy(() =>
          infoNce(tf.tensor2d(bumped[0], [3, 2]), tf.tensor2d(bumped[1], [3, 2]), {
            ...config,
            negatives: tf.tensor3d(bumped[2], [3, 2, 2]),
          }).dataSync()[0]
        );
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      assertAlmostEquals(analytic[which][i], numeric, 3e-3, `input ${which}, flat index ${i}`);
    }
  });
  tf.dispose([a, p, n, ...grads]);
});

Deno.test("InfoNCE: an all-zero state gives a finite loss; bad inputs throw clear errors", () => {
  const value = lossOf([[0, 0], [1, 0]], [[1, 0], [0, 1]], undefined, {});
  assert(Number.isFinite(value), `loss ${value}`);
  assertThrows(
    () => lossOf(ANCHOR, POSITIVE, undefined, { inBatchNegatives: false }),
    Error,
    "no negatives",
  );
  assertThrows(() => lossOf(ANCHOR, POSITIVE, undefined, { temperature: 0 }), Error, "temperature");
  assertThrows(() => lossOf(ANCHOR, [[1, 2]], undefined, {}), Error, "positive must be");
  assertThrows(() => lossOf(ANCHOR, POSITIVE, [[[1, 2]]], {}), Error, "negatives must be");
});

Deno.test("InfoNCE leaves no tensor behind", () => {
  const a = tf.tensor2d(ANCHOR);
  const p = tf.tensor2d(POSITIVE);
  const n = tf.tensor3d(NEGATIVES);
  const before = tf.memory().numTensors;
  const loss = infoNce(a, p, { negatives: n });
  assertEquals(tf.memory().numTensors, before + 1, "only the loss survives");
  tf.dispose([loss, a, p, n]);
});

Deno.test("InfoNCE: a batch of one has no in-batch negative, so it needs explicit ones", () => {
  // With one row, the in-batch candidates are only the row's own positive: the loss would be
  // log(exp(s) / exp(s)) = 0 whatever the states, a loss that trains nothing. Refused.
  assertThrows(() => lossOf([[1, 0]], [[1, 0]], undefined, {}), Error, "no negatives");
  // With an explicit negative it is a real loss. Cosine at tau 1: s(a, p) = 1, s(a, n) = 0, so
  // loss = logsumexp([1, 0]) - 1 = log(1 + e^-1).
  const value = lossOf([[1, 0]], [[1, 0]], [[[0, 1]]], { temperature: 1 });
  assertAlmostEquals(value, Math.log(1 + Math.exp(-1)), 1e-5);
});

Deno.test("InfoNCE: an option out of range or unknown is a SettingError naming it", () => {
  // Each used to pass: an infinite tau gave the constant log(3) whatever the states, "euclid" the
  // dot product, a string "false" in-batch negatives, and a misspelt name its default.
  const refused: [Partial<InfoNceConfig> | Record<string, unknown>, string][] = [
    [{ temperature: Infinity }, "InfoNceConfig.temperature is Infinity"],
    [{ temperature: Number.NaN }, "InfoNceConfig.temperature is NaN"],
    [{ similarity: "euclid" }, 'InfoNceConfig.similarity is "euclid"'],
    [{ inBatchNegatives: "false" }, 'InfoNceConfig.inBatchNegatives is "false"'],
    [{ epsilon: 0 }, "InfoNceConfig.epsilon is 0"],
    [{ temprature: 5 }, "InfoNceOptions.temprature is 5"],
  ];
  for (const [options, message] of refused) {
    assertThrows(
      () => lossOf(ANCHOR, POSITIVE, undefined, options as Partial<InfoNceConfig>),
      SettingError,
      message,
    );
  }
  // Values in range still give the formula's loss.
  const config = { temperature: 0.5, similarity: "cosine", inBatchNegatives: true } as const;
  assertAlmostEquals(
    lossOf(ANCHOR, POSITIVE, undefined, { ...config, epsilon: 1e-12 }),
    referenceLoss(ANCHOR, POSITIVE, undefined, config),
    1e-5,
  );
});

Deno.test("InfoNCE: an anchor, positive or negatives of another rank or dim is refused by name", () => {
  // Each used to reach the matrix products, which failed with the backend's message (or, for an
  // anchor of rank 3, broadcast without one).
  const three = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  assertThrows(
    () => lossOf(ANCHOR, three, undefined, {}),
    Error,
    "infoNce: positive must be [3,2] like anchor, got [3,3]",
  );
  assertThrows(
    () => lossOf(ANCHOR, POSITIVE, three.map((row) => [row]), {}),
    Error,
    "infoNce: negatives must be [batch = 3, k, dim = 2], got [3,1,3]",
  );
  const cube = tf.tensor3d([[[1, 2]], [[3, 4]]]);
  assertThrows(
    () => infoNce(cube as unknown as tf.Tensor2D, cube as unknown as tf.Tensor2D),
    Error,
    "infoNce: anchor must be [batch, dim], got [2,1,2]",
  );
  cube.dispose();
});

Deno.test("InfoNCE: explicit negatives with k = 0 are no negatives: refused, not a loss of 0", () => {
  // The count of explicit negatives is their k axis, not the batch axis.
  const none = tf.zeros([1, 0, 2]) as tf.Tensor3D;
  const anchor = tf.tensor2d([[1, 0]]);
  assertThrows(() => infoNce(anchor, anchor, { negatives: none }), Error, "no negatives");
  tf.dispose([none, anchor]);
});

Deno.test("InfoNCE: cosine is scale-free down to tiny states (the default epsilon clamps only ~0)", () => {
  // The default epsilon (1e-8) only keeps an all-zero state finite; a larger clamp would stop
  // dividing a small state by its norm, and its similarities would shrink toward 0.
  const tiny = ANCHOR.map((row) => row.map((v) => v * 1e-5));
  assertAlmostEquals(
    lossOf(tiny, POSITIVE, NEGATIVES, {}),
    lossOf(ANCHOR, POSITIVE, NEGATIVES, {}),
    1e-4,
  );
});

Deno.test("InfoNCE: a positive of rank 1 or negatives of rank 4 are refused by name", () => {
  // Their leading axes agree with the anchor's, so only the rank tells them apart; without the
  // rank checks they reached the matrix products and failed with the backend's message.
  const flat = tf.tensor1d([1, 2, 3]);
  const anchor = tf.tensor2d(ANCHOR);
  assertThrows(
    () => infoNce(anchor, flat as unknown as tf.Tensor2D),
    Error,
    "infoNce: positive must be [3,2] like anchor, got [3]",
  );
  const deep = tf.zeros([3, 1, 2, 1]);
  assertThrows(
    () => infoNce(anchor, anchor, { negatives: deep as unknown as tf.Tensor3D }),
    Error,
    "infoNce: negatives must be [batch = 3, k, dim = 2], got [3,1,2,1]",
  );
  tf.dispose([flat, anchor, deep]);
});

Deno.test("InfoNCE: the epsilon option is the norm clamp of cosine (a larger one shrinks small states)", () => {
  // Every row of these states has a norm below 10: with epsilon 10 each is divided by 10, not by
  // its norm, so s(x, y) = x.y / 100. A clamp that ignored the option kept the true cosine.
  const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
  const tau = 0.2;
  const clamped = (x: number[], y: number[]) => dot(x, y) / 100 / tau;
  let expected = 0;
  for (let i = 0; i < ANCHOR.length; i++) {
    const logits = [...POSITIVE, ...NEGATIVES[i]].map((c) => clamped(ANCHOR[i], c));
    const denominator = logits.reduce((s, l) => s + Math.exp(l), 0);
    expected += Math.log(denominator) - clamped(ANCHOR[i], POSITIVE[i]);
  }
  expected /= ANCHOR.length;
  const value = lossOf(ANCHOR, POSITIVE, NEGATIVES, { epsilon: 10 });
  assertAlmostEquals(value, expected, 1e-5);
  // ... which is not the loss at the default clamp.
  assert(Math.abs(value - lossOf(ANCHOR, POSITIVE, NEGATIVES, {})) > 0.1);
});

Deno.test("InfoNCE stays finite and exact for logits far beyond exp's float32 range", () => {
  // exp(100) overflows float32 (max ~3.4e38): the log-sum-exp must be shifted by the row's maximum.
  // Dot, tau 1, anchors (100, 0) twice, positives (1, 0) and (0, 1), in-batch negatives:
  //   row 0: logits (100, 0), positive 100: loss log(1 + e^-100) = 0 (to float precision)
  //   row 1: logits (100, 0), positive 0:   loss 100 + log(1 + e^-100) = 100
  // mean 50. Cosine at tau 0.01 on orthonormal pairs: logits (100, 0) per row, loss 0.
  const dot = lossOf([[100, 0], [100, 0]], [[1, 0], [0, 1]], undefined, {
    similarity: "dot",
    temperature: 1,
  });
  assertAlmostEquals(dot, 50, 1e-4);
  const identity = [[1, 0], [0, 1]];
  assertAlmostEquals(lossOf(identity, identity, undefined, { temperature: 0.01 }), 0, 1e-6);
});
