/**
 * The temperatures the contrastive losses accept (session 49, numerical robustness). Logits are
 * s / tau in float32: below about 1e-9 NT-Xent's excluded logit (-1e9) became the largest entry of
 * an anchor's row, and below about 3e-39 1/tau overflowed and both losses read NaN, all accepted by
 * "> 0". Every configuration that feeds one of these losses refuses what the loss refuses, naming
 * the range; at the range's end the loss is still the float64 value.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  CONTRASTIVE_TEMPERATURE_RANGE,
  DEFAULT_INFO_NCE_CONFIG,
  infoNce,
} from "../../lib/losses/info_nce.ts";
import { ntXent } from "../../lib/losses/nt_xent.ts";
import { DEFAULT_DEMURE_CONFIG, resolveDemureConfig } from "../../lib/demure/config.ts";
import { DEFAULT_CL4SREC_CONFIG, validateCl4SRecConfig } from "../../lib/baselines/cl4srec.ts";
import { settingError } from "../_setting_error.ts";

await initBackend({ verbose: false });

const LOWEST = 1e-6;

/**
 * NT-Xent of views z1 = (1, 0), z2 = z3 = z4 = (-1, 0) (pairs z1-z3, z2-z4) in float64: anchor z1
 * sees only antipodal views (ln 3), z2 and z4 ln 2 (+ e^(-2/tau)), z3 (positive z1 at -1/tau)
 * 2/tau + ln 2 (the case of nt_xent_gaps_test.ts, where the mask has to hold).
 */
function antipodalNtXent(temperature: number): number {
  return (Math.log(3) + 3 * Math.log(2) + 2 / temperature) / 4;
}

function ntXentOfAntipodalViews(temperature: number): number {
  return tf.tidy(() => {
    const first = tf.tensor2d([[1, 0], [-1, 0]]);
    const second = tf.tensor2d([[-1, 0], [-1, 0]]);
    return ntXent(first, second, { temperature, similarity: "cosine" }).dataSync()[0];
  });
}

Deno.test("contrastive temperature: the range is >= 1e-6, and every default lies inside it", () => {
  assertEquals({ ...CONTRASTIVE_TEMPERATURE_RANGE }, { min: LOWEST });
  for (
    const t of [
      DEFAULT_INFO_NCE_CONFIG.temperature,
      DEFAULT_DEMURE_CONFIG.temperature,
      DEFAULT_CL4SREC_CONFIG.temperature,
    ]
  ) assert(t >= LOWEST, `default ${t}`);
});

Deno.test("NT-Xent refuses a temperature at which its self-similarity mask stops masking", () => {
  // tau 1e-10 was accepted and read 7.25e9 instead of 5e9: z1's self logit (-1e9) outweighed its
  // real ones (-1e10). The refusal names the setting, the value and the range.
  for (const temperature of [1e-10, 1e-40, LOWEST * (1 - 1e-9)]) {
    const error = settingError(() => ntXentOfAntipodalViews(temperature));
    assertEquals(error.setting, "NtXentOptions.temperature");
    assertEquals(error.value, temperature);
    assertEquals(error.allowed, "a finite number >= 0.000001");
  }
});

Deno.test("NT-Xent at the lowest temperature it accepts is the float64 loss (mask holds)", () => {
  const expected = antipodalNtXent(LOWEST); // 500000.79...
  const value = ntXentOfAntipodalViews(LOWEST);
  // float32 logits of 1e6 are rounded to 0.0625; the wrong mask would be off by 1.25e5.
  assertAlmostEquals(value, expected, 0.2);
});

Deno.test("InfoNCE refuses a temperature below the range, and is the float64 loss at its end", () => {
  const lossAt = (temperature: number) =>
    tf.tidy(() => {
      const anchor = tf.tensor2d([[1, 0], [0, 1]]);
      const positive = tf.tensor2d([[0.6, 0.8], [0.8, 0.6]]);
      return infoNce(anchor, positive, { temperature }).dataSync()[0];
    });
  // 1e-40: 1/tau overflows float32 and the loss was NaN, accepted.
  for (const temperature of [1e-40, 1e-7]) {
    const error = settingError(() => lossAt(temperature));
    assertEquals(error.setting, "InfoNceConfig.temperature");
    assertEquals(error.allowed, "a finite number >= 0.000001");
  }
  // Each anchor's positive is 0.2 below its in-batch negative: 0.2/tau + ln(1 + e^(-0.2/tau)).
  assertAlmostEquals(lossAt(LOWEST), 0.2 / LOWEST, 0.05);
});

Deno.test("Demure and CL4SRec refuse, before training, a temperature their loss would refuse", () => {
  const demure = settingError(() => resolveDemureConfig({ temperature: 1e-7 }));
  assertEquals(demure.setting, "DemureConfig.temperature");
  assertEquals(demure.allowed, "a finite number >= 0.000001");
  assertEquals(resolveDemureConfig({ temperature: LOWEST }).temperature, LOWEST);
  const cl4srec = settingError(() =>
    validateCl4SRecConfig({ ...DEFAULT_CL4SREC_CONFIG, temperature: 1e-10 })
  );
  assertEquals(cl4srec.setting, "Cl4SRecConfig.temperature");
  assertEquals(cl4srec.allowed, "a finite number >= 0.000001");
  validateCl4SRecConfig({ ...DEFAULT_CL4SREC_CONFIG, temperature: LOWEST });
});
