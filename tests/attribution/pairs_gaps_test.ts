import { assertEquals, assertThrows } from "@std/assert";
import { validPairs } from "../../lib/attribution/_pairs.ts";
import { attributionOfContributions } from "../../lib/attribution/attribute.ts";
import { zeroInvalidContributions } from "../../lib/attribution/contributions.ts";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/types.ts";

Deno.test("validPairs: 1 where the mask weight is above 0, fractional weights included", () => {
  assertEquals(Array.from(validPairs([0, 1, 0.25, 0, 1e-7])), [0, 1, 1, 0, 1]);
});

Deno.test("validPairs refuses a weight that is not a number in [0, 1], naming the caller, index and value", () => {
  for (const bad of [NaN, -0.5, 1.01, Infinity, -Infinity]) {
    assertThrows(
      () => validPairs([1, 0, bad]),
      Error,
      `validPairs: mask value at flat index 2 is ${bad}; allowed: a number in [0, 1]`,
    );
    assertThrows(
      () => validPairs([bad, 1], "validMaskOf"),
      Error,
      `validMaskOf: mask value at flat index 0 is ${bad}`,
    );
  }
});

Deno.test("zeroInvalidContributions refuses a non-finite contribution of a valid pair before zeroing any pair", () => {
  const contributions = Float32Array.of(1, 2, Infinity, 4);
  assertThrows(
    () => zeroInvalidContributions(contributions, [0, 1, 1, 0], "gradient_x_input"),
    Error,
    "computeContributions(gradient_x_input): contribution at flat index 2 is Infinity",
  );
  // Before, the invalid pair at index 0 was zeroed on the way to the refusal.
  assertEquals(Array.from(contributions), [1, 2, Infinity, 4]);
  // A non-finite value of an invalid pair is no error: it is set to 0.
  const padded = Float32Array.of(NaN, 2, 3, -Infinity);
  zeroInvalidContributions(padded, [0, 1, 1, 0], "gradient_x_input");
  assertEquals(Array.from(padded), [0, 2, 3, 0]);
});

Deno.test("zeroInvalidContributions and attributionOfContributions refuse a NaN mask value instead of zeroing the pair", () => {
  const contributions = Float32Array.of(1, 2, 3, 4);
  assertThrows(
    () => zeroInvalidContributions(contributions, [1, NaN, 1, 0], "gradient_x_input"),
    Error,
    "computeContributions(gradient_x_input): mask value at flat index 1 is NaN",
  );
  assertEquals(Array.from(contributions), [1, 2, 3, 4], "nothing zeroed before the refusal");
  assertThrows(
    () =>
      attributionOfContributions(
        Float32Array.of(1, 2, 3, 4),
        [1, 1, NaN, 1],
        [1, 2, 2],
        DEFAULT_ATTRIBUTION_CONFIG,
      ),
    Error,
    "attributionOfContributions: mask value at flat index 2 is NaN",
  );
});
