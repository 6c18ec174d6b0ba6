/**
 * lib/nn's layers refuse what they cannot compute with a message that names it: a dropout rate
 * outside [0, 1) (a negative one was the identity, silently, and one at or above 1 reached the
 * kernel's plain Error only in training), and a dense input whose width is not the kernel's
 * (tfjs's shape error named neither width).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { dense, dropout } from "../../lib/nn/layers.ts";
import { settingError } from "../_setting_error.ts";

await initBackend({ verbose: false });

Deno.test("dropout refuses a rate outside [0, 1), in training or not", () => {
  tf.tidy(() => {
    const x = tf.ones([2, 3]);
    for (const rate of [-0.1, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      for (const training of [true, false]) {
        const error = settingError(() => dropout(x, rate, training, 7, 0));
        assertEquals(error.setting, "dropout rate");
        assertStringIncludes(error.message, "a finite number >= 0 and < 1");
      }
    }
    // Just inside the range: 0 is the identity, 0.999 draws a mask.
    assertEquals(dropout(x, 0, true, 7, 0), x);
    assertEquals(dropout(x, 0.999, false, 7, 0), x);
    assertEquals(dropout(x, 0.999, true, 7, 0).shape, [2, 3]);
  });
});

Deno.test("dense names both widths when the input's is not the kernel's", () => {
  tf.tidy(() => {
    const error = assertThrows(() => dense(tf.ones([2, 4, 5]), tf.ones([3, 6]) as tf.Tensor2D));
    assertStringIncludes(error.message, "input of width 5 (shape [2,4,5])");
    assertStringIncludes(error.message, "kernel of 3 input rows (shape [3,6])");
    assertEquals(dense(tf.ones([2, 4, 3]), tf.ones([3, 6]) as tf.Tensor2D).shape, [2, 4, 6]);
  });
});
