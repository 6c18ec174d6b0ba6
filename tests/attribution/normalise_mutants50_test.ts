/**
 * normaliseContributions cases no other test reached (mutation round 50b): a z-scored user with a
 * single valid pair, and double-precision contributions that are all negative and whose spread
 * overflows when squared.
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { normaliseContributions } from "../../lib/attribution/normalise.ts";

Deno.test("z-score: a user with one valid pair sits at 0, next to a user with a ranking", () => {
  // User 0 has one valid pair (the other is padding); user 1 has two distinct values.
  const z = normaliseContributions(
    Float64Array.of(4.5, 7, 1, 3),
    Uint8Array.of(1, 0, 1, 1),
    [2, 2, 1],
    "zscore",
  );
  assertEquals(Array.from(z), [0, NaN, -1, 1]);
});

Deno.test("z-score: all-negative contributions whose squared spread overflows keep their ranking", () => {
  // (1e200)^2 is Infinity in float64: the direct std is not finite, and the values are rescaled by
  // their largest magnitude (2e200 here, every value negative), then z-scored: -1 and 1.
  const z = normaliseContributions(
    Float64Array.of(-2e200, -1e200),
    Uint8Array.of(1, 1),
    [1, 2, 1],
    "zscore",
  );
  assertEquals(Array.from(z), [-1, 1]);
  // The same below: distinct negative values whose squared spread underflows.
  const small = normaliseContributions(
    Float64Array.of(-1e-200, 0, -3e-200),
    Uint8Array.of(1, 1, 1),
    [1, 3, 1],
    "zscore",
  );
  // Over 3e-200 they are -1/3, 0 and -1, whose z-scores those of -1, 0 and -3 are.
  const scaledUp = normaliseContributions(Float64Array.of(-1, 0, -3), Uint8Array.of(1, 1, 1), [
    1,
    3,
    1,
  ], "zscore");
  Array.from(small).forEach((v, i) => assertAlmostEquals(v, scaledUp[i], 1e-6));
  assertEquals(Array.from(small).map((v) => Math.sign(v)), [1, 1, -1]);
});
