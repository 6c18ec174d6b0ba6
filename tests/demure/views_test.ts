import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  buildContrastiveViews,
  type ContrastiveViewOptions,
  randomNoiseMask,
  randomNoiseMaskByRow,
  viewTensors,
} from "../../lib/demure/views.ts";
import { bottomFractionCount } from "../../lib/attribution/select_noise.ts";
import type { PairShape } from "../../lib/attribution/types.ts";
import { createRng } from "../../lib/util/random.ts";

await initBackend({ verbose: false });

// One user, 3 positions, 3 modalities. Position 1 lacks modality 2; position 2 is padding.
const SHAPE: PairShape = [1, 3, 3];
const VALID = [1, 1, 1, 1, 1, 0, 0, 0, 0];
// Position 0: modality 1 is noise. Position 1: both present modalities are noise.
const NOISE = Uint8Array.of(0, 1, 0, 1, 1, 0, 0, 0, 0);
const SCORES = Float32Array.of(1, -1, 0.5, -0.2, -0.7, NaN, NaN, NaN, NaN);

Deno.test("views by hand: anchor, positive, negative, and keep_one at an all-noise position", () => {
  const v = buildContrastiveViews(VALID, NOISE, SHAPE, { scores: SCORES });
  assertEquals(Array.from(v.anchor), [1, 1, 1, 1, 1, 0, 0, 0, 0]);
  // Position 1 would lose both modalities: the stronger noise modality (0, score -0.2) stays.
  assertEquals(Array.from(v.positive), [1, 0, 1, 1, 0, 0, 0, 0, 0]);
  // Position 0 keeps only its noise; position 1 is all noise, so nothing is masked there.
  assertEquals(Array.from(v.negative), [0, 1, 0, 1, 1, 0, 0, 0, 0]);
  assertEquals([v.restoredPositive, v.restoredNegative], [1, 0]);
  // allow_empty leaves position 1 without any modality in the positive view.
  const empty = buildContrastiveViews(VALID, NOISE, SHAPE, { emptyPosition: "allow_empty" });
  assertEquals(Array.from(empty.positive), [1, 0, 1, 0, 0, 0, 0, 0, 0]);
  assertEquals([empty.restoredPositive, empty.restoredNegative], [0, 0]);
});

Deno.test("keep_one in the negative view keeps the weakest point of interest", () => {
  const v = buildContrastiveViews(VALID, new Uint8Array(9), SHAPE, { scores: SCORES });
  // No noise: position 0 keeps modality 1 (score -1), position 1 keeps modality 1 (-0.7).
  assertEquals(Array.from(v.negative), [0, 1, 0, 0, 1, 0, 0, 0, 0]);
  assertEquals(Array.from(v.positive), Array.from(v.anchor));
  // Without scores the lowest modality index is kept.
  const unscored = buildContrastiveViews(VALID, new Uint8Array(9), SHAPE);
  assertEquals(Array.from(unscored.negative), [1, 0, 0, 1, 0, 0, 0, 0, 0]);
});

Deno.test("keep_one breaks equal scores toward the lowest modality index", () => {
  // One user, one position, 3 present modalities.
  const shape: PairShape = [1, 1, 3];
  // All noise, scores 0.3, 0.3, 0.1: the highest score is shared by modalities 0 and 1, so the
  // positive view keeps modality 0 (the lower index), not 1.
  const allNoise = buildContrastiveViews([1, 1, 1], Uint8Array.of(1, 1, 1), shape, {
    scores: Float32Array.of(0.3, 0.3, 0.1),
  });
  assertEquals(Array.from(allNoise.positive), [1, 0, 0]);
  // No noise, scores 0.3, 0.1, 0.1: the lowest score is shared by modalities 1 and 2, so the
  // negative view keeps modality 1.
  const noNoise = buildContrastiveViews([1, 1, 1], new Uint8Array(3), shape, {
    scores: Float32Array.of(0.3, 0.1, 0.1),
  });
  assertEquals(Array.from(noNoise.negative), [0, 1, 0]);
});

Deno.test("on random masks the views differ from the anchor exactly where the noise mask says", () => {
  const shape: PairShape = [6, 8, 4];
  const size = 6 * 8 * 4;
  const rng = createRng(3);
  const valid = Array.from({ length: size }, () => (rng.next() < 0.8 ? 1 : 0));
  const { noiseMask, scores } = randomNoiseMask(valid, shape, 0.4, 17);
  for (const policy of ["allow_empty", "keep_one"] as const) {
    const v = buildContrastiveViews(valid, noiseMask, shape, { scores, emptyPosition: policy });
    let restoredPairs = 0;
    for (let i = 0; i < size; i++) {
      assertEquals(v.anchor[i], valid[i], `anchor at ${i}`);
      const positiveAsMasked = v.positive[i] === (valid[i] && !noiseMask[i] ? 1 : 0);
      const negativeAsMasked = v.negative[i] === (valid[i] && noiseMask[i] ? 1 : 0);
      if (policy === "allow_empty") {
        assert(positiveAsMasked && negativeAsMasked, `pair ${i}`);
        // Complementary: each valid pair is in exactly one of positive and negative.
        assertEquals(v.positive[i] + v.negative[i], v.anchor[i], `complement at ${i}`);
      } else {
        restoredPairs += (positiveAsMasked ? 0 : 1) + (negativeAsMasked ? 0 : 1);
        // A restoration only ever turns a masked valid pair back on.
        if (!positiveAsMasked) assert(valid[i] && noiseMask[i] && v.positive[i] === 1);
        if (!negativeAsMasked) assert(valid[i] && !noiseMask[i] && v.negative[i] === 1);
      }
    }
    if (policy === "keep_one") {
      assertEquals(restoredPairs, v.restoredPositive + v.restoredNegative);
      assert(v.restoredNegative > 0, "the test data must exercise keep_one");
      // Every real position keeps at least one modality in every view.
      for (let row = 0; row < 6 * 8; row++) {
        const cells = [0, 1, 2, 3].map((m) => row * 4 + m);
        if (!cells.some((i) => valid[i])) continue;
        for (const view of [v.positive, v.negative]) assert(cells.some((i) => view[i] === 1));
      }
    }
  }
});

Deno.test("random noise mask: floor(rho * valid) pairs per user, valid only, seeded", () => {
  const shape: PairShape = [5, 6, 3];
  const rng = createRng(9);
  const valid = Array.from({ length: 90 }, () => (rng.next() < 0.7 ? 1 : 0));
  const first = randomNoiseMask(valid, shape, 0.3, 1);
  for (let b = 0; b < 5; b++) {
    const cells = Array.from({ length: 18 }, (_, k) => b * 18 + k);
    const validCount = cells.filter((i) => valid[i]).length;
    const noiseCount = cells.filter((i) => first.noiseMask[i]).length;
    assertEquals(noiseCount, bottomFractionCount(0.3, validCount), `user ${b}`);
    assert(cells.every((i) => valid[i] || !first.noiseMask[i]), "noise on an invalid pair");
  }
  assertEquals(randomNoiseMask(valid, shape, 0.3, 1).noiseMask, first.noiseMask);
  assertNotEquals(randomNoiseMask(valid, shape, 0.3, 2).noiseMask, first.noiseMask);
});

Deno.test("random noise mask by (user, modality): the attribution's count of present modalities, whole, seeded", () => {
  // 5 users, 6 positions, 4 modalities; modality 3 is absent for user 0 (not a candidate).
  const shape: PairShape = [5, 6, 4];
  const rng = createRng(4);
  const valid = Array.from(
    { length: 120 },
    (_, i) => i % 4 === 3 && i < 24 ? 0 : (rng.next() < 0.8 ? 1 : 0),
  );
  const first = randomNoiseMask(valid, shape, 0.5, 1, "user_modality");
  const draws: string[] = [];
  for (let b = 0; b < 5; b++) {
    const cellsOf = (m: number) => Array.from({ length: 6 }, (_, p) => (b * 6 + p) * 4 + m);
    const present = [0, 1, 2, 3].filter((m) => cellsOf(m).some((i) => valid[i]));
    const masked = present.filter((m) => cellsOf(m).some((i) => first.noiseMask[i]));
    // A chosen modality is noise at every valid position of the user, and nowhere else.
    for (const m of [0, 1, 2, 3]) {
      const all = masked.includes(m);
      for (const i of cellsOf(m)) assertEquals(first.noiseMask[i], all && valid[i] ? 1 : 0);
    }
    assertEquals(masked.length, bottomFractionCount(0.5, present.length), `user ${b}`);
    draws.push(masked.join());
  }
  assertEquals(present0(valid), [0, 1, 2], "the fixture leaves user 0 three modalities");
  assert(new Set(draws).size > 1, "every user drew the same modalities");
  assertEquals(randomNoiseMask(valid, shape, 0.5, 1, "user_modality").noiseMask, first.noiseMask);
  assertNotEquals(
    randomNoiseMask(valid, shape, 0.5, 2, "user_modality").noiseMask,
    first.noiseMask,
  );
});

Deno.test("random noise mask by (user, modality): one score per user and modality, at each of its valid pairs", () => {
  // 3 users, 4 positions, 2 modalities, every pair valid except user 1's modality 1 at position 0.
  const shape: PairShape = [3, 4, 2];
  const valid = Array.from({ length: 24 }, (_, i) => (i === 9 ? 0 : 1));
  const { noiseMask, scores } = randomNoiseMask(valid, shape, 0.5, 7, "user_modality");
  for (let b = 0; b < 3; b++) {
    for (let m = 0; m < 2; m++) {
      const cells = [0, 1, 2, 3].map((p) => (b * 4 + p) * 2 + m).filter((i) => valid[i]);
      // The user's draw for modality m is the score at every valid position (keep_one reads it).
      const first = scores[cells[0]];
      assert(first >= 0 && first < 1, `user ${b}, modality ${m}: ${first}`);
      for (const i of cells) assertEquals(scores[i], first, `user ${b}, modality ${m}, flat ${i}`);
    }
    // rho 0.5 of 2 modalities: one, the lower-scoring one, is noise at all its valid positions.
    const [s0, s1] = [0, 1].map((m) => scores[b * 8 + m + 2]);
    const noisy = s0 <= s1 ? 0 : 1;
    for (let p = 0; p < 4; p++) {
      for (let m = 0; m < 2; m++) {
        const i = (b * 4 + p) * 2 + m;
        assertEquals(noiseMask[i], valid[i] && m === noisy ? 1 : 0, `flat ${i}`);
      }
    }
  }
  assert(Number.isNaN(scores[9]), "an invalid pair has no score");
});

/** The modalities user 0 has in the fixture above. */
function present0(valid: number[]): number[] {
  return [0, 1, 2, 3].filter((m) => [0, 1, 2, 3, 4, 5].some((p) => valid[p * 4 + m]));
}

Deno.test("views reject noise on an invalid pair and mismatched lengths", () => {
  const badNoise = Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0, 0);
  assertThrows(
    () => buildContrastiveViews(VALID, badNoise, SHAPE),
    Error,
    "position 1, modality 2",
  );
  assertThrows(() => buildContrastiveViews(VALID, new Uint8Array(8), SHAPE), Error, "expected 9");
  // Scores one short would be read past their end (undefined: keep_one by modality order).
  assertThrows(
    () => buildContrastiveViews(VALID, NOISE, SHAPE, { scores: new Float32Array(8) }),
    Error,
    "scores has 8 entries, expected 9",
  );
});

Deno.test("viewTensors uploads the masks with the right shape", () => {
  const v = buildContrastiveViews(VALID, NOISE, SHAPE, { scores: SCORES });
  const t = viewTensors(v);
  assertEquals(t.positive.shape, [1, 3, 3]);
  assertEquals(Array.from(t.negative.dataSync()), Array.from(v.negative));
  tf.dispose([t.anchor, t.positive, t.negative]);
});

Deno.test("views refuse a mask or scores longer than the batch, naming the field", () => {
  // One entry too many is as wrong as one too few: a caller's shape and arrays disagree.
  for (
    const [field, valid, noise, scores] of [
      ["validMask", [...VALID, 1], NOISE, SCORES],
      ["noiseMask", VALID, Uint8Array.of(...NOISE, 0), SCORES],
      ["scores", VALID, NOISE, Float32Array.of(...SCORES, 0)],
    ] as const
  ) {
    const error = assertThrows(() => buildContrastiveViews(valid, noise, SHAPE, { scores }), Error);
    assertEquals(
      error.message,
      `views: ${field} has 10 entries, expected 9 for [batch, position, modality] = [1, 3, 3]`,
    );
  }
  assertThrows(() => randomNoiseMask([...VALID, 1], SHAPE, 0.3, 1), Error, "validMask has 10");
});

Deno.test("views refuse an unknown option or emptyPosition policy by name", () => {
  const misspelt = { emptyPositions: "allow_empty" } as unknown as ContrastiveViewOptions;
  assertThrows(
    () => buildContrastiveViews(VALID, NOISE, SHAPE, misspelt),
    Error,
    "ContrastiveViewOptions.emptyPositions",
  );
  const hyphen = { emptyPosition: "allow-empty" } as unknown as ContrastiveViewOptions;
  assertThrows(
    () => buildContrastiveViews(VALID, NOISE, SHAPE, hyphen),
    Error,
    'ContrastiveViewConfig.emptyPosition is "allow-empty"',
  );
});

Deno.test("randomNoiseMaskByRow refuses one row seed more or fewer than the rows", () => {
  const valid = [1, 1, 1, 1, 0, 0, 1, 1]; // 2 rows, 2 positions, 2 modalities
  for (const seeds of [[1], [1, 2, 3]]) {
    assertThrows(
      () => randomNoiseMaskByRow(valid, [2, 2, 2], 0.5, seeds, "pair"),
      Error,
      `randomNoiseMaskByRow: ${seeds.length} row seeds for 2 rows`,
    );
  }
});

Deno.test("randomNoiseMaskByRow: each row's mask and scores are that row's own draw from its seed", () => {
  // 3 rows, 2 positions, 2 modalities; row 1 has a padding position (its scores stay NaN).
  const valid = [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1];
  const seeds = [11, 12, 13];
  for (const granularity of ["pair", "user_modality"] as const) {
    const byRow = randomNoiseMaskByRow(valid, [3, 2, 2], 0.5, seeds, granularity);
    for (let b = 0; b < 3; b++) {
      const row = valid.slice(b * 4, (b + 1) * 4);
      const own = randomNoiseMask(row, [1, 2, 2], 0.5, seeds[b], granularity);
      const cells = (array: ArrayLike<number>) => Array.from(array).slice(b * 4, (b + 1) * 4);
      assertEquals(cells(byRow.noiseMask), Array.from(own.noiseMask), `${granularity} row ${b}`);
      assertEquals(cells(byRow.scores), Array.from(own.scores), `${granularity} row ${b}`);
    }
  }
});

Deno.test("viewTensors uploads each view's own mask", () => {
  const v = buildContrastiveViews(VALID, NOISE, SHAPE, { scores: SCORES });
  const t = viewTensors(v);
  try {
    assertEquals(Array.from(t.anchor.dataSync()), Array.from(v.anchor));
    assertEquals(Array.from(t.positive.dataSync()), Array.from(v.positive));
    assertEquals(Array.from(t.negative.dataSync()), Array.from(v.negative));
    for (const tensor of [t.anchor, t.positive, t.negative]) assertEquals(tensor.shape, [1, 3, 3]);
  } finally {
    tf.dispose([t.anchor, t.positive, t.negative]);
  }
});
