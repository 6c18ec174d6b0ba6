/**
 * layerNorm of a constant row, whose variance is 0 (session 49, numerical robustness): the row
 * comes out as the bias, with finite gradients, whatever its value; an epsilon that cannot keep
 * 1 / sqrt(var + epsilon) finite is refused (0 made such a row NaN; -1 scaled rows up silently).
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { layerNorm } from "../../lib/nn/layers.ts";
import { settingError } from "../_setting_error.ts";

await initBackend({ verbose: false });

Deno.test("layerNorm: a constant row is exactly the bias, and its gradients are finite", () => {
  // 0.1 and -7.3 are not exact in float32 and 1e4 leaves a float32 mean little room: a mean that
  // missed the row by one ulp would come out as ulp / sqrt(1e-6), up to 1e-3 here, not 0.
  for (const value of [0, 0.1, -7.3, 1e4, 3e38]) {
    tf.tidy(() => {
      const x = tf.fill([2, 5], value);
      const bias = tf.tensor1d([0.25, -1, 0, 2, 0.5]);
      const y = layerNorm(x, tf.fill([5], 3) as tf.Tensor1D, bias);
      assertEquals(
        Array.from(y.dataSync()),
        [0.25, -1, 0, 2, 0.5, 0.25, -1, 0, 2, 0.5],
        `${value}`,
      );
      const weights = tf.range(0, 10).reshape([2, 5]);
      const dx = tf.grad((z: tf.Tensor) =>
        tf.sum(tf.mul(layerNorm(z, tf.ones([5]), tf.zeros([5])), weights))
      )(x);
      const finite = Array.from(dx.dataSync()).every((g) => Number.isFinite(g));
      assert(finite, `${value}: ${dx.dataSync()}`);
    });
  }
});

Deno.test("layerNorm refuses an epsilon that is not a finite number > 0", () => {
  for (const epsilon of [0, -1, NaN, Infinity]) {
    tf.tidy(() => {
      const x = tf.tensor2d([[2, 2, 2, 2]]);
      const error = settingError(() => layerNorm(x, tf.ones([4]), tf.zeros([4]), epsilon));
      assertEquals(error.setting, "layerNorm.epsilon");
      assertEquals(error.allowed, "a finite number > 0");
    });
  }
});
