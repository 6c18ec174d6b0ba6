/**
 * The temperatures the contrastive losses accept, and NT-Xent's self-similarity mask (session 49,
 * numerical robustness). Logits are s / tau in float32: below about 1e-9 NT-Xent's fixed excluded
 * logit (-1e9) became the largest entry of an anchor's row, and below about 3e-39 1/tau overflowed
 * and both losses read NaN, all accepted by "> 0". Every configuration that feeds one of these
 * losses refuses what the loss refuses, naming the range; at the range's end the loss is still the
 * float64 value. Dot products can reach below -1e9 tau at any temperature: the excluded logit
 * follows such a row down, and nothing else changes.
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

Deno.test("NT-Xent refuses a temperature whose float32 logits lose their digits or overflow", () => {
  // tau 1e-10 was accepted and read 7.25e9 instead of 5e9 (z1's then fixed self logit, -1e9,
  // outweighed its real ones, -1e10), 1e-40 NaN. The refusal names setting, value and range.
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

/** NT-Xent as it was before session 49: a fixed -1e9 for each view's similarity with itself. */
function fixedMaskNtXent(first: tf.Tensor2D, second: tf.Tensor2D, temperature: number) {
  const views = 2 * first.shape[0];
  const z = tf.concat([first, second], 0);
  const logits = tf.div(tf.matMul(z, z, false, true), temperature);
  const self = tf.cast(tf.eye(views), "bool");
  const masked = tf.where(self, tf.fill([views, views], -1e9), logits);
  const pair = tf.concat([
    tf.slice(tf.eye(views), [0, first.shape[0]]),
    tf.slice(tf.eye(views), [0, 0], [views, first.shape[0]]),
  ], 1);
  const positive = tf.sum(tf.mul(logits, pair), -1);
  return tf.mean(tf.sub(tf.logSumExp(masked, -1), positive)) as tf.Scalar;
}

Deno.test("NT-Xent, dot: views whose dot products reach -1e9 tau keep their self-similarity out", () => {
  // The antipodal views scaled to norm 4e4 (tau 1, CL4SRec's) or 40 (tau 1e-6): real logits of
  // -1.6e9, below the fixed -1e9, which then ruled anchor z1's softmax (6e8 too low a logsumexp).
  for (const [scale, temperature] of [[4e4, 1], [40, LOWEST]]) {
    tf.tidy(() => {
      const first = tf.tensor2d([[scale, 0], [-scale, 0]]);
      const second = tf.tensor2d([[-scale, 0], [-scale, 0]]);
      const expected = (Math.log(3) + 3 * Math.log(2) + 2 * scale * scale / temperature) / 4;
      const value = ntXent(first, second, { temperature, similarity: "dot" }).dataSync()[0];
      assertAlmostEquals(value, expected, expected * 1e-6, `${scale}, ${temperature}`);
      const before = fixedMaskNtXent(first, second, temperature).dataSync()[0];
      assert(Math.abs(before - expected) > 1e8, `the fixed mask's error, ${before}`);
    });
  }
});

Deno.test("NT-Xent: wherever the fixed mask held, loss and gradients are those of the fixed mask, bit for bit", () => {
  for (const [temperature, scale] of [[1, 1], [0.2, 3], [1e-3, 0.5]]) {
    tf.tidy(() => {
      const first = tf.mul(tf.randomNormal([6, 8], 0, 1, "float32", 491), scale) as tf.Tensor2D;
      const second = tf.mul(tf.randomNormal([6, 8], 0, 1, "float32", 492), scale) as tf.Tensor2D;
      const now = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature, similarity: "dot" })
      )([first, second]);
      const fixed = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        fixedMaskNtXent(a as tf.Tensor2D, b as tf.Tensor2D, temperature)
      )([first, second]);
      assertEquals(
        ntXent(first, second, { temperature, similarity: "dot" }).dataSync()[0],
        fixedMaskNtXent(first, second, temperature).dataSync()[0],
      );
      now.forEach((gradient, i) =>
        assertEquals(
          Array.from(gradient.dataSync()),
          Array.from(fixed[i].dataSync()),
          `${temperature}`,
        )
      );
    });
  }
});
