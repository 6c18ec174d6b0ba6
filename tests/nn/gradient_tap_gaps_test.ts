/**
 * tapGradient without a gradient tape (inference, or a forward pass outside tf.tidy) makes one
 * tensor only, its result: disposing that result leaves no tensor of the tap behind.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tapGradient } from "../../lib/nn/gradient_tap.ts";

Deno.test("tapGradient outside a tape and outside tf.tidy makes its result only, nothing left after it", async () => {
  await initBackend({ verbose: false });
  const x = tf.tensor2d([[1, -2], [3, 0.5]]);
  const before = tf.memory().numTensors;
  const y = tapGradient(x, () => {});
  assertEquals(tf.memory().numTensors, before + 1, "one new tensor: the tap's result");
  assertEquals(Array.from(await y.data()), [1, -2, 3, 0.5]);
  y.dispose();
  assertEquals(tf.memory().numTensors, before, "nothing of the tap is left");
  assertEquals(x.isDisposed, false, "the input stays the caller's");
  x.dispose();
});
