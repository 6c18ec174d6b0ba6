import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertRejects,
} from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { computeContributions } from "../../lib/attribution/contributions.ts";
import {
  detachedCopy,
  embeddingGradient,
  maskGradient,
} from "../../lib/attribution/embedding_gradient.ts";
import {
  type AttributionMethod,
  DEFAULT_ATTRIBUTION_CONFIG,
  type IntegratedGradientsBaseline,
} from "../../lib/attribution/types.ts";
import { linearLoss, makeNextItemToy, quadraticLoss } from "./_toy_models.ts";
import { spearman, topKOverlap } from "./_rank_agreement.ts";

await initBackend({ verbose: false });

// [batch 2, position 2, modality 2, dim 2]
const E_VALUES = [
  [[[1, 1], [2, 0]], [[0, 1], [1, -1]]],
  [[[-1, 2], [1, 1]], [[2, 2], [0, 3]]],
];
// user 1 lacks modality 1 at position 0
const W_VALUES = [[[1, 1], [1, 1]], [[1, 0], [1, 1]]];
const A_VALUES = [[[1, 2], [0.5, -1]], [[-2, 1], [3, 0]]];

const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);

async function contributionsOf(
  lossOf: Parameters<typeof computeContributions>[0],
  method: AttributionMethod,
  baseline: IntegratedGradientsBaseline = "zero_embedding",
  steps = 20,
): Promise<number[]> {
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const c = await computeContributions(lossOf, e, w, {
    method,
    integratedGradientsSteps: steps,
    integratedGradientsBaseline: baseline,
  });
  tf.dispose([e, w]);
  return Array.from(c);
}

/** Expected value per (b, p, m) from a plain-JS rule; 0 at invalid pairs. */
function expectedPerPair(rule: (b: number, p: number, m: number) => number): number[] {
  const out: number[] = [];
  for (let b = 0; b < 2; b++) {
    for (let p = 0; p < 2; p++) {
      for (let m = 0; m < 2; m++) out.push(W_VALUES[b][p][m] ? rule(b, p, m) : 0);
    }
  }
  return out;
}

function assertAllClose(actual: number[], expected: number[], tolerance: number, label: string) {
  assertEquals(actual.length, expected.length, label);
  actual.forEach((v, i) => assertAlmostEquals(v, expected[i], tolerance, `${label} at ${i}`));
}

Deno.test("linear model: every signed method equals -a . e, gradient norm equals |a|", async () => {
  const a = tf.tensor3d(A_VALUES);
  const lossOf = linearLoss(a);
  const exact = expectedPerPair((b, p, m) => -dot(A_VALUES[p][m], E_VALUES[b][p][m]));
  // Hand check of two entries: user 0, (p0, m0): -(1*1 + 2*1) = -3; user 1, (p1, m1): -(3*0 + 0*3) = 0.
  assertEquals(exact[0], -3);
  assertEquals(exact[7], -0);
  for (
    const method of [
      "gradient_x_input",
      "mask_gradient",
      "integrated_gradients",
      "occlusion",
    ] as const
  ) {
    assertAllClose(await contributionsOf(lossOf, method), exact, 1e-5, method);
  }
  assertAllClose(
    await contributionsOf(lossOf, "integrated_gradients", "masked"),
    exact,
    1e-5,
    "IG masked baseline",
  );
  const norms = expectedPerPair((_b, p, m) => Math.hypot(...A_VALUES[p][m]));
  assertAllClose(await contributionsOf(lossOf, "gradient_norm"), norms, 1e-5, "gradient_norm");
  a.dispose();
});

Deno.test("a fractional mask weight scales the mask gradient's contribution by w", async () => {
  // One user, one position, modalities (0, 1); linear loss L = sum_m w_m a_m . e_m.
  // dL/dw_m = a_m . e_m, so mask_gradient = -w_m (a_m . e_m), the same as gradient x input
  // (dL/de_m = w_m a_m, times e_m). Modality 0: a . e = 1*1 + 2*1 = 3, w = 0.5 -> -1.5.
  // Modality 1: a . e = 0.5*2 + (-1)*0 = 1, w = 1 -> -1. Dropping the w factor would give -3.
  const a = tf.tensor3d([[[1, 2], [0.5, -1]]]);
  const e = tf.tensor4d([[[[1, 1], [2, 0]]]]);
  const w = tf.tensor3d([[[0.5, 1]]]);
  for (const method of ["mask_gradient", "gradient_x_input"] as const) {
    const c = await computeContributions(linearLoss(a), e, w, {
      ...DEFAULT_ATTRIBUTION_CONFIG,
      method,
    });
    assertAllClose(Array.from(c), [-1.5, -1], 1e-6, method);
  }
  tf.dispose([a, e, w]);
});

Deno.test("embedding gradient rejects a mask of another shape and a loss not one per user", async () => {
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  // [2, 2, 1] would broadcast against E [2, 2, 2, 2] without an error: the shape check must stop it.
  const narrow = tf.tensor3d([[[1], [1]], [[1], [1]]]);
  await assertRejects(
    () => embeddingGradient(linearLoss(a), e, narrow),
    Error,
    "embeddingGradient: mask must be [batch, position, modality] = [2,2,2], got [2,2,1]",
  );
  // A loss per (user, position), rank 1 with 4 entries, is not a loss per user (2).
  const w = tf.tensor3d(W_VALUES);
  const perPosition = (emb: tf.Tensor4D, mask: tf.Tensor3D) =>
    tf.reshape(tf.sum(tf.mul(emb, tf.expandDims(mask, 3)), [2, 3]), [-1]) as tf.Tensor1D;
  await assertRejects(
    () => embeddingGradient(perPosition, e, w),
    Error,
    "must return [batch = 2], got [4]",
  );
  tf.dispose([a, e, narrow, w]);
});

Deno.test("a loss not one per user is refused by every method without leaking a tensor", async () => {
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  // [batch, dim]: one loss per (user, dimension), not per user.
  const perDimension = (emb: tf.Tensor4D, mask: tf.Tensor3D) =>
    tf.sum(tf.mul(emb, tf.expandDims(mask, 3)), [1, 2]) as unknown as tf.Tensor1D;
  const cases: [AttributionMethod, IntegratedGradientsBaseline][] = [
    ["gradient_x_input", "zero_embedding"],
    ["mask_gradient", "zero_embedding"],
    ["gradient_norm", "zero_embedding"],
    ["integrated_gradients", "zero_embedding"],
    ["integrated_gradients", "masked"],
    ["occlusion", "zero_embedding"],
  ];
  for (const [method, integratedGradientsBaseline] of cases) {
    // A check thrown inside tf.grad kept the 4 tensors saved for the backward pass.
    const before = tf.memory().numTensors;
    await assertRejects(
      () =>
        computeContributions(perDimension, e, w, {
          ...DEFAULT_ATTRIBUTION_CONFIG,
          method,
          integratedGradientsSteps: 2,
          integratedGradientsBaseline,
        }),
      Error,
      "must return [batch = 2], got [2,2]",
    );
    assertEquals(tf.memory().numTensors, before, `${method} (${integratedGradientsBaseline})`);
  }
  tf.dispose([e, w]);
});

Deno.test("quadratic model: gradient x input, occlusion and IG match their closed forms", async () => {
  const lossOf = quadraticLoss();
  // s_b = sum of the valid embeddings of user b.
  const pooled = [0, 1].map((b) => {
    const s = [0, 0];
    for (let p = 0; p < 2; p++) {
      for (let m = 0; m < 2; m++) {
        if (W_VALUES[b][p][m]) E_VALUES[b][p][m].forEach((v, d) => s[d] += v);
      }
    }
    return s;
  });
  const se = (b: number, p: number, m: number) => dot(pooled[b], E_VALUES[b][p][m]);
  // L(s - e) - L(s) = -s.e + |e|^2 / 2; first order drops the |e|^2 / 2 term.
  const occlusion = expectedPerPair((b, p, m) =>
    -se(b, p, m) + 0.5 * dot(E_VALUES[b][p][m], E_VALUES[b][p][m])
  );
  const gradientXInput = expectedPerPair((b, p, m) => -se(b, p, m));
  // dL/de_k at alpha E is alpha s, so IG = e.s * mean(alpha) = e.s / 2 exactly under the midpoint rule.
  const integrated = expectedPerPair((b, p, m) => -0.5 * se(b, p, m));
  assertAllClose(await contributionsOf(lossOf, "occlusion"), occlusion, 1e-4, "occlusion");
  assertAllClose(await contributionsOf(lossOf, "gradient_x_input"), gradientXInput, 1e-4, "g x i");
  // dL/dw_k = s . e_k: with a plain sum the mask gradient equals gradient x input.
  assertAllClose(
    await contributionsOf(lossOf, "mask_gradient"),
    gradientXInput,
    1e-4,
    "mask gradient",
  );
  assertAllClose(
    await contributionsOf(lossOf, "integrated_gradients", "zero_embedding", 3),
    integrated,
    1e-4,
    "IG",
  );
  assertAllClose(
    await contributionsOf(lossOf, "integrated_gradients", "masked", 3),
    integrated,
    1e-4,
    "IG masked",
  );
});

Deno.test("embedding gradient equals a central finite difference on a nonlinear model", async () => {
  const toy = makeNextItemToy(2, 3, [1, 0.5], 3, 11);
  const { gradient, loss } = await embeddingGradient(toy.lossOf, toy.embeddings, toy.mask);
  const base = Float32Array.from(toy.embeddings.dataSync());
  const lossAt = (values: Float32Array) =>
    tf.tidy(() => toy.lossOf(tf.tensor4d(values, toy.embeddings.shape), toy.mask).arraySync());
  assertAllClose(Array.from(loss), lossAt(base), 1e-6, "per-user loss");
  const eps = 1e-2;
  const dimPerUser = base.length / 2;
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] += eps;
    minus[i] -= eps;
    const user = Math.floor(i / dimPerUser);
    const numeric = (lossAt(plus)[user] - lossAt(minus)[user]) / (2 * eps);
    assertAlmostEquals(gradient[i], numeric, 2e-3, `dL/dE at flat index ${i}`);
    // A user's loss never depends on another user's embeddings.
    assertAlmostEquals(lossAt(plus)[1 - user], loss[1 - user], 1e-6, `independence at ${i}`);
  }
  tf.dispose(toy.tensors);
});

for (const baseline of ["zero_embedding", "masked"] as const) {
  Deno.test(`integrated gradients (${baseline}) are complete: they sum to L(baseline) - L(full)`, async () => {
    const toy = makeNextItemToy(3, 4, [1.5, 0.7, 0.3], 4, 5);
    const c = await computeContributions(toy.lossOf, toy.embeddings, toy.mask, {
      ...DEFAULT_ATTRIBUTION_CONFIG,
      method: "integrated_gradients",
      integratedGradientsSteps: 64,
      integratedGradientsBaseline: baseline,
    });
    const [full, atBaseline] = tf.tidy(() => [
      toy.lossOf(toy.embeddings, toy.mask).arraySync(),
      baseline === "zero_embedding"
        ? toy.lossOf(tf.zerosLike(toy.embeddings), toy.mask).arraySync()
        : toy.lossOf(toy.embeddings, tf.zerosLike(toy.mask)).arraySync(),
    ]);
    const perUser = 4 * 3;
    for (let b = 0; b < 3; b++) {
      const total = c.slice(b * perUser, (b + 1) * perUser).reduce((s, v) => s + v, 0);
      const gap = atBaseline[b] - full[b];
      assertGreater(
        Math.abs(gap),
        0.05,
        "the toy must move the loss for the check to mean something",
      );
      assertAlmostEquals(total, gap, 2e-3 + 1e-2 * Math.abs(gap), `user ${b}`);
    }
    tf.dispose(toy.tensors);
  });
}

Deno.test("gradient x input agrees with occlusion in ranking on a nonlinear model", async () => {
  // Modalities of very different strength, as in the planted benchmark.
  const toy = makeNextItemToy(4, 5, [1, 0.5, 0.1, 0.05], 8, 21);
  const config = { ...DEFAULT_ATTRIBUTION_CONFIG };
  const gxi = await computeContributions(toy.lossOf, toy.embeddings, toy.mask, config);
  const occ = await computeContributions(toy.lossOf, toy.embeddings, toy.mask, {
    ...config,
    method: "occlusion",
  });
  const perUser = 5 * 4;
  const correlations: number[] = [];
  const overlaps: number[] = [];
  for (let b = 0; b < 4; b++) {
    const x = Array.from(gxi.slice(b * perUser, (b + 1) * perUser));
    const y = Array.from(occ.slice(b * perUser, (b + 1) * perUser));
    correlations.push(spearman(x, y));
    overlaps.push(topKOverlap(x, y, 5));
  }
  console.log(`spearman(g x i, occlusion) per user: ${correlations.map((r) => r.toFixed(3))}`);
  console.log(`top-5 overlap per user: ${overlaps}`);
  // First order is not exact (tanh saturates for the strong modality), so single users can swap
  // neighbours; the ranking as a whole and the strongest pairs must still agree.
  const meanCorrelation = correlations.reduce((s, r) => s + r, 0) / correlations.length;
  assertGreater(meanCorrelation, 0.85);
  for (const r of correlations) assertGreater(r, 0.7);
  assertGreater(overlaps.reduce((s, o) => s + o, 0) / overlaps.length, 0.75);
  // In a random model a strong modality may help or hurt, but its effect is large either way: the
  // mean |contribution| per modality follows the planted scales, for both methods.
  const modalityMeans = (c: Float32Array) =>
    [0, 1, 2, 3].map((m) =>
      c.filter((_, i) => i % 4 === m).reduce((s, v) => s + Math.abs(v), 0) / 20
    );
  for (const c of [gxi, occ]) {
    const means = modalityMeans(c);
    assert(means[0] > means[1] && means[1] > means[2] && means[2] > means[3], `${means}`);
  }
  tf.dispose(toy.tensors);
});

Deno.test("invalid pairs get 0, no tensor leaks, and detached inputs leave training gradients untouched", async () => {
  const a = tf.tensor3d(A_VALUES);
  const lossOf = linearLoss(a);
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const before = tf.memory().numTensors;
  for (
    const method of [
      "gradient_x_input",
      "gradient_norm",
      "mask_gradient",
      "integrated_gradients",
      "occlusion",
    ] as const
  ) {
    const c = await computeContributions(lossOf, e, w, { ...DEFAULT_ATTRIBUTION_CONFIG, method });
    assertEquals(c[5], 0, `${method}: user 1, position 0, modality 1 is missing`);
  }
  assertEquals(tf.memory().numTensors, before, "tensors leaked");

  // The attribution differentiates detached copies of its inputs: a training step whose loss also
  // goes through a detached copy must get the same gradients as one that does not.
  const scale = tf.variable(tf.scalar(1.5));
  const trainLoss = (detachedToo: boolean) => () => {
    const scaled = tf.mul(e, scale) as tf.Tensor4D;
    const loss = tf.sum(lossOf(scaled, w));
    if (!detachedToo) return loss as tf.Scalar;
    return tf.add(loss, tf.sum(lossOf(detachedCopy(scaled), w))) as tf.Scalar;
  };
  const plain = tf.variableGrads(trainLoss(false));
  const withAttribution = tf.variableGrads(trainLoss(true));
  const key = Object.keys(plain.grads)[0];
  assertAlmostEquals(withAttribution.value.dataSync()[0], 2 * plain.value.dataSync()[0], 1e-4);
  assertEquals(withAttribution.grads[key].arraySync(), plain.grads[key].arraySync());
  // A detached copy shares the memory: disposing it leaves the original readable.
  const copy = detachedCopy(e);
  assertEquals(copy.arraySync(), E_VALUES);
  copy.dispose();
  assertEquals(e.arraySync(), E_VALUES);
  tf.dispose([plain.value, withAttribution.value, ...Object.values(plain.grads)]);
  tf.dispose([...Object.values(withAttribution.grads), scale, a, e, w]);
});

Deno.test("integrated gradients with no steps is refused by name, not read as a non-finite loss", async () => {
  // computeContributions takes the config unchecked (attributeModalities checks it first): with 0
  // steps the mean gradient was 0 / 0 and the error blamed the loss closure.
  const [a, e, w] = [tf.tensor3d(A_VALUES), tf.tensor4d(E_VALUES), tf.tensor3d(W_VALUES)];
  try {
    for (const steps of [0, 1.5]) {
      await assertRejects(
        () =>
          computeContributions(linearLoss(a), e, w, {
            ...DEFAULT_ATTRIBUTION_CONFIG,
            method: "integrated_gradients",
            integratedGradientsSteps: steps,
          }),
        Error,
        `integratedGradientsSteps must be a positive integer, got ${steps}`,
      );
    }
  } finally {
    tf.dispose([a, e, w]);
  }
});

Deno.test("an infinite contribution is refused like NaN, naming the pair", async () => {
  // L_b = 1 / (sum w - 3): occluding any of user 0's four pairs divides by 0.
  const lossOf = (_e: tf.Tensor4D, w: tf.Tensor3D) =>
    tf.div(1, tf.sub(tf.sum(w, [1, 2]), 3)) as tf.Tensor1D;
  const [e, w] = [tf.tensor4d(E_VALUES), tf.tensor3d(W_VALUES)];
  try {
    await assertRejects(
      () =>
        computeContributions(lossOf, e, w, { ...DEFAULT_ATTRIBUTION_CONFIG, method: "occlusion" }),
      Error,
      "computeContributions(occlusion): contribution at flat index 0 is Infinity",
    );
  } finally {
    tf.dispose([e, w]);
  }
});

Deno.test("an integer mask is read as float32 without leaving the converted copy behind", async () => {
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES, undefined, "int32");
  try {
    const before = tf.memory().numTensors;
    for (const method of ["gradient_x_input", "occlusion"] as const) {
      const c = await computeContributions(linearLoss(a), e, w, {
        ...DEFAULT_ATTRIBUTION_CONFIG,
        method,
      });
      assertEquals(c[5], 0, `${method}: user 1, position 0, modality 1 is missing`);
      assertEquals(tf.memory().numTensors, before, `${method}: tensors leaked`);
    }
  } finally {
    tf.dispose([a, e, w]);
  }
});

Deno.test("embeddingGradient and maskGradient: dL/dE and dL/dw of the linear loss, no tensor left", async () => {
  // L_b = sum_{p,m} w[b,p,m] a[p,m] . E[b,p,m]: dL/dE[b,p,m] = w[b,p,m] a[p,m] and
  // dL/dw[b,p,m] = a[p,m] . E[b,p,m], each user's in its own row.
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const before = tf.memory().numTensors;
  const byE = await embeddingGradient(linearLoss(a), e, w);
  const byW = await maskGradient(linearLoss(a), e, w);
  // Both read the gradient and the per-user loss, then dispose both.
  assertEquals(tf.memory().numTensors, before, "tensors leaked");
  const expectedE: number[] = [];
  const expectedW: number[] = [];
  const expectedLoss = [0, 0];
  for (let b = 0; b < 2; b++) {
    for (let p = 0; p < 2; p++) {
      for (let m = 0; m < 2; m++) {
        const weight = W_VALUES[b][p][m];
        const product = dot(A_VALUES[p][m], E_VALUES[b][p][m]);
        expectedE.push(...A_VALUES[p][m].map((value) => weight * value));
        expectedW.push(product);
        expectedLoss[b] += weight * product;
      }
    }
  }
  assertAllClose(Array.from(byE.gradient), expectedE, 1e-6, "dL/dE");
  assertAllClose(Array.from(byW.gradient), expectedW, 1e-6, "dL/dw");
  assertAllClose(Array.from(byE.loss), expectedLoss, 1e-6, "loss (embeddingGradient)");
  assertAllClose(Array.from(byW.loss), expectedLoss, 1e-6, "loss (maskGradient)");
  tf.dispose([a, e, w]);
});

Deno.test("embeddingGradient refuses embeddings without a dim axis, before any tensor is made", async () => {
  const a = tf.tensor3d(A_VALUES);
  const w = tf.tensor3d(W_VALUES);
  // [2, 2, 2] with a mask of the same shape broadcasts through the loss without an error.
  const flat = tf.tensor3d(W_VALUES) as unknown as tf.Tensor4D;
  const before = tf.memory().numTensors;
  await assertRejects(
    () => embeddingGradient(linearLoss(a), flat, w),
    Error,
    "embeddingGradient: embeddings must be [batch, position, modality, dim], got shape [2,2,2]",
  );
  assertEquals(tf.memory().numTensors, before, "tensors leaked");
  tf.dispose([a, w, flat]);
});

Deno.test("embeddingGradient differentiates its argument only, not the same tensor held elsewhere", async () => {
  // A loss that also reads E (or w) from its closure: through the detached copy dL/dE is E (and
  // dL/dw is w); differentiating the input itself would count the closure's read too, 2E.
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const readsE = (x: tf.Tensor4D, _mask: tf.Tensor3D) =>
    tf.sum(tf.mul(x, e), [1, 2, 3]) as tf.Tensor1D;
  const readsW = (_embeddings: tf.Tensor4D, x: tf.Tensor3D) =>
    tf.sum(tf.mul(x, w), [1, 2]) as tf.Tensor1D;
  const byE = await embeddingGradient(readsE, e, w);
  const byW = await maskGradient(readsW, e, w);
  assertAllClose(Array.from(byE.gradient), E_VALUES.flat(3), 0, "dL/dE");
  assertAllClose(Array.from(byW.gradient), W_VALUES.flat(2), 0, "dL/dw");
  tf.dispose([e, w]);
});

Deno.test("occlusion runs one forward pass per column with a valid pair, and one for the full mask", async () => {
  // Modality 1 is missing at position 0 for both users: that column has no valid pair, so
  // occluding it cannot change any loss, and the documented cost skips it (1 full pass + 3 columns).
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d([[[1, 0], [1, 1]], [[1, 0], [1, 1]]]);
  let calls = 0;
  const counted = (emb: tf.Tensor4D, mask: tf.Tensor3D) => {
    calls++;
    return linearLoss(a)(emb, mask);
  };
  try {
    const c = await computeContributions(counted, e, w, {
      ...DEFAULT_ATTRIBUTION_CONFIG,
      method: "occlusion",
    });
    assertEquals(calls, 4);
    assertEquals([c[1], c[5]], [0, 0], "the skipped column's pairs are 0");
  } finally {
    tf.dispose([a, e, w]);
  }
});

Deno.test("a mask without its modality axis is refused, and maskGradient names itself", async () => {
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  // [batch, position] matches the first two axes of E: only the rank check stops it.
  const perPosition = tf.tensor2d([[1, 1], [1, 0]]) as unknown as tf.Tensor3D;
  const narrow = tf.tensor3d([[[1], [1]], [[1], [1]]]);
  try {
    const before = tf.memory().numTensors;
    await assertRejects(
      () => embeddingGradient(linearLoss(a), e, perPosition),
      Error,
      "embeddingGradient: mask must be [batch, position, modality] = [2,2,2], got [2,2]",
    );
    // The error names the function called, not the one it shares its checks with.
    await assertRejects(
      () => maskGradient(linearLoss(a), e, narrow),
      Error,
      "maskGradient: mask must be [batch, position, modality] = [2,2,2], got [2,2,1]",
    );
    assertEquals(tf.memory().numTensors, before, "tensors leaked");
  } finally {
    tf.dispose([a, e, perPosition, narrow]);
  }
});

Deno.test("integrated gradients with an unknown baseline is refused by name, not run as another one", async () => {
  // computeContributions takes the config unchecked: a baseline it does not know (a typo, a JSON
  // config) took the masked path, silently.
  const [a, e, w] = [tf.tensor3d(A_VALUES), tf.tensor4d(E_VALUES), tf.tensor3d(W_VALUES)];
  try {
    const before = tf.memory().numTensors;
    await assertRejects(
      () =>
        computeContributions(linearLoss(a), e, w, {
          ...DEFAULT_ATTRIBUTION_CONFIG,
          method: "integrated_gradients",
          integratedGradientsBaseline: "zero" as IntegratedGradientsBaseline,
        }),
      Error,
      'integratedGradientsBaseline must be one of "zero_embedding", "masked", got "zero"',
    );
    assertEquals(tf.memory().numTensors, before, "tensors leaked");
  } finally {
    tf.dispose([a, e, w]);
  }
});

Deno.test("a fusion-mask value outside [0, 1] is refused by name, index and value, not read as padding", async () => {
  // A NaN weight compared false with `> 0`: the pair was taken as padding and its contribution
  // silently set to 0. The mask is presence x padding (0/1) or a fractional weight; anything else
  // is a bug upstream. Occlusion refuses it before running its forward passes.
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  try {
    for (const bad of [NaN, -1, 1.5, Infinity]) {
      const values = W_VALUES.flat(2);
      values[6] = bad;
      const w = tf.tensor3d(values, [2, 2, 2]);
      try {
        for (const method of ["gradient_x_input", "mask_gradient", "occlusion"] as const) {
          let calls = 0;
          const counting = (x: tf.Tensor4D, mask: tf.Tensor3D) => {
            calls++;
            return linearLoss(a)(x, mask);
          };
          await assertRejects(
            () => computeContributions(counting, e, w, { ...DEFAULT_ATTRIBUTION_CONFIG, method }),
            Error,
            `computeContributions(${method}): mask value at flat index 6 is ${bad}`,
          );
          if (method === "occlusion") assertEquals(calls, 0, "occlusion ran before the check");
        }
      } finally {
        w.dispose();
      }
    }
  } finally {
    tf.dispose([a, e]);
  }
});

Deno.test("a loss not one per user is refused naming the method that ran it (occlusion, integrated gradients)", async () => {
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  const perDimension = (emb: tf.Tensor4D, mask: tf.Tensor3D) =>
    tf.sum(tf.mul(emb, tf.expandDims(mask, 3)), [1, 2]) as unknown as tf.Tensor1D;
  try {
    for (
      const [method, where] of [
        ["occlusion", "occlusion"],
        ["integrated_gradients", "integrated gradients"],
      ] as const
    ) {
      await assertRejects(
        () =>
          computeContributions(perDimension, e, w, {
            ...DEFAULT_ATTRIBUTION_CONFIG,
            method,
            integratedGradientsSteps: 2,
          }),
        Error,
        `${where}: lossOfEmbeddings must return [batch = 2], got [2,2]`,
      );
    }
  } finally {
    tf.dispose([e, w]);
  }
});

Deno.test("occlusion: a loss that fails at a later column leaves none of the earlier passes' losses", async () => {
  // The full pass and the first column's pass are on the device when the second column's loss
  // throws; they are freed on the error path too, not only after the read (mutation round JH).
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  let calls = 0;
  const failsOnThird = (emb: tf.Tensor4D, mask: tf.Tensor3D) => {
    calls++;
    if (calls === 3) throw new Error("third pass fails");
    return linearLoss(a)(emb, mask);
  };
  try {
    const before = tf.memory().numTensors;
    await assertRejects(
      () =>
        computeContributions(failsOnThird, e, w, {
          ...DEFAULT_ATTRIBUTION_CONFIG,
          method: "occlusion",
        }),
      Error,
      "third pass fails",
    );
    assertEquals(calls, 3);
    assertEquals(tf.memory().numTensors, before, "tensors leaked");
  } finally {
    tf.dispose([a, e, w]);
  }
});
