import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { normaliseContributions } from "../../lib/attribution/normalise.ts";
import { bottomFractionCount, selectNoise } from "../../lib/attribution/select_noise.ts";
import { aggregateByModality } from "../../lib/attribution/aggregate.ts";
import {
  selectNoiseByUserModality,
  userModalityScores,
} from "../../lib/attribution/user_modality.ts";
import {
  DEFAULT_ATTRIBUTION_CONFIG,
  DEFAULT_NOISE_FRACTION,
  type NoiseSelection,
  type PairShape,
  validateAttributionConfig,
} from "../../lib/attribution/types.ts";
import { SettingError } from "../../lib/util/mod.ts";

// [batch 2, position 2, modality 2]; user 1 has padding at position 0.
const SHAPE: PairShape = [2, 2, 2];
const CONTRIBUTIONS = Float32Array.of(1, 2, 3, 6, 100, -100, 5, 5);
const VALID = Uint8Array.of(1, 1, 1, 1, 0, 0, 1, 1);

Deno.test("z-score per user over valid pairs only; invalid pairs are NaN", () => {
  const z = normaliseContributions(CONTRIBUTIONS, VALID, SHAPE, "zscore");
  // user 0: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5
  const std = Math.sqrt(3.5);
  [-2 / std, -1 / std, 0, 3 / std].forEach((v, i) => assertAlmostEquals(z[i], v, 1e-6));
  assert(Number.isNaN(z[4]) && Number.isNaN(z[5]), "padding must be NaN");
  // user 1: the two valid pairs are equal, std 0: both 0 rather than NaN.
  assertEquals([z[6], z[7]], [0, 0]);
});

Deno.test("rank normalisation: [0, 1], ties share the average rank, one pair gives 0.5", () => {
  const contributions = Float32Array.of(4, 1, 4, 7, 3, 9, 9, 9);
  const valid = Uint8Array.of(1, 1, 1, 1, 1, 0, 0, 0);
  const r = normaliseContributions(contributions, valid, SHAPE, "rank");
  // user 0 sorted: 1 (rank 0), 4, 4 (ranks 1 and 2 -> 1.5), 7 (rank 3); divided by n - 1 = 3.
  assertEquals(Array.from(r.slice(0, 4)), [0.5, 0, 0.5, 1]);
  assertEquals(r[4], 0.5);
  assert([5, 6, 7].every((i) => Number.isNaN(r[i])));
});

Deno.test("bottom fraction picks floor(rho * valid) lowest valid pairs per user, never padding", () => {
  assertEquals(bottomFractionCount(0.3, 10), 3);
  assertEquals(bottomFractionCount(0.7, 10), 7);
  assertEquals(bottomFractionCount(0.3, 4), 1);
  assertEquals(bottomFractionCount(0.5, 3), 1);
  const scores = Float32Array.of(0.2, -1, 0.5, -0.3, -9, -9, 1, 0);
  const noise = selectNoise(scores, VALID, SHAPE, { kind: "bottom_fraction", rho: 0.5 });
  // user 0: 2 of 4 -> -1 and -0.3; user 1: 1 of 2 -> 0; padding (-9) never selected.
  assertEquals(Array.from(noise), [0, 1, 0, 1, 0, 0, 0, 1]);
});

Deno.test("bottom fraction count: floor survives float products just under an integer, never all", () => {
  // In float64 0.7 * 90 = 62.99999999999999 and 0.58 * 50 = 28.999999999999996, while the
  // fractions of 90 and 50 pairs are exactly 63 and 29: a bare floor would give 62 and 28.
  assertEquals(bottomFractionCount(0.7, 90), 63);
  assertEquals(bottomFractionCount(0.58, 50), 29);
  // rho just below 1 (allowed: the range is open) must still leave one of 4 candidates:
  // floor(4 * (1 - 1e-10) + 1e-9) = floor(4.0000000006) = 4, capped at 4 - 1 = 3.
  assertEquals(bottomFractionCount(1 - 1e-10, 4), 3);
  const noise = selectNoise(Float32Array.of(4, 3, 2, 1), Uint8Array.of(1, 1, 1, 1), [1, 2, 2], {
    kind: "bottom_fraction",
    rho: 1 - 1e-10,
  });
  // The highest-scoring pair (flat 0, score 4) is the one kept.
  assertEquals(Array.from(noise), [0, 1, 1, 1]);
});

Deno.test("ties in the bottom fraction break toward the earlier pair", () => {
  const scores = Float32Array.of(0, 0, 0, 0, 0, 0, 0, 0);
  const noise = selectNoise(scores, VALID, SHAPE, { kind: "bottom_fraction", rho: 0.5 });
  assertEquals(Array.from(noise), [1, 1, 0, 0, 0, 0, 1, 0]);
});

Deno.test("threshold selects valid pairs strictly below it", () => {
  const scores = Float32Array.of(-0.5, 0, 0.5, -2, -9, -9, -0.1, 1);
  const noise = selectNoise(scores, VALID, SHAPE, { kind: "threshold", threshold: 0 });
  assertEquals(Array.from(noise), [1, 0, 0, 1, 0, 0, 1, 0]);
});

Deno.test("selection rejects bad rho, a NaN threshold, NaN scores at valid pairs and mismatched shapes", () => {
  assertThrows(
    () => selectNoise(CONTRIBUTIONS, VALID, SHAPE, { kind: "bottom_fraction", rho: 1.5 }),
    Error,
    "rho",
  );
  // The noise fraction's range is (0, 1), the same as Demure's rho.
  for (const rho of [0, 1]) {
    assertThrows(
      () => selectNoise(CONTRIBUTIONS, VALID, SHAPE, { kind: "bottom_fraction", rho }),
      Error,
      "NoiseSelection.rho is " + rho + "; allowed: a finite number > 0 and < 1",
    );
  }
  // A NaN threshold would select nothing (no score is below NaN), silently.
  assertThrows(
    () => selectNoise(CONTRIBUTIONS, VALID, SHAPE, { kind: "threshold", threshold: NaN }),
    Error,
    "threshold is NaN",
  );
  const withNaN = Float32Array.of(NaN, 0, 0, 0, 0, 0, 0, 0);
  assertThrows(
    () => selectNoise(withNaN, VALID, SHAPE, { kind: "bottom_fraction", rho: 0.3 }),
    Error,
    "flat index 0",
  );
  assertThrows(
    () => normaliseContributions(CONTRIBUTIONS, VALID, [2, 2, 3], "zscore"),
    Error,
    "expected 12",
  );
});

Deno.test("aggregate by modality averages valid pairs only", () => {
  const normalised = Float32Array.of(1, 2, 3, 4, NaN, NaN, 5, 6);
  const noise = Uint8Array.of(1, 0, 1, 1, 0, 0, 0, 0);
  const [m0, m1] = aggregateByModality(CONTRIBUTIONS, normalised, noise, VALID, SHAPE);
  // modality 0 valid at flat 0, 2, 6: raw 1, 3, 5; normalised 1, 3, 5; noise 1, 1, 0.
  assertEquals(m0, {
    modality: 0,
    count: 3,
    meanContribution: 3,
    meanNormalised: 3,
    noiseRate: 2 / 3,
  });
  // modality 1 valid at flat 1, 3, 7: raw 2, 6, 5; normalised 2, 4, 6; noise 0, 1, 0.
  assertEquals(m1, {
    modality: 1,
    count: 3,
    meanContribution: 13 / 3,
    meanNormalised: 4,
    noiseRate: 1 / 3,
  });
});

Deno.test("aggregate by modality refuses any of its four arrays at another length, naming it", () => {
  const normalised = new Float32Array(8);
  const noise = new Uint8Array(8);
  const short = new Uint8Array(6);
  const cases = [
    ["contributions", () => aggregateByModality(short, normalised, noise, VALID, SHAPE)],
    ["normalised", () => aggregateByModality(CONTRIBUTIONS, short, noise, VALID, SHAPE)],
    ["noiseMask", () => aggregateByModality(CONTRIBUTIONS, normalised, short, VALID, SHAPE)],
    // A short valid mask was read as it was: the pairs past its end were never counted.
    ["validMask", () => aggregateByModality(CONTRIBUTIONS, normalised, noise, short, SHAPE)],
  ] as const;
  for (const [field, call] of cases) {
    assertThrows(call, Error, `aggregateByModality: ${field} has 6 entries, expected 8`);
  }
});

Deno.test("aggregate by modality refuses a noise mask entry other than 0 or 1, naming its index", () => {
  // It was read as `> 0`: a NaN or -1 counted as no noise, silently (found by mutation round AH).
  const normalised = new Float32Array(8);
  for (const bad of [NaN, -1, 0.5, 2]) {
    const noise = Float32Array.of(1, 0, bad, 1, 0, 0, 0, 0);
    assertThrows(
      () => aggregateByModality(CONTRIBUTIONS, normalised, noise, VALID, SHAPE),
      Error,
      `aggregateByModality: noiseMask at flat index 2 is ${bad}; allowed: 0 or 1`,
    );
  }
});

Deno.test("the attribution config's rho has the one range of a noise fraction, (0, 1)", () => {
  const at = (rho: number) => () =>
    validateAttributionConfig({
      ...DEFAULT_ATTRIBUTION_CONFIG,
      selection: { kind: "bottom_fraction", rho },
    });
  for (const rho of [0, 1]) {
    assertThrows(at(rho), SettingError, "AttributionConfig.selection.rho");
  }
  at(DEFAULT_NOISE_FRACTION)();
});

Deno.test("aggregate by modality: a modality with no valid pair has NaN means, never 0", () => {
  // Modality 1 is missing at every position of both users.
  const valid = Uint8Array.of(1, 0, 1, 0, 0, 0, 1, 0);
  const normalised = Float32Array.of(1, NaN, 3, NaN, NaN, NaN, 5, NaN);
  const [m0, m1] = aggregateByModality(CONTRIBUTIONS, normalised, new Uint8Array(8), valid, SHAPE);
  assertEquals([m0.count, m0.meanContribution, m0.noiseRate], [3, 3, 0]);
  assertEquals(m1.count, 0);
  assert(
    [m1.meanContribution, m1.meanNormalised, m1.noiseRate].every(Number.isNaN),
    JSON.stringify(m1),
  );
});

Deno.test("an empty batch (a shape with a 0) is checked like any other and gives empty arrays", () => {
  // A shape's sizes are non-negative integers: 0 users (or positions) is a shape, not an error.
  const empty: [number, number, number] = [0, 4, 2];
  const none = new Float32Array(0);
  const noValid = new Uint8Array(0);
  assertEquals(normaliseContributions(none, noValid, empty, "zscore").length, 0);
  const selection = { kind: "bottom_fraction", rho: 0.5 } as const;
  assertEquals(selectNoise(none, noValid, empty, selection).length, 0);
  assertEquals(selectNoise(none, noValid, [2, 0, 2], selection).length, 0);
  assertThrows(
    () => selectNoise(none, noValid, [0, -1, 2], selection),
    Error,
    "shape[1] must be a non-negative integer",
  );
});

Deno.test("selectNoise refuses a validMask of another length than the scores, naming it", () => {
  // A short mask read its missing entries as invalid: the last user's pairs were never noise.
  for (const validMask of [VALID.slice(0, 6), Uint8Array.of(...VALID, 1)]) {
    assertThrows(
      () => selectNoise(CONTRIBUTIONS, validMask, SHAPE, { kind: "bottom_fraction", rho: 0.5 }),
      Error,
      `selectNoise: validMask has ${validMask.length}`,
    );
  }
});

Deno.test("selectNoise refuses scores of another length than the shape, naming them", () => {
  // Short scores read their missing entries as undefined: no NaN check fired, and the sort put
  // those pairs anywhere.
  for (const scores of [CONTRIBUTIONS.slice(0, 6), Float32Array.of(...CONTRIBUTIONS, 0)]) {
    for (
      const selection of [{ kind: "bottom_fraction", rho: 0.5 }, {
        kind: "threshold",
        threshold: 0,
      }] as const
    ) {
      assertThrows(
        () => selectNoise(scores, VALID, SHAPE, selection),
        Error,
        `selectNoise: scores has ${scores.length} entries, expected 8`,
      );
    }
  }
});

Deno.test("selectNoise refuses a selection of unknown kind or a threshold that is not finite", () => {
  // The checks attributeModalities makes (AttributionConfig.selection) hold for a direct call too:
  // kind "top" fell through to the bottom fraction of an unchecked rho (5 marked all but one pair),
  // and a threshold of Infinity marked every valid pair as noise, both silently.
  const bad: [Record<string, unknown>, string][] = [
    [{ kind: "top", rho: 0.3 }, 'NoiseSelection.kind is "top";'],
    [{ kind: "top", rho: 5 }, 'NoiseSelection.kind is "top";'],
    [{ kind: "threshold", threshold: Infinity }, "NoiseSelection.threshold is Infinity;"],
    [{ kind: "threshold", threshold: -Infinity }, "NoiseSelection.threshold is -Infinity;"],
  ];
  for (const [selection, message] of bad) {
    const error = assertThrows(
      () => selectNoise(CONTRIBUTIONS, VALID, SHAPE, selection as unknown as NoiseSelection),
      SettingError,
      message,
    );
    assertEquals((error as SettingError).setting, message.split(" ")[0]);
  }
});

Deno.test("normaliseContributions refuses a shape size that is not an integer and a validMask of another length", () => {
  // [1.5, 2, 2] has 6 cells like the 6 values given: only the integer check stands in the way.
  assertThrows(
    () => normaliseContributions(new Float32Array(6), new Uint8Array(6), [1.5, 2, 2], "zscore"),
    Error,
    "normaliseContributions: shape[0] must be a non-negative integer, got 1.5",
  );
  // A short validMask read its missing entries as invalid: the last user was never normalised.
  for (const validMask of [VALID.slice(0, 6), Uint8Array.of(...VALID, 1)]) {
    assertThrows(
      () => normaliseContributions(CONTRIBUTIONS, validMask, SHAPE, "rank"),
      Error,
      `normaliseContributions: validMask has ${validMask.length} entries, expected 8`,
    );
  }
});

Deno.test("normaliseContributions refuses a non-finite contribution at a valid pair, naming its flat index", () => {
  // z-score: a NaN made the user's std NaN, and every one of its pairs was set to 0 silently;
  // rank: NaN broke the sort. At an invalid pair the value is never read, so it is allowed.
  for (const method of ["zscore", "rank"] as const) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const contributions = Float32Array.from(CONTRIBUTIONS);
      contributions[6] = bad;
      assertThrows(
        () => normaliseContributions(contributions, VALID, SHAPE, method),
        Error,
        `normaliseContributions: contribution at flat index 6 (a valid pair) is ${bad}`,
      );
    }
    const atPadding = Float32Array.from(CONTRIBUTIONS);
    atPadding[4] = NaN;
    assert(Number.isNaN(normaliseContributions(atPadding, VALID, SHAPE, method)[4]));
  }
});

Deno.test("normaliseContributions refuses a method it does not know, naming it, instead of ranking", () => {
  const error = assertThrows(
    () =>
      normaliseContributions(
        CONTRIBUTIONS,
        VALID,
        SHAPE,
        "minmax" as unknown as "zscore",
      ),
    SettingError,
    'normaliseContributions.method is "minmax"; allowed: one of "zscore", "rank"',
  );
  assertEquals(error.name, "SettingError");
});

Deno.test("a validMask entry other than 0 or 1 is refused by every host step, naming it", () => {
  // validPairs makes 0/1 masks; a NaN entry compared false with `> 0`, so the pair was dropped
  // from the normalisation, the selection and the aggregate without an error.
  for (const bad of [NaN, 0.5, 2, -1]) {
    const validMask = Float32Array.from(VALID);
    validMask[2] = bad;
    const selection = { kind: "bottom_fraction", rho: 0.5 } as const;
    const calls: [string, () => unknown][] = [
      [
        "normaliseContributions",
        () => normaliseContributions(CONTRIBUTIONS, validMask, SHAPE, "zscore"),
      ],
      ["selectNoise", () => selectNoise(CONTRIBUTIONS, validMask, SHAPE, selection)],
      [
        "aggregateByModality",
        () =>
          aggregateByModality(CONTRIBUTIONS, CONTRIBUTIONS, new Uint8Array(8), validMask, SHAPE),
      ],
      ["userModalityScores", () => userModalityScores(CONTRIBUTIONS, validMask, SHAPE)],
      [
        "selectNoiseByUserModality",
        () => selectNoiseByUserModality(new Float32Array(4), validMask, SHAPE, selection),
      ],
    ];
    for (const [where, call] of calls) {
      assertThrows(call, Error, `${where}: validMask at flat index 2 is ${bad}; allowed: 0 or 1`);
    }
  }
});

Deno.test("bottom fraction count: a product truly below an integer still rounds down", () => {
  // The floor's epsilon (1e-9) only lifts float64 products that should be an integer: 0.29995 of
  // 10 pairs is 2.9995 and 0.29999999 of 10 is 2.9999999, both 2 pairs, not 3 (an epsilon of
  // 1e-3 or 1e-6 would lift them to 3).
  assertEquals(bottomFractionCount(0.29995, 10), 2);
  assertEquals(bottomFractionCount(0.29999999, 10), 2);
  const scores = Float32Array.of(5, 4, 3, 2, 1, 0, -1, -2, -3, -4);
  const noise = selectNoise(scores, new Uint8Array(10).fill(1), [1, 5, 2], {
    kind: "bottom_fraction",
    rho: 0.29995,
  });
  // The 2 lowest scores, -4 (flat 9) and -3 (flat 8).
  assertEquals(Array.from(noise), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
});

Deno.test("threshold selection refuses a NaN score at a valid pair, not only the bottom fraction", () => {
  // NaN < threshold is false: unchecked, the pair would silently never be noise. NaN at padding
  // (flat 4 and 5 of VALID) is never read, as for the bottom fraction.
  const threshold: NoiseSelection = { kind: "threshold", threshold: 0 };
  const atPadding = Float32Array.of(-1, 1, -1, 1, NaN, NaN, -1, 1);
  assertEquals(Array.from(selectNoise(atPadding, VALID, SHAPE, threshold)), [
    1,
    0,
    1,
    0,
    0,
    0,
    1,
    0,
  ]);
  const atValid = Float32Array.of(-1, 1, -1, 1, 0, 0, NaN, 1);
  assertThrows(
    () => selectNoise(atValid, VALID, SHAPE, threshold),
    Error,
    "selectNoise: score of valid pair at flat index 6 (user 1) is NaN",
  );
});

Deno.test("a threshold selection is the threshold alone, even with a stray rho (from JSON)", () => {
  // { kind: "threshold", threshold: -1, rho: 0.5 } read from a file: the valid pairs below -1
  // only, not also each user's lowest half.
  const scores = Float32Array.of(-0.5, 0.5, 0.7, -2, 9, 9, -0.1, 1);
  const selection = { kind: "threshold", threshold: -1, rho: 0.5 } as NoiseSelection;
  // Below -1: only flat 3 (-2). A bottom half would add flat 0 (-0.5) and flat 6 (-0.1).
  assertEquals(Array.from(selectNoise(scores, VALID, SHAPE, selection)), [0, 0, 0, 1, 0, 0, 0, 0]);
});

Deno.test("normalisation and aggregate: tiny distinct contributions still rank; noise at a padding pair is not counted", () => {
  // Contributions of 1e-12 are small, not tied: their z-scores are those of 1, 2, 3, 4
  // (a std floor above 0 would set them all to 0; mutation round JH).
  const shape: PairShape = [1, 2, 2];
  const ones = Uint8Array.of(1, 1, 1, 1);
  const tiny = normaliseContributions(
    Float32Array.of(1e-12, 2e-12, 3e-12, 4e-12),
    ones,
    shape,
    "zscore",
  );
  const plain = normaliseContributions(Float32Array.of(1, 2, 3, 4), ones, shape, "zscore");
  plain.forEach((z, i) => assertAlmostEquals(tiny[i], z, 1e-5, `pair ${i}`));
  // A noise mark at an invalid pair (user 1, position 0) is outside every mean.
  const noise = Uint8Array.of(0, 0, 0, 0, 1, 1, 0, 0);
  const normalised = Float32Array.of(1, 2, 3, 4, NaN, NaN, 5, 6);
  const perModality = aggregateByModality(CONTRIBUTIONS, normalised, noise, VALID, SHAPE);
  assertEquals(perModality.map((m) => m.noiseRate), [0, 0]);
});

Deno.test("rank normalisation orders negative contributions below positive ones (the sign counts)", () => {
  // A contribution below 0 (the loss falls without the pair) is the least interesting, not a
  // large one: ranking the magnitudes put -3 at the top (mutation round JH).
  const r = normaliseContributions(Float32Array.of(-3, 1, -1, 2), Uint8Array.of(1, 1, 1, 1), [
    1,
    2,
    2,
  ], "rank");
  assertEquals(Array.from(r), [0, 2 / 3, 1 / 3, 1].map(Math.fround));
});

Deno.test("aggregate by modality: a NaN normalised score at a valid pair shows as a NaN mean", () => {
  // normaliseContributions leaves NaN at invalid pairs only; one at a valid pair is a bug upstream
  // and must not be read as 0 (mutation round JH). The other modality is untouched.
  const normalised = Float32Array.of(NaN, 2, 3, 4, NaN, NaN, 5, 6);
  const [m0, m1] = aggregateByModality(CONTRIBUTIONS, normalised, new Uint8Array(8), VALID, SHAPE);
  assert(Number.isNaN(m0.meanNormalised), `${m0.meanNormalised}`);
  assertEquals(m1.meanNormalised, 4);
});
