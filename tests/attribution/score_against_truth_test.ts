/**
 * scoreAgainstTruth's edges (the ROC-AUC the README quotes): a truth of one class has no AUC, a
 * batch without any selection has no precision, and a batch's users must match its rows one to
 * one. Found by mutation round KK. Every batch is pooled and checked, and an error names its batch
 * (mutation round BA).
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { scoreAgainstTruth } from "../../lib/attribution/score_against_truth.ts";
import type { AttributionResult, PairShape } from "../../lib/attribution/types.ts";
import type { PlantedTruth } from "../../lib/data/types.ts";
import { resultOfValues } from "./_toy_results.ts";

// [batch 2, position 2, modality 2], every pair valid.
const SHAPE: PairShape = [2, 2, 2];
const VALID = new Uint8Array(8).fill(1);
const SCORES = Float32Array.of(1, -1, 2, -2, 0.5, -0.5, 1.5, -1.5);

function resultWith(noiseMask: Uint8Array): AttributionResult {
  return resultOfValues(SCORES, SCORES, VALID, noiseMask, SHAPE);
}

const TRUTH: PlantedTruth = {
  modalityNames: ["a", "b"],
  pointsOfInterest: Uint8Array.of(1, 0, 1, 0),
};

Deno.test("scoreAgainstTruth: every unit truly noise has no AUC (NaN), not an error", () => {
  const allNoise: PlantedTruth = { ...TRUTH, pointsOfInterest: new Uint8Array(4) };
  const result = resultWith(Uint8Array.of(0, 1, 0, 1, 0, 1, 0, 1));
  for (const level of ["pair", "user_modality"] as const) {
    const score = scoreAgainstTruth([{ result, users: [0, 1] }], allNoise, { level });
    assert(Number.isNaN(score.rocAuc), `${level}: ${score.rocAuc}`);
    assertEquals(score.truthNoise, score.units, level);
    assertEquals([score.precision, score.recall], [1, 0.5], level);
  }
});

Deno.test("scoreAgainstTruth: nothing selected has no precision (NaN), not 0", () => {
  const score = scoreAgainstTruth(
    [{ result: resultWith(new Uint8Array(8)), users: [0, 1] }],
    TRUTH,
  );
  assertEquals([score.selected, score.truePositives, score.recall], [0, 0, 0]);
  assert(Number.isNaN(score.precision), `precision ${score.precision}`);
  assertEquals(score.rocAuc, 1);
});

Deno.test("scoreAgainstTruth: more users than the batch has rows is refused", () => {
  const result = resultWith(new Uint8Array(8));
  assertThrows(
    () => scoreAgainstTruth([{ result, users: [0, 1, 0] }], TRUTH),
    Error,
    "batch 0 has 2 rows, 3 users",
  );
});

Deno.test("scoreAgainstTruth: a user id that is not a whole number has no truth", () => {
  // 0.5 x 2 modalities indexes user 0's second value: it read as a user with a truth.
  const result = resultWith(new Uint8Array(8));
  assertThrows(
    () => scoreAgainstTruth([{ result, users: [0, 0.5] }], TRUTH),
    Error,
    "batch 0 row 1: user 0.5 has no truth",
  );
});

Deno.test("scoreAgainstTruth: no unit truly noise has no recall (NaN), not 0", () => {
  const noNoise: PlantedTruth = { ...TRUTH, pointsOfInterest: new Uint8Array(4).fill(1) };
  const score = scoreAgainstTruth(
    [{ result: resultWith(Uint8Array.of(0, 1, 0, 0, 0, 0, 0, 0)), users: [0, 1] }],
    noNoise,
  );
  assertEquals([score.truthNoise, score.selected, score.precision], [0, 1, 0]);
  assert(Number.isNaN(score.recall), `recall ${score.recall}`);
});

Deno.test("scoreAgainstTruth: every batch's units are pooled, and an error names the batch it is in", () => {
  // b is noise for both users; the b pairs of row 0 are selected: per batch 8 units, 4 truly noise,
  // 2 selected and truly noise. Only the first batch counted: half of every count.
  const result = resultWith(Uint8Array.of(0, 1, 0, 1, 0, 0, 0, 0));
  const batch = { result, users: [0, 1] };
  const pooled = scoreAgainstTruth([batch, batch], TRUTH);
  assertEquals(
    [pooled.units, pooled.truthNoise, pooled.selected, pooled.truePositives],
    [16, 8, 4, 4],
  );
  assertEquals([pooled.precision, pooled.recall, pooled.rocAuc], [1, 0.5, 1]);
  // A bad second batch is named as batch 1, and checked like the first: a user without a truth,
  // or one modality where the names give two.
  assertThrows(
    () => scoreAgainstTruth([batch, { result, users: [1, 2] }], TRUTH),
    Error,
    "batch 1 row 1: user 2 has no truth",
  );
  const oneModality = resultOfValues(
    Float32Array.of(1, 2),
    Float32Array.of(1, 2),
    Uint8Array.of(1, 1),
    new Uint8Array(2),
    [1, 2, 1],
  );
  assertThrows(
    () => scoreAgainstTruth([batch, { result: oneModality, users: [0] }], TRUTH),
    Error,
    "batch 1 has 1 modalities, expected 2 (a, b)",
  );
  assertThrows(
    () => scoreAgainstTruth([batch, { result, users: [0] }], TRUTH),
    Error,
    "batch 1 has 2 rows, 1 users",
  );
});

Deno.test("scoreAgainstTruth: a modality named twice in the result is refused, not counted twice", () => {
  // Both columns matched truth "a": its units were scored twice and "b" not at all.
  const result = resultWith(Uint8Array.of(0, 1, 0, 1, 0, 1, 0, 1));
  assertThrows(
    () =>
      scoreAgainstTruth([{ result, users: [0, 1] }], { ...TRUTH, modalityNames: ["a"] }, {
        resultModalityNames: ["a", "a"],
      }),
    Error,
    'modality "a" appears twice in the result\'s modalities (a, a)',
  );
});

Deno.test("scoreAgainstTruth: a repeated result name is refused wherever it is, with or without a truth", () => {
  // Mutation round KD (KD32, KD33): a repeat apart from its first ("a", "b", "a") or of a name
  // without a truth ("id" twice) must be refused too: each name is one column of the result.
  for (const names of [["a", "b", "a"], ["id", "id", "a", "b"]]) {
    assertThrows(
      () => scoreAgainstTruth([], TRUTH, { resultModalityNames: names }),
      Error,
      `modality "${names[0]}" appears twice in the result's modalities (${names.join(", ")})`,
    );
  }
});

Deno.test("scoreAgainstTruth: a truth modality missing from the result is named with the result's names", () => {
  // Mutation round KD (KD38): the list is what the result has, so the reader sees what is missing.
  assertThrows(
    () => scoreAgainstTruth([], TRUTH, { resultModalityNames: ["id", "a"] }),
    Error,
    'scoreAgainstTruth: truth modality "b" is not among the result\'s modalities (id, a)',
  );
});

Deno.test("scoreAgainstTruth: no batches score no unit: zero counts and NaN, not an error", () => {
  const score = scoreAgainstTruth([], TRUTH);
  assertEquals([score.units, score.selected, score.truthNoise, score.truePositives], [0, 0, 0, 0]);
  assert([score.precision, score.recall, score.rocAuc].every(Number.isNaN), JSON.stringify(score));
});

Deno.test("scoreAgainstTruth: a noise unit tied with a point of interest counts one half in the AUC", () => {
  // User 0 ("a" interest, "b" noise) at one position: equal scores give AUC 0.5 at either level.
  const result = resultOfValues(
    Float32Array.of(0.5, 0.5),
    Float32Array.of(0.5, 0.5),
    Uint8Array.of(1, 1),
    new Uint8Array(2),
    [1, 1, 2],
  );
  for (const level of ["pair", "user_modality"] as const) {
    for (const scoreBy of ["normalised", "contributions"] as const) {
      const score = scoreAgainstTruth([{ result, users: [0] }], TRUTH, { level, scoreBy });
      assertEquals(
        [score.units, score.truthNoise, score.rocAuc],
        [2, 1, 0.5],
        `${level} ${scoreBy}`,
      );
    }
  }
});

Deno.test("scoreAgainstTruth: a user-modality's majority is of its valid pairs, not of every position", () => {
  // Mutation round KD (KD49): user 0 at 4 positions; "b" (noise) is valid at the last 2 only and
  // selected at both: selected (2 of 2), where a majority of all 4 positions would not select it.
  const validMask = Uint8Array.of(1, 0, 1, 0, 1, 1, 1, 1);
  const noiseMask = Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 1);
  const values = Float32Array.of(1, 0, 1, 0, 1, -1, 1, -1);
  const result = resultOfValues(values, values, validMask, noiseMask, [1, 4, 2]);
  const score = scoreAgainstTruth([{ result, users: [0] }], TRUTH, { level: "user_modality" });
  assertEquals(
    [score.units, score.truthNoise, score.selected, score.truePositives, score.rocAuc],
    [2, 1, 1, 1, 1],
  );
});
