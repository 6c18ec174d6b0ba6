/**
 * normaliseContributions on constant and nearly equal contributions given in double precision, and
 * the name of its length error (found by mutation round OA).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { normaliseContributions } from "../../lib/attribution/normalise.ts";
import { selectNoise } from "../../lib/attribution/select_noise.ts";

Deno.test("z-score: a user whose pairs all contribute the same sits at 0, whatever the float mean", () => {
  // 0.1 three times averages 0.10000000000000002 in float64: each pair missed the mean by the
  // same ulp, that ulp was the std, and every z-score read -1 (0.7 three times: +1) instead of 0.
  for (const value of [0.1, 0.7, 0, -2.5]) {
    for (const n of [3, 6, 7]) {
      const z = normaliseContributions(
        new Float64Array(n).fill(value),
        new Uint8Array(n).fill(1),
        [1, n, 1],
        "zscore",
      );
      assertEquals(Array.from(z), new Array(n).fill(0), `${n} x ${value}`);
    }
  }
  // What the -1 did downstream: a threshold below 0 marked the whole constant user as noise.
  const z = normaliseContributions(Float64Array.of(0.1, 0.1, 0.1), Uint8Array.of(1, 1, 1), [
    1,
    3,
    1,
  ], "zscore");
  const noise = selectNoise(z, Uint8Array.of(1, 1, 1), [1, 3, 1], {
    kind: "threshold",
    threshold: -0.5,
  });
  assertEquals(Array.from(noise), [0, 0, 0]);
});

Deno.test("z-score: distinct values whose squared spread underflows still rank, never NaN", () => {
  // (5e-201)^2 is 0 in float64: the std computed directly is 0 though the values differ. They
  // read 0 and 0 (a ranking dropped) until session 49; over their largest magnitude they are 0
  // and 1, whose z-scores they share.
  const z = normaliseContributions(
    Float64Array.of(0, 1e-200),
    Uint8Array.of(1, 1),
    [1, 2, 1],
    "zscore",
  );
  assertEquals(Array.from(z), [-1, 1]);
});

Deno.test("rank: contributions that differ below float32 precision still rank apart", () => {
  // The scale reads the numbers as given (float64 here), not rounded to the Float32Array it returns.
  const r = normaliseContributions(
    Float64Array.of(1 + 1e-12, 1),
    Uint8Array.of(1, 1),
    [1, 2, 1],
    "rank",
  );
  assertEquals(Array.from(r), [1, 0]);
});

Deno.test("normaliseContributions names the contributions when they do not fit the shape", () => {
  for (const contributions of [new Float32Array(3), new Float32Array(5)]) {
    assertThrows(
      () => normaliseContributions(contributions, new Uint8Array(4), [1, 2, 2], "zscore"),
      Error,
      `normaliseContributions: contributions has ${contributions.length} entries, expected 4 for ` +
        "[batch, position, modality] = [1, 2, 2]",
    );
  }
});

Deno.test("rank: a contribution of -0 ties with 0 (gradient x input gives -0 where the product is 0)", () => {
  const r = normaliseContributions(
    Float32Array.of(0, -0, 1),
    Uint8Array.of(1, 1, 1),
    [1, 3, 1],
    "rank",
  );
  assertEquals(Array.from(r), [0.25, 0.25, 1]);
});
