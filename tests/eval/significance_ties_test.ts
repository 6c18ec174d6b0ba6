import { assertAlmostEquals, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { pairedTTest, standardNormalCdf, wilcoxonSignedRank } from "../../lib/eval/significance.ts";

Deno.test("Wilcoxon signed-rank with tied |differences|: the tie-corrected variance, by hand", () => {
  // d = a - b = [1, 1, 1, 2, -1], no zeros: n = 5. |d| = 1 four times (ranks 1..4, average 2.5)
  // and 2 once (rank 5). W+ = 3 * 2.5 + 5 = 12.5; E[W+] = n(n + 1) / 4 = 7.5.
  // Var[W+] = n(n + 1)(2n + 1) / 24 - sum over tie groups (t^3 - t) / 48 (the standard tie
  // correction, as in scipy.stats.wilcoxon's normal approximation) = 13.75 - (4^3 - 4) / 48 = 12.5.
  // The code's z subtracts 0.5 toward zero (continuity correction): z = (12.5 - 7.5 - 0.5) /
  // sqrt(12.5) = 4.5 / sqrt(12.5) = 1.2728; without the tie term it would be 4.5 / sqrt(13.75)
  // = 1.2136.
  const result = wilcoxonSignedRank([1, 1, 1, 2, -1], [0, 0, 0, 0, 0]);
  assertEquals(result.n, 5);
  assertAlmostEquals(result.meanDifference, 4 / 5, 1e-12);
  const z = 4.5 / Math.sqrt(12.5);
  assertAlmostEquals(result.statistic, z, 1e-9);
  assertAlmostEquals(result.pValue, 2 * (1 - standardNormalCdf(z)), 1e-12);
  assertAlmostEquals(result.pValue, 0.2031, 1e-3);
});

Deno.test("Wilcoxon signed-rank with a resolution decides zeros and ties on the rounded differences", () => {
  // Float differences of values on a grid of 1e-6: 0.1 + 0.2 - 0.3 = 5.6e-17 (a zero), and
  // 0.5 - 0.4 = 0.09999999999999998 against 0.2 - 0.1 = 0.1 (a tie).
  const a = [0.1 + 0.2, 0.5, 0.2, 0.9];
  const b = [0.3, 0.4, 0.1, 1.0];
  const atFaceValue = wilcoxonSignedRank(a, b);
  assertEquals(atFaceValue.n, 4, "exact equality: 5.6e-17 is a difference");
  const onTheGrid = wilcoxonSignedRank(a, b, { resolution: 1e-6 });
  // As the same differences written exactly: 0, 1, 1, -1 (tenths).
  const exact = wilcoxonSignedRank([0, 1, 1, 0], [0, 0, 0, 1]);
  assertEquals([onTheGrid.n, onTheGrid.statistic, onTheGrid.pValue], [
    exact.n,
    exact.statistic,
    exact.pValue,
  ]);
  assertAlmostEquals(onTheGrid.meanDifference, atFaceValue.meanDifference, 1e-15);
});

Deno.test("Wilcoxon signed-rank refuses a resolution that is not a finite number > 0", () => {
  for (const resolution of [0, -1e-6, NaN, Infinity]) {
    const error = assertThrows(() => wilcoxonSignedRank([1, 2], [0, 0], { resolution }));
    assertEquals(error.name, "SettingError");
    assertStringIncludes(error.message, "PairedTestOptions.resolution is ");
    assertStringIncludes(error.message, "allowed: a finite number > 0");
  }
});

Deno.test("paired t-test with a resolution reads the differences on the grid", () => {
  // 0.1 + 0.2 - 0.3 = 5.6e-17 is a zero on a grid of 1e-6: no difference, no spread, p = 1 (at
  // face value it was the only spread: t = 1, p = 0.5).
  const a = [0.1 + 0.2, 0.5];
  const b = [0.3, 0.5];
  assertEquals(pairedTTest(a, b).statistic, 1);
  const onTheGrid = pairedTTest(a, b, { resolution: 1e-6 });
  assertEquals([onTheGrid.meanDifference, onTheGrid.statistic, onTheGrid.pValue], [0, 0, 1]);
  // Off the noise, the same t and p as at face value, the mean in the values' units.
  const spread = pairedTTest([0.3, 0.5, 0.9], [0.1, 0.4, 0.4], { resolution: 1e-6 });
  const atFaceValue = pairedTTest([0.3, 0.5, 0.9], [0.1, 0.4, 0.4]);
  assertAlmostEquals(spread.statistic, atFaceValue.statistic, 1e-12);
  assertAlmostEquals(spread.pValue, atFaceValue.pValue, 1e-12);
  assertAlmostEquals(spread.meanDifference, 0.8 / 3, 1e-15);
  for (const resolution of [0, -1e-6, NaN, Infinity]) {
    const error = assertThrows(() => pairedTTest([1, 2], [0, 0], { resolution }));
    assertEquals(error.name, "SettingError");
    assertStringIncludes(error.message, "PairedTestOptions.resolution is ");
  }
});

Deno.test("Wilcoxon signed-rank of no pairs: no difference, p = 1 (not a mean of NaN)", () => {
  for (const options of [{}, { resolution: 1e-6 }]) {
    const none = wilcoxonSignedRank([], [], options);
    assertEquals([none.meanDifference, none.statistic, none.pValue, none.n], [0, 0, 1, 0]);
  }
});

Deno.test("Wilcoxon signed-rank, normal approximation: a system behind gets the same two-sided p (z < 0)", () => {
  // The tie example above with the systems swapped: d = [-1, -1, -1, -2, 1]. |d| ranks as before
  // (2.5 four times, 5), W+ = 2.5 (the one positive difference), E[W+] = 7.5, Var = 12.5.
  // z = (2.5 - 7.5 + 0.5) / sqrt(12.5) = -4.5 / sqrt(12.5) = -1.2728: the continuity correction
  // moves toward zero from below. Two-sided p = 2 * Phi(-|z|) = 0.2031, the p of the swap; read
  // from the signed z it was 2 * Phi(1.27) > 1, shown as p = 1.
  const behind = wilcoxonSignedRank([0, 0, 0, 0, 1], [1, 1, 1, 2, 0]);
  const ahead = wilcoxonSignedRank([1, 1, 1, 2, 0], [0, 0, 0, 0, 1]);
  const z = -4.5 / Math.sqrt(12.5);
  assertAlmostEquals(behind.statistic, z, 1e-9);
  assertAlmostEquals(behind.pValue, 2 * standardNormalCdf(z), 1e-12);
  assertAlmostEquals(behind.pValue, 0.2031, 1e-3);
  assertEquals(behind.pValue, ahead.pValue);
  assertEquals(behind.statistic, -ahead.statistic);
});
