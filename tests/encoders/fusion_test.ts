import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type FusionConfig, ModalityFusion } from "../../lib/encoders/fusion.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { assertGradientMatches } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-5) {
  assertEquals(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assertAlmostEquals(actual[i], expected[i], tolerance);
}

Deno.test("mean fusion: masked weighted mean with max(1, .) denominator, hand computed", () => {
  const fusion = new ModalityFusion({ kind: "mean" }, 2, new ParameterStore(0));
  // one position, 3 modalities, dim 2
  const e = tf.tensor4d([[[[1, 2], [3, 4], [100, 100]]]]);
  const presence = tf.tensor3d([[[1, 1, 0]]]); // modality 2 missing: its values must not leak
  const full = fusion.apply(e, tf.tensor3d([[[1, 1, 1]]]), presence);
  close(full.dataSync(), [2, 3]); // (e0 + e1) / 2
  const first = fusion.apply(e, tf.tensor3d([[[1, 0, 1]]]), presence);
  close(first.dataSync(), [1, 2]); // only e0
  const soft = fusion.apply(e, tf.tensor3d([[[0.5, 0, 1]]]), presence);
  close(soft.dataSync(), [0.5, 1]); // 0.5 * e0 / max(1, 0.5)
  const none = fusion.apply(e, tf.tensor3d([[[0, 0, 1]]]), presence);
  close(none.dataSync(), [0, 0]);
  const sum = new ModalityFusion({ kind: "sum" }, 2, new ParameterStore(0));
  close(sum.apply(e, tf.tensor3d([[[1, 1, 1]]]), presence).dataSync(), [4, 6]);
});

Deno.test("fusion with projection and layer norm: the norm comes last, each vector normalised", () => {
  const fusion = new ModalityFusion(
    { kind: "mean", projection: true, layerNorm: true },
    4,
    new ParameterStore(2),
  );
  const fused = tf.tidy(() => {
    const e = tf.randomNormal([2, 3, 2, 4], 0, 1, "float32", 7);
    return fusion.apply(e, tf.ones([2, 3, 2]), tf.ones([2, 3, 2])).dataSync();
  });
  // At the initial gain 1 and bias 0 each fused vector has mean 0 and variance 1; a projection
  // after the norm would leave neither.
  for (let row = 0; row < 6; row++) {
    const v = Array.from(fused.subarray(4 * row, 4 * row + 4));
    const mean = v.reduce((a, b) => a + b, 0) / 4;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    assertAlmostEquals(mean, 0, 1e-5);
    assertAlmostEquals(variance, 1, 1e-3);
  }
});

for (const kind of ["mean", "gated"] as const) {
  Deno.test(`${kind} fusion (with projection and norm) passes finite-difference gradient checks`, () => {
    const store = new ParameterStore(3);
    const fusion = new ModalityFusion({ kind, projection: true, layerNorm: true }, 4, store);
    const e = tf.randomNormal([2, 2, 3, 4], 0, 1, "float32", 5);
    const w = tf.tensor3d([[[1, 0.3, 1], [0, 0.9, 0.7]], [[1, 1, 1], [0.2, 0.5, 0]]]);
    const presence = tf.tensor3d([[[1, 1, 1], [1, 1, 0]], [[1, 0, 1], [1, 1, 1]]]);
    const probe = tf.randomNormal([2, 2, 4], 0, 1, "float32", 6);
    assertGradientMatches((x) => tf.sum(tf.mul(fusion.apply(x, w, presence), probe)), e);
    assertGradientMatches((x) => tf.sum(tf.mul(fusion.apply(e, x, presence), probe)), w);
  });
}

Deno.test("gated fusion keeps the presence and weight mask: masked modalities cannot leak", () => {
  const store = new ParameterStore(4);
  const fusion = new ModalityFusion({ kind: "gated" }, 2, store);
  const presence = tf.tensor3d([[[1, 1, 0]]]); // modality 2 absent
  const w = tf.tensor3d([[[1, 0, 1]]]); // modality 1 masked by the weights
  const fused = (e: number[][]) => fusion.apply(tf.tensor4d([[[...e]]]), w, presence).dataSync();
  const base = fused([[1, 2], [3, 4], [5, 6]]);
  // Only e0 counts: sigmoid(e0 . u + b) * e0 / max(1, 1).
  const u = fusion.parameters.gate!.kernel.dataSync();
  const b = fusion.parameters.gate!.bias.dataSync()[0];
  const gate = 1 / (1 + Math.exp(-(1 * u[0] + 2 * u[1] + b)));
  close(base, [gate * 1, gate * 2]);
  close(fused([[1, 2], [-30, 40], [70, -80]]), Array.from(base));
  // ...while e0 does move the output (the comparison above can fail).
  const moved = fused([[2, -1], [3, 4], [5, 6]]);
  assert(Math.abs(moved[0] - base[0]) > 1e-3);
  store.dispose();
});

Deno.test("gated fusion divides by the mask's sum, not by the gates' sum", () => {
  const store = new ParameterStore(4);
  const fusion = new ModalityFusion({ kind: "gated" }, 2, store);
  const e = [[1, 2], [3, -4], [5, 6]];
  const presence = tf.tensor3d([[[1, 1, 1]]]);
  const w = tf.tensor3d([[[1, 0.5, 1]]]);
  const embeddings = tf.tensor4d([[e]]);
  const output = fusion.apply(embeddings, w, presence);
  const fused = output.dataSync();
  // v = sum_m g_m w_m e_m / max(1, sum_m w_m p_m), g_m = sigmoid(e_m . u + b): the gates weigh
  // the modalities, the denominator (2.5) counts them, as in mean fusion.
  const u = fusion.parameters.gate!.kernel.dataSync();
  const b = fusion.parameters.gate!.bias.dataSync()[0];
  const weights = [1, 0.5, 1];
  const want = [0, 1].map((c) =>
    e.reduce((sum, em, m) => {
      const gate = 1 / (1 + Math.exp(-(em[0] * u[0] + em[1] * u[1] + b)));
      return sum + gate * weights[m] * em[c];
    }, 0) / 2.5
  );
  close(fused, want);
  tf.dispose([embeddings, output, presence, w]);
  store.dispose();
});

for (const kind of ["mean", "gated"] as const) {
  Deno.test(`${kind} fusion: at a lone present modality dL/dw is the derivative of masking it`, () => {
    // Position 0 has one present modality at full weight: sum_m w p = 1, the kink of max(1, .).
    // Masking moves w down, onto the constant branch, where v = w e (a lone modality scales
    // down); tf.maximum gave dL/dw = 0 there (the renormalised branch's derivative).
    // Position 1 (three modalities) is a control away from the kink.
    const store = new ParameterStore(7);
    const fusion = new ModalityFusion({ kind, projection: true }, 4, store);
    const e = tf.randomNormal([1, 2, 3, 4], 0, 1, "float32", 8);
    const presence = tf.tensor3d([[[0, 1, 0], [1, 1, 1]]]);
    const w = [1, 1, 1, 1, 1, 1];
    const probe = tf.randomNormal([1, 2, 4], 0, 1, "float32", 9);
    const lossOf = (weights: tf.Tensor) =>
      tf.sum(tf.square(tf.add(fusion.apply(e, weights, presence), probe)));
    const gradient = tf.tidy(() => tf.grad(lossOf)(tf.tensor3d(w, [1, 2, 3])).dataSync());
    const loss = (values: number[]) =>
      tf.tidy(() => lossOf(tf.tensor3d(values, [1, 2, 3])).dataSync()[0]);
    const h = 1e-2;
    for (const index of [1, 3, 4, 5]) {
      const down = [...w];
      down[index] -= h;
      const leftSlope = (loss(w) - loss(down)) / h;
      assert(Math.abs(leftSlope) > 0.05, `index ${index}: a zero slope proves nothing`);
      assertAlmostEquals(gradient[index], leftSlope, 0.02 * Math.abs(leftSlope) + 1e-3);
    }
    tf.dispose([e, presence, probe]);
    store.dispose();
  });
}

Deno.test("fusion: a setting out of range or unknown is a SettingError before any parameter", () => {
  // Each used to build: "max" fused as the mean, a string "false" added the projection, 1 the
  // layer norm, and a misspelt name was left out.
  const refused: [Record<string, unknown>, string][] = [
    [{ kind: "max" }, 'FusionConfig.kind is "max"; allowed: one of "mean", "sum", "gated"'],
    [{ kind: "mean", projection: "false" }, 'FusionConfig.projection is "false"'],
    [{ kind: "mean", layerNorm: 1 }, "FusionConfig.layerNorm is 1"],
    [{ kind: "mean", norm: true }, "FusionConfig.norm is true"],
  ];
  for (const [config, message] of refused) {
    const store = new ParameterStore(0);
    assertThrows(
      () => new ModalityFusion(config as unknown as FusionConfig, 2, store),
      SettingError,
      message,
    );
    assertEquals(store.names(), [], message);
  }
});

Deno.test("gated fusion: the gate starts at N(0, 1/dim) weights and a zero bias, and reads its bias", () => {
  // dim 1024: the sample std of the gate kernel's 1024 draws is 1/sqrt(1024) within about 2 %
  // (one standard error); 10 % tells it apart from 1/1024 or 1.
  const wide = new ParameterStore(5);
  const kernel = Array.from(new ModalityFusion({ kind: "gated" }, 1024, wide).parameters.gate!
    .kernel.dataSync());
  const std = Math.sqrt(kernel.reduce((a, v) => a + v * v, 0) / kernel.length);
  assert(Math.abs(std - 1 / 32) < 0.1 / 32, `gate kernel std ${std}, want 1/32`);
  wide.dispose();
  const store = new ParameterStore(4);
  const fusion = new ModalityFusion({ kind: "gated" }, 2, store);
  const gate = fusion.parameters.gate!;
  assertEquals(Array.from(gate.bias.dataSync()), [0]);
  // A trained bias moves every gate: sigmoid(e . u + b) with b = 1.5, one modality present.
  tf.tidy(() => gate.bias.assign(tf.tensor1d([1.5])));
  const u = gate.kernel.dataSync();
  const e = [[1, 2], [3, 4]];
  const fused = tf.tidy(() =>
    fusion.apply(tf.tensor4d([[e]]), tf.tensor3d([[[1, 0]]]), tf.tensor3d([[[1, 1]]])).dataSync()
  );
  const g = 1 / (1 + Math.exp(-(1 * u[0] + 2 * u[1] + 1.5)));
  close(fused, [g * 1, g * 2]);
  store.dispose();
});

Deno.test("fusion projection and layer norm apply their trained biases, by hand", () => {
  // Both biases start at 0, so a projection or norm that dropped its bias fused the same numbers
  // at initialisation. Two modalities present, w = 1: the mean is ([1, 2] + [3, 4]) / 2 = [2, 3].
  const e = [[1, 2], [3, 4]];
  const fuse = (fusion: ModalityFusion) =>
    tf.tidy(() =>
      fusion.apply(tf.tensor4d([[e]]), tf.tensor3d([[[1, 1]]]), tf.tensor3d([[[1, 1]]])).dataSync()
    );
  const projected = new ModalityFusion(
    { kind: "mean", projection: true },
    2,
    new ParameterStore(0),
  );
  const projection = projected.parameters.projection!;
  tf.tidy(() => {
    projection.kernel.assign(tf.tensor2d([[1, 2], [3, 4]]));
    projection.bias.assign(tf.tensor1d([0.5, -1]));
  });
  // [2, 3] . [[1, 2], [3, 4]] = [2 + 9, 4 + 12] = [11, 16]; plus the bias: [11.5, 15].
  close(fuse(projected), [11.5, 15]);
  const normed = new ModalityFusion({ kind: "mean", layerNorm: true }, 2, new ParameterStore(0));
  const norm = normed.parameters.norm!;
  tf.tidy(() => {
    norm.gain.assign(tf.tensor1d([2, 3]));
    norm.bias.assign(tf.tensor1d([0.5, -1]));
  });
  // [2, 3]: mean 2.5, variance 0.25, normalised [-1, 1] (epsilon 1e-6 moves it by 2e-6); times the
  // gain [2, 3] is [-2, 3]; plus the bias: [-1.5, 2].
  close(fuse(normed), [-1.5, 2]);
});
