import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeModalities } from "../../lib/attribution/attribute.ts";
import { scoreAgainstTruth } from "../../lib/attribution/score_against_truth.ts";
import {
  selectNoiseByUserModality,
  userModalityScores,
} from "../../lib/attribution/user_modality.ts";
import type { AttributionResult, PairShape } from "../../lib/attribution/types.ts";
import type { PlantedTruth } from "../../lib/data/types.ts";
import { linearLoss } from "./_toy_models.ts";
import { resultOfValues } from "./_toy_results.ts";

await initBackend({ verbose: false });

// [batch 2, position 3, modality 3]; user 1: position 0 is padding, modality 2 never present.
const SHAPE: PairShape = [2, 3, 3];
const VALID = Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0);
const SCORES = Float32Array.of(
  ...[1, -1, 0, 2, -2, 0.5, 0, -0.5, 9],
  ...[9, 9, 9, 1, 0, 9, 3, -4, 9],
);

Deno.test("user-modality scores average each modality over the user's valid positions", () => {
  const means = userModalityScores(SCORES, VALID, SHAPE);
  // user 0: m0 = (1 + 2 + 0) / 3, m1 = (-1 - 2 - 0.5) / 3, m2 = 0.5 / 2 (position 2 lacks m2)
  const expected = [1, -3.5 / 3, 0.25, 2, -2, NaN];
  Array.from(means).forEach((v, i) => {
    if (Number.isNaN(expected[i])) assert(Number.isNaN(v), `index ${i}`);
    else assert(Math.abs(v - expected[i]) < 1e-6, `index ${i}: ${v}`);
  });
});

Deno.test("user-modality selection marks whole modalities at every valid position", () => {
  const means = userModalityScores(SCORES, VALID, SHAPE);
  // rho 0.5: user 0 has 3 candidate modalities -> 1 (m1); user 1 has 2 -> 1 (m1).
  const noise = selectNoiseByUserModality(means, VALID, SHAPE, {
    kind: "bottom_fraction",
    rho: 0.5,
  });
  assertEquals(Array.from(noise), [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
  // threshold 0.5: user 0 -> m1 and m2 (0.25); user 1 -> m1 (-2); m2 of user 1 is absent, never noise.
  const below = selectNoiseByUserModality(means, VALID, SHAPE, {
    kind: "threshold",
    threshold: 0.5,
  });
  assertEquals(Array.from(below), [0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
  assertThrows(
    () =>
      selectNoiseByUserModality(new Float32Array(5), VALID, SHAPE, {
        kind: "threshold",
        threshold: 0,
      }),
    Error,
    "expected 6",
  );
});

/** The scoring test's result with these contributions and normalised values. */
function resultOf(contributions: Float32Array, normalised: Float32Array): AttributionResult {
  const noiseMask = Uint8Array.of(1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
  return resultOfValues(contributions, normalised, VALID, noiseMask, SHAPE);
}

/** Six users; user 0 driven by m0 only, user 5 by m0 and m2 (the scored rows are users 0, 5). */
const TRUTH_OF_SIX: PlantedTruth = {
  modalityNames: ["a", "b", "c"],
  pointsOfInterest: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]),
};

Deno.test("scoring at the user-modality level: mean scores, majority rule for selection", () => {
  const result = resultOf(SCORES, SCORES);
  const score = scoreAgainstTruth([{ result, users: Int32Array.of(0, 5) }], TRUTH_OF_SIX, {
    level: "user_modality",
  });
  // Units: user 0 m0, m1, m2; user 1 m0, m1 (m2 absent) = 5; truly noise: u0 m1, u0 m2, u1 m1.
  assertEquals([score.units, score.truthNoise], [5, 3]);
  // Selected (more than half of the valid pairs noise): u0 m1 (3 of 3); u0 m0 has 1 of 3 -> no;
  // u1 m0 has 1 of 2 -> not more than half.
  assertEquals([score.selected, score.truePositives], [1, 1]);
  assertEquals([score.precision, score.recall], [1, 1 / 3]);
  // AUC of -mean: noise scores {-3.5/3, 0.25, -2} vs interest {1, 2}: every noise is lower -> 1.
  assertEquals(score.rocAuc, 1);
});

Deno.test("scoreBy contributions ranks by the raw contributions, at both levels", () => {
  // The normalised values rank every unit the other way round from the contributions.
  const negated = SCORES.map((v) => -v);
  const users = Int32Array.of(0, 5);
  for (const level of ["pair", "user_modality"] as const) {
    const byContributions = scoreAgainstTruth(
      [{ result: resultOf(SCORES, negated), users }],
      TRUTH_OF_SIX,
      { level, scoreBy: "contributions" },
    );
    // The same values read as the normalised ones give the same AUC.
    const sameValues = scoreAgainstTruth(
      [{ result: resultOf(negated, SCORES), users }],
      TRUTH_OF_SIX,
      { level },
    );
    const byNormalised = scoreAgainstTruth(
      [{ result: resultOf(SCORES, negated), users }],
      TRUTH_OF_SIX,
      { level },
    );
    assertEquals(byContributions.rocAuc, sameValues.rocAuc, level);
    assertEquals(byContributions.rocAuc, 1 - byNormalised.rocAuc, level);
    assert(byContributions.rocAuc !== byNormalised.rocAuc, `${level}: ${byNormalised.rocAuc}`);
  }
});

Deno.test("a user one past the truth's last user has no truth: an error, not 'all noise'", () => {
  // The truth holds 6 users (18 values, 3 modalities): internal id 6 is not one of them.
  assertThrows(
    () =>
      scoreAgainstTruth(
        [{ result: resultOf(SCORES, SCORES), users: Int32Array.of(0, 6) }],
        TRUTH_OF_SIX,
      ),
    Error,
    "batch 0 row 1: user 6 has no truth",
  );
});

Deno.test("attributeModalities with user_modality granularity on a planted toy", async () => {
  // L_b = sum w (1 . e): a point of interest has e = (-1, -1) (contribution 2), noise e = 0.01.
  const truthRows = [[1, 0, 0], [0, 1, 1]];
  const e: number[] = [];
  for (const row of truthRows) {
    for (let p = 0; p < 4; p++) for (const poi of row) e.push(poi ? -1 : 0.01, poi ? -1 : 0.01);
  }
  const embeddings = tf.tensor4d(e, [2, 4, 3, 2]);
  const mask = tf.ones([2, 4, 3]) as tf.Tensor3D;
  const weights = tf.ones([4, 3, 2]) as tf.Tensor3D;
  const result = await attributeModalities(linearLoss(weights), embeddings, mask, {
    granularity: "user_modality",
    selection: { kind: "bottom_fraction", rho: 0.5 },
  });
  assertEquals(result.granularity, "user_modality");
  for (let b = 0; b < 2; b++) {
    const selected = [0, 1, 2].filter((m) => result.noiseMask[(b * 4 + 0) * 3 + m] === 1);
    assertEquals(selected.length, 1, `user ${b}: floor(0.5 * 3) = 1 modality`);
    assertEquals(truthRows[b][selected[0]], 0, `user ${b} selected a point of interest`);
    for (let p = 0; p < 4; p++) {
      assertEquals(result.noiseMask[(b * 4 + p) * 3 + selected[0]], 1, "whole modality is noise");
    }
  }
  const truth: PlantedTruth = {
    modalityNames: ["a", "b", "c"],
    pointsOfInterest: Uint8Array.from(truthRows.flat()),
  };
  const score = scoreAgainstTruth([{ result, users: [0, 1] }], truth, { level: "user_modality" });
  assertEquals([score.rocAuc, score.precision], [1, 1]);
  tf.dispose([embeddings, mask, weights]);
});

Deno.test("selectNoiseByUserModality refuses userScores longer than [batch, modality], naming the count", () => {
  // Only a short array was refused: the extra scores (another batch's, or a [batch, position,
  // modality] array passed by mistake) were ignored silently (found by mutation round FB).
  const scores = userModalityScores(SCORES, VALID, SHAPE);
  assertThrows(
    () =>
      selectNoiseByUserModality(Float32Array.of(...scores, 0), VALID, SHAPE, {
        kind: "threshold",
        threshold: 0,
      }),
    Error,
    "selectNoiseByUserModality: userScores has 7 entries, expected 6 for [batch, modality] = [2, 3]",
  );
});

Deno.test("userModalityScores refuses scores of another length than the shape, naming them", () => {
  // Short scores read their missing entries as undefined: the sums became NaN and the user's
  // modalities were silently no candidates; longer ones were cut (found by mutation round FB).
  for (const scores of [SCORES.slice(0, 17), Float32Array.of(...SCORES, 0)]) {
    assertThrows(
      () => userModalityScores(scores, VALID, SHAPE),
      Error,
      `userModalityScores: scores has ${scores.length} entries, expected 18`,
    );
  }
});

Deno.test("userModalityScores refuses a NaN score at a valid pair, naming its index and user", () => {
  // The mean went NaN, which reads as "the user has no such modality": selectNoiseByUserModality
  // then dropped the modality from the candidates silently (found by mutation round FB).
  const scores = Float32Array.from(SCORES);
  scores[13] = NaN; // user 1, position 1, modality 1: a valid pair
  assertThrows(
    () => userModalityScores(scores, VALID, SHAPE),
    Error,
    "userModalityScores: score of valid pair at flat index 13 (user 1) is NaN",
  );
  scores[13] = SCORES[13];
  scores[8] = NaN; // user 0, position 2, modality 2: not a valid pair, never read
  assertEquals(
    Array.from(userModalityScores(scores, VALID, SHAPE)).slice(0, 2),
    [1, -3.5 / 3].map(Math.fround),
  );
});
