/**
 * Noise rates at their ends (session 49, numerical robustness): a modality masked at every pair
 * reads exactly 1 and one never masked exactly 0, also from counts as large as a long run's; a
 * noise fraction rho just above 0 or just below 1 still marks at least one pair and never all.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { modalityNoiseRates } from "../../lib/demure/noise_rates.ts";
import { bottomFractionCount } from "../../lib/attribution/select_noise.ts";

Deno.test("noise rates of 0 and 1 are exact, from small counts and from counts of billions", () => {
  // 22,000 users x 200 positions x 5 modalities x 200 epochs: 4.4e9 pairs, exact in float64.
  const many = 22000 * 200 * 5 * 200;
  const rates = modalityNoiseRates({
    pairsByModality: {
      never: { valid: 7, noise: 0 },
      always: { valid: 7, noise: 7 },
      neverLong: { valid: many, noise: 0 },
      alwaysLong: { valid: many, noise: many },
      allButOne: { valid: many, noise: many - 1 },
    },
  });
  assertEquals(rates.measured.map(({ modality, rate }) => [modality, rate]), [
    ["never", 0],
    ["always", 1],
    ["neverLong", 0],
    ["alwaysLong", 1],
    ["allButOne", (many - 1) / many],
  ]);
  assertEquals(rates.measured[4].rate < 1, true);
  assertEquals(rates.unmeasured, []);
  // One more noise pair than pairs is refused, at 2^53 too.
  const beyond = 2 ** 53;
  assertThrows(
    () => modalityNoiseRates({ pairsByModality: { id: { valid: beyond - 1, noise: beyond } } }),
    Error,
    `modalityNoiseRates: pairsByModality.id has ${beyond} noise pairs of ${beyond - 1}`,
  );
});

Deno.test("rho just above 0 marks one pair and just below 1 all but one, whatever the count", () => {
  for (const count of [2, 5, 117, 1000]) {
    assertEquals(bottomFractionCount(Number.MIN_VALUE, count), 1, `rho min, ${count}`);
    assertEquals(bottomFractionCount(1 - 2 ** -53, count), count - 1, `rho 1 - 2^-53, ${count}`);
  }
  assertEquals(bottomFractionCount(1 - 2 ** -53, 1), 0);
});
