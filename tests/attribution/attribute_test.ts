import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeModalities } from "../../lib/attribution/attribute.ts";
import { scoreAgainstTruth } from "../../lib/attribution/score_against_truth.ts";
import { normaliseContributions } from "../../lib/attribution/normalise.ts";
import type { PlantedTruth } from "../../lib/data/types.ts";
import { linearLoss } from "./_toy_models.ts";

await initBackend({ verbose: false });

const USERS = 3;
const POSITIONS = 4;
const MODALITIES = 3;
const DIM = 2;
// Points of interest per user: user 0 {0}, user 1 {1, 2}, user 2 {0, 2}.
const TRUTH: PlantedTruth = {
  modalityNames: ["id", "text", "genre"],
  pointsOfInterest: Uint8Array.of(1, 0, 0, 0, 1, 1, 1, 0, 1),
};

/**
 * Planted toy: L_b = sum w (1 . e). A point of interest has e = (-1, -1), so removing it raises
 * the loss by 2; a noise modality has e = +-0.01, so removing it changes almost nothing.
 * User 2's position 0 is padding.
 */
function plantedInputs(): { e: tf.Tensor4D; w: tf.Tensor3D } {
  const e: number[] = [];
  const w: number[] = [];
  for (let b = 0; b < USERS; b++) {
    for (let p = 0; p < POSITIONS; p++) {
      for (let m = 0; m < MODALITIES; m++) {
        const interest = TRUTH.pointsOfInterest[b * MODALITIES + m] === 1;
        const tiny = ((b + p + m) % 2 === 0 ? 1 : -1) * 0.01;
        e.push(interest ? -1 : tiny, interest ? -1 : tiny);
        w.push(b === 2 && p === 0 ? 0 : 1);
      }
    }
  }
  return {
    e: tf.tensor4d(e, [USERS, POSITIONS, MODALITIES, DIM]),
    w: tf.tensor3d(w, [USERS, POSITIONS, MODALITIES]),
  };
}

Deno.test("attribution on a planted toy: noise set inside the truth, AUC 1, exact precision and recall", async () => {
  const weights = tf.ones([POSITIONS, MODALITIES, DIM]) as tf.Tensor3D;
  const { e, w } = plantedInputs();
  const before = tf.memory().numTensors;
  const result = await attributeModalities(linearLoss(weights), e, w);
  assertEquals(tf.memory().numTensors, before, "tensors leaked");
  assertEquals(result.shape, [USERS, POSITIONS, MODALITIES]);
  assertEquals(result.method, "gradient_x_input");
  assertEquals(result.normalisation, "zscore");
  // Points of interest contribute -(1 . e) = 2 each.
  assertAlmostEquals(result.contributions[0], 2, 1e-6);
  // Padding is invalid: contribution 0, normalised NaN, neither noise nor point of interest.
  const padding = (2 * POSITIONS + 0) * MODALITIES;
  assertEquals(result.contributions[padding], 0);
  assert(Number.isNaN(result.normalised[padding]));
  assertEquals([result.noiseMask[padding], result.interestMask[padding]], [0, 0]);
  for (let i = 0; i < result.validMask.length; i++) {
    assertEquals(result.interestMask[i], result.validMask[i] && !result.noiseMask[i] ? 1 : 0);
  }
  // rho 0.3: floor(3.6) = 3 for users 0 and 1 (12 valid pairs), floor(2.7) = 2 for user 2 (9).
  const selectedPerUser = [0, 1, 2].map((b) =>
    result.noiseMask.slice(b * 12, (b + 1) * 12).reduce((s, v) => s + v, 0)
  );
  assertEquals(selectedPerUser, [3, 3, 2]);

  const score = scoreAgainstTruth([{ result, users: Int32Array.of(0, 1, 2) }], TRUTH);
  // Truly noise among valid pairs: user 0: 4 x 2, user 1: 4 x 1, user 2: 3 x 1 = 15.
  assertEquals(score.truthNoise, 15);
  assertEquals(score.units, 33);
  assertEquals(score.precision, 1);
  assertEquals(score.recall, 8 / 15);
  assertEquals(score.rocAuc, 1);

  // Permuting which user id each row belongs to breaks the match with the truth.
  const wrong = scoreAgainstTruth([{ result, users: Int32Array.of(1, 2, 0) }], TRUTH);
  assert(wrong.rocAuc < 0.5, `AUC against the wrong users: ${wrong.rocAuc}`);
  assertEquals(result.aggregateByModality.length, MODALITIES);
  // Each modality's means are over its valid pairs: of the raw contributions, of the normalised.
  for (const aggregate of result.aggregateByModality) {
    const pairs = [...result.validMask.keys()].filter((i) =>
      i % MODALITIES === aggregate.modality && result.validMask[i] === 1
    );
    const mean = (values: Float32Array) => pairs.reduce((s, i) => s + values[i], 0) / pairs.length;
    assertEquals(aggregate.count, pairs.length);
    assertAlmostEquals(aggregate.meanContribution, mean(result.contributions), 1e-6);
    assertAlmostEquals(aggregate.meanNormalised, mean(result.normalised), 1e-6);
    // The noise rate is of the noise set, not of its complement (the points of interest).
    assertAlmostEquals(aggregate.noiseRate, mean(Float32Array.from(result.noiseMask)), 1e-12);
  }
  // The toy discriminates: some modality's noise rate is not one half.
  assert(result.aggregateByModality.some((a) => Math.abs(a.noiseRate - 0.5) > 0.1));

  // By name: a truth over (genre, text) only; the result's id modality is left out of every count.
  const contentTruth: PlantedTruth = {
    modalityNames: ["genre", "text"],
    pointsOfInterest: Uint8Array.of(0, 0, 1, 1, 1, 0), // user 0: none, 1: both, 2: genre
  };
  const byName = scoreAgainstTruth([{ result, users: Int32Array.of(0, 1, 2) }], contentTruth, {
    resultModalityNames: ["id", "text", "genre"],
  });
  // Valid pairs of text and genre: 4 + 4 + 4 + 4 + 3 + 3 = 22; truly noise: 8 (user 0) + 3 (user 2 text).
  assertEquals([byName.units, byName.truthNoise], [22, 11]);
  // Selected text/genre pairs: user 0's three (all noise), none for user 1, user 2's two (text).
  assertEquals([byName.selected, byName.truePositives], [5, 5]);
  assertThrows(
    () =>
      scoreAgainstTruth([{ result, users: Int32Array.of(0, 1, 2) }], contentTruth, {
        resultModalityNames: ["id", "text", "audio"],
      }),
    Error,
    'truth modality "genre"',
  );
  // Every modality a point of interest for every user: no planted noise, no AUC to take (NaN,
  // which the counts explain), while the rest of the score stands.
  const noNoise: PlantedTruth = { ...TRUTH, pointsOfInterest: new Uint8Array(9).fill(1) };
  for (const level of ["pair", "user_modality"] as const) {
    const oneClass = scoreAgainstTruth([{ result, users: Int32Array.of(0, 1, 2) }], noNoise, {
      level,
    });
    assert(Number.isNaN(oneClass.rocAuc), `${level}: one class has no AUC`);
    assertEquals([oneClass.truthNoise, oneClass.truePositives, oneClass.precision], [0, 0, 0]);
  }
  tf.dispose([weights, e, w]);
});

Deno.test("scoring rejects a batch whose modalities or users do not match the truth", async () => {
  const weights = tf.ones([POSITIONS, MODALITIES, DIM]) as tf.Tensor3D;
  const { e, w } = plantedInputs();
  const result = await attributeModalities(linearLoss(weights), e, w, { method: "occlusion" });
  assertEquals(result.method, "occlusion", "the result names the method that measured it");
  assertThrows(
    () => scoreAgainstTruth([{ result, users: Int32Array.of(0, 1) }], TRUTH),
    Error,
    "3 rows, 2 users",
  );
  assertThrows(
    () => scoreAgainstTruth([{ result, users: Int32Array.of(0, 1, 7) }], TRUTH),
    Error,
    "user 7 has no truth",
  );
  // A negative id indexes before the user's row: it read as "no point of interest" (all noise).
  assertThrows(
    () => scoreAgainstTruth([{ result, users: Int32Array.of(0, -1, 2) }], TRUTH),
    Error,
    "row 1: user -1 has no truth",
  );
  const twoModalities: PlantedTruth = {
    modalityNames: ["a", "b"],
    pointsOfInterest: new Uint8Array(6),
  };
  assertThrows(
    () => scoreAgainstTruth([{ result, users: Int32Array.of(0, 1, 2) }], twoModalities),
    Error,
    "batch 0 has 3 modalities, expected 2 (a, b)",
  );
  tf.dispose([weights, e, w]);
});

Deno.test("attributeModalities: a selection of unknown kind or a threshold that is not finite is a SettingError", async () => {
  // Unchecked, kind "top" fell through to the bottom fraction of its rho, and a threshold of
  // Infinity marked every pair as noise, both silently; NaN failed after the attribution pass
  // with a plain Error naming no setting.
  const weights = tf.ones([POSITIONS, MODALITIES, DIM]) as tf.Tensor3D;
  const { e, w } = plantedInputs();
  const bad: [Record<string, unknown>, string, string][] = [
    [{ kind: "top", rho: 0.3 }, "AttributionConfig.selection.kind", '"top"'],
    [
      { kind: "threshold", threshold: Infinity },
      "AttributionConfig.selection.threshold",
      "Infinity",
    ],
    [{ kind: "threshold", threshold: NaN }, "AttributionConfig.selection.threshold", "NaN"],
  ];
  try {
    for (const [selection, setting, value] of bad) {
      const error = await attributeModalities(linearLoss(weights), e, w, {
        selection,
      } as Partial<Parameters<typeof attributeModalities>[3]>).then(() => undefined, (e) => e);
      assertEquals([error?.name, error?.setting], ["SettingError", setting], `${error}`);
      assert(error.message.includes(`is ${value};`), error.message);
    }
  } finally {
    tf.dispose([weights, e, w]);
  }
});

Deno.test("attributeModalities: a setting name it does not have is a SettingError, not the default", async () => {
  // `methd` was dropped and gradient x input ran, silently.
  const weights = tf.ones([POSITIONS, MODALITIES, DIM]) as tf.Tensor3D;
  const { e, w } = plantedInputs();
  try {
    const error = await attributeModalities(linearLoss(weights), e, w, {
      methd: "occlusion",
    } as Partial<Parameters<typeof attributeModalities>[3]>).then(() => undefined, (e) => e);
    assertEquals(
      [error?.name, error?.message],
      [
        "SettingError",
        'AttributionConfig.methd is "occlusion"; allowed: one of the settings method, ' +
        "integratedGradientsSteps, integratedGradientsBaseline, normalisation, selection, " +
        "granularity; did you mean method?",
      ],
    );
  } finally {
    tf.dispose([weights, e, w]);
  }
});

Deno.test("attributeModalities normalises by the method asked for (rank)", async () => {
  const weights = tf.ones([POSITIONS, MODALITIES, DIM]) as tf.Tensor3D;
  const { e, w } = plantedInputs();
  try {
    const result = await attributeModalities(linearLoss(weights), e, w, { normalisation: "rank" });
    assertEquals(result.normalisation, "rank");
    const expected = normaliseContributions(
      result.contributions,
      result.validMask,
      result.shape,
      "rank",
    );
    assertEquals(Array.from(result.normalised), Array.from(expected));
  } finally {
    tf.dispose([weights, e, w]);
  }
});

Deno.test("attributeModalities: the result names the selection it ran, a threshold included", async () => {
  // A plot or a record that reads result.selection must see the threshold that chose the noise
  // set, not the default bottom fraction.
  const weights = tf.ones([POSITIONS, MODALITIES, DIM]) as tf.Tensor3D;
  const { e, w } = plantedInputs();
  try {
    const selection = { kind: "threshold", threshold: 0 } as const;
    const result = await attributeModalities(linearLoss(weights), e, w, { selection });
    assertEquals(result.selection, selection);
    const below = result.normalised.map((z, i) => result.validMask[i] && z < 0 ? 1 : 0);
    assertEquals(Array.from(result.noiseMask), Array.from(below));
  } finally {
    tf.dispose([weights, e, w]);
  }
});

Deno.test("attributeModalities: a pair whose mask value is a fraction is valid (mask > 0), not dropped", async () => {
  // A fusion weight below 1 still marks a present modality: read as an integer it was 0, and the
  // pair fell out of the normalisation, the noise set and every count.
  const weights = tf.ones([POSITIONS, MODALITIES, DIM]) as tf.Tensor3D;
  const { e, w } = plantedInputs();
  const half = tf.mul(w, 0.5) as tf.Tensor3D;
  try {
    const result = await attributeModalities(linearLoss(weights), e, half);
    const expected = Array.from(w.dataSync(), (value): number => value > 0 ? 1 : 0);
    assertEquals(Array.from(result.validMask), expected);
    assertEquals(expected.reduce((sum, v) => sum + v, 0), 33);
    // A point of interest contributes -(0.5 . 1 . e) = 1; its normalised score is finite.
    assertAlmostEquals(result.contributions[0], 1, 1e-6);
    assert(Number.isFinite(result.normalised[0]));
  } finally {
    tf.dispose([weights, e, w, half]);
  }
});
