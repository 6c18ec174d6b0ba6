/** A modality's noise rate comes from its pair counts; one without pairs is named with a reason. */
import { assertEquals, assertThrows } from "@std/assert";
import {
  MODALITY_NEVER_PRESENT,
  modalityNoiseRates,
  NO_MASK_DRAWN,
} from "../../lib/demure/noise_rates.ts";

Deno.test("modalityNoiseRates: rates from the counts, a modality without pairs unmeasured", () => {
  const rates = modalityNoiseRates({
    pairsByModality: {
      id: { valid: 200, noise: 2 },
      image: { valid: 0, noise: 0 },
      text: { valid: 100, noise: 25 },
    },
  });
  assertEquals(rates.measured, [
    { modality: "id", rate: 0.01, pairs: 200, noise: 2 },
    { modality: "text", rate: 0.25, pairs: 100, noise: 25 },
  ]);
  assertEquals(rates.unmeasured, [{ modality: "image", reason: MODALITY_NEVER_PRESENT }]);
});

Deno.test("modalityNoiseRates: no pair at all means no mask was drawn", () => {
  const rates = modalityNoiseRates({
    pairsByModality: { id: { valid: 0, noise: 0 }, text: { valid: 0, noise: 0 } },
  });
  assertEquals(rates.measured, []);
  assertEquals(rates.unmeasured.map((entry) => entry.reason), [NO_MASK_DRAWN, NO_MASK_DRAWN]);
});

Deno.test("modalityNoiseRates: counts that cannot be counts are errors naming the modality", () => {
  const of = (valid: number, noise: number) => () =>
    modalityNoiseRates({ pairsByModality: { text: { valid, noise } } });
  assertThrows(of(10, 11), Error, "pairsByModality.text has 11 noise pairs of 10");
  assertThrows(of(-1, 0), Error, "pairsByModality.text.valid is -1");
  assertThrows(of(10, 0.5), Error, "pairsByModality.text.noise is 0.5");
  // A count lost in a result file (JSON writes NaN as null) is not read as 0.
  assertThrows(
    of(null as unknown as number, 0),
    Error,
    "pairsByModality.text.valid is null",
  );
});

Deno.test("modalityNoiseRates: pairs without noise are a rate of 0 and show that masks were drawn", () => {
  // A run whose masks flagged no pair at all still drew masks: a modality without pairs was never
  // present under them, and one with pairs is a rate of 0, not unmeasured.
  const rates = modalityNoiseRates({
    pairsByModality: { id: { valid: 4, noise: 0 }, image: { valid: 0, noise: 0 } },
  });
  assertEquals(rates.measured, [{ modality: "id", rate: 0, pairs: 4, noise: 0 }]);
  assertEquals(rates.unmeasured, [{ modality: "image", reason: MODALITY_NEVER_PRESENT }]);
});
