/** formatPercent: a share at so many decimals; a share neither none nor all never reads 0 or 100. */
import { assertEquals, assertThrows } from "@std/assert";
import { formatPercent } from "../../lib/util/percent.ts";

Deno.test("formatPercent: none and all read 0 and 100; a share between never does", () => {
  assertEquals(formatPercent(0, 1), "0.0 %");
  assertEquals(formatPercent(1, 1), "100.0 %");
  assertEquals(formatPercent(0.5, 1), "50.0 %");
  assertEquals(formatPercent(9_062 / 9_066, 1), "> 99.9 %");
  assertEquals(formatPercent(1 / 9_066, 1), "< 0.1 %");
  // At three decimals, the bounds are a thousandth of a percent.
  assertEquals(formatPercent(0.0000001, 3), "< 0.001 %");
  assertEquals(formatPercent(0.9999999, 3), "> 99.999 %");
  assertEquals(formatPercent(0.000123, 3), "0.012 %");
  // Shares that round to the edge but away from it: shown as they are.
  assertEquals(formatPercent(0.0005, 1), "0.1 %");
  assertEquals(formatPercent(0.9994, 1), "99.9 %");
});

Deno.test("formatPercent at 0 decimals: the bounds are a whole percent", () => {
  // Found by mutation round NA (NA37): no test used 0 decimals, where the step is 1, not 0.1.
  assertEquals(formatPercent(0.004, 0), "< 1 %");
  assertEquals(formatPercent(0.996, 0), "> 99 %");
  assertEquals(formatPercent(0.006, 0), "1 %");
  assertEquals(formatPercent(0.994, 0), "99 %");
  assertEquals(formatPercent(0.5, 0), "50 %");
});

Deno.test("formatPercent refuses a count of decimals that is no integer in [0, 100], naming it", () => {
  // Found by mutation round NA: toFixed cut 1.5 to 1 while the bound used 10^-1.5, so a small
  // share read "< 0.0 %".
  for (const digits of [1.5, -1, 101, Number.NaN]) {
    assertThrows(
      () => formatPercent(0.0001, digits),
      RangeError,
      `formatPercent: digits must be an integer >= 0 and <= 100, got ${digits}`,
    );
  }
  assertEquals(formatPercent(0.5, 100).length, "50.".length + 100 + " %".length);
});
