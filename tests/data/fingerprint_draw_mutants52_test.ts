/**
 * Gaps found by hand mutation testing (session 52) of lib/data/fingerprint.ts and
 * lib/data/cumulative_draw.ts: each test fails on a small change to the code and passes on it.
 */
import { assertEquals } from "@std/assert";
import { FINGERPRINT_HEX_DIGITS, isDatasetFingerprint } from "../../lib/data/fingerprint.ts";
import { DRAW_POINTS, drawPointsOf } from "../../lib/data/cumulative_draw.ts";

Deno.test("isDatasetFingerprint: exactly 16 lowercase hex digits, nothing before or after", () => {
  assertEquals(FINGERPRINT_HEX_DIGITS, 16);
  assertEquals(isDatasetFingerprint("f5bf20439b75a27b"), true);
  // A longer text (a whole SHA-256, a fingerprint with a suffix) is not one a record holds.
  assertEquals(isDatasetFingerprint("f5bf20439b75a27b0"), false);
  assertEquals(isDatasetFingerprint("f5bf20439b75a27b\n"), false);
  assertEquals(isDatasetFingerprint("xf5bf20439b75a27b"), false);
  assertEquals(isDatasetFingerprint("f5bf20439b75a27"), false);
});

Deno.test("drawPointsOf: a subnormal total, where the quick guess is off, is counted exactly", () => {
  // Total 1e-323 (two steps of the smallest double); index 0 ends at 5e-324, half the total.
  // A draw j lands below 5e-324 when (j / 2^32) * 1e-323 rounds to 0: for j up to 2^30 (a
  // product of at most half a step, which rounds to even, 0), not above. The guess from the
  // ratio (2^31) is off by a quarter of all draws.
  const cumulative = Float64Array.of(5e-324, 1e-323);
  assertEquals(drawPointsOf(cumulative, 0), 2 ** 30 + 1);
  assertEquals(drawPointsOf(cumulative, 1), DRAW_POINTS - (2 ** 30 + 1));
});
