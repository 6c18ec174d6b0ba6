/**
 * Noise selection at its edges: a score a hair below the threshold, infinite scores, and the
 * user-modality selection's own length error (found by mutation round OA).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { selectNoise } from "../../lib/attribution/select_noise.ts";
import { selectNoiseByUserModality } from "../../lib/attribution/user_modality.ts";

Deno.test("threshold: a score a hair below the threshold is noise, in the scores' own precision", () => {
  // 0.1 and 0.1 + 1e-10 are one float32; compared as given, the first is strictly below.
  const noise = selectNoise(
    Float64Array.of(0.1, 0.1 + 1e-10, 0.1 + 2e-10),
    Uint8Array.of(1, 1, 1),
    [
      1,
      3,
      1,
    ],
    { kind: "threshold", threshold: 0.1 + 1e-10 },
  );
  assertEquals(Array.from(noise), [1, 0, 0]);
});

Deno.test("selectNoise ranks infinite scores as the extremes (only NaN is refused)", () => {
  const scores = Float64Array.of(Infinity, 0, -Infinity, 1);
  const valid = Uint8Array.of(1, 1, 1, 1);
  const bottom = selectNoise(scores, valid, [1, 4, 1], { kind: "bottom_fraction", rho: 0.5 });
  assertEquals(Array.from(bottom), [0, 1, 1, 0]);
  const below = selectNoise(scores, valid, [1, 4, 1], { kind: "threshold", threshold: 0.5 });
  assertEquals(Array.from(below), [0, 1, 1, 0]);
});

Deno.test("selectNoiseByUserModality: an infinite user score is a candidate; only NaN means absent", () => {
  // [batch 1, position 1, modality 3]: modality 0's mean is -Infinity, the lowest.
  const noise = selectNoiseByUserModality(
    Float64Array.of(-Infinity, 1, 2),
    Uint8Array.of(1, 1, 1),
    [
      1,
      1,
      3,
    ],
    { kind: "bottom_fraction", rho: 0.5 },
  );
  assertEquals(Array.from(noise), [1, 0, 0]);
});

Deno.test("selectNoiseByUserModality refuses a short userScores by its own name", () => {
  // A short array reached selectNoise, which named itself and [batch, 1, modality].
  assertThrows(
    () =>
      selectNoiseByUserModality(new Float32Array(3), new Uint8Array(8), [2, 2, 2], {
        kind: "bottom_fraction",
        rho: 0.5,
      }),
    Error,
    "selectNoiseByUserModality: userScores has 3 entries, expected 4 for [batch, modality] = [2, 2]",
  );
});
