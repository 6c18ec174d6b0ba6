/**
 * freeTapeOnThrow: a function differentiated by tf.grad that throws leaves no tensor behind (tfjs
 * alone leaves the inputs it saved for the backward pass), the error reaches the caller as thrown,
 * and a function that returns gives its value unchanged.
 */
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { freeTapeOnThrow } from "../../lib/backend/gradient_tape.ts";
import { tf } from "../../lib/backend/tf.ts";

await initBackend({ verbose: false });

/** tf.grad of a function that records two ops and throws. */
function throwingGradient(x: tf.Tensor, error: Error): tf.Tensor {
  return tf.tidy(() =>
    tf.grad((y: tf.Tensor) => {
      tf.sum(tf.square(y));
      throw error;
    })(x)
  );
}

Deno.test("freeTapeOnThrow frees what the tape saved, and passes the error and the value on", () => {
  const x = tf.tensor1d([1, 2, 3]);
  try {
    const error = new Error("loss broke");
    const before = tf.memory().numTensors;
    assertThrows(() => throwingGradient(x, error), Error, "loss broke");
    const leftByTfjs = tf.memory().numTensors - before;
    // Without it the saved inputs stay for good (the case it is for); tf.grad's next tape drops them.
    assertEquals(leftByTfjs > 0, true, "tfjs alone leaves the saved inputs");
    const counted = tf.memory().numTensors;
    const thrown = assertThrows(() => freeTapeOnThrow(() => throwingGradient(x, error)));
    assertStrictEquals(thrown, error);
    assertEquals(tf.memory().numTensors, counted, "nothing left behind");
    const gradient = freeTapeOnThrow(() => tf.grad((y: tf.Tensor) => tf.sum(tf.square(y)))(x));
    assertEquals(Array.from(gradient.dataSync()), [2, 4, 6]);
    gradient.dispose();
    assertEquals(tf.memory().numTensors, counted);
  } finally {
    x.dispose();
  }
});
