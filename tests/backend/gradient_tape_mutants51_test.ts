/**
 * freeTapeOnThrow beyond the one-throw case (mutants that survived gradient_tape_test.ts): what
 * every node of the tape saved is freed, not only the last op's; a throw before any tape was started comes
 * out as thrown (no TypeError from reading a tape that is not there); and a gradient taken inside
 * an outer one, whose throw the outer function catches, leaves the outer tape alone, so the outer
 * gradient is still right and nothing is left behind.
 */
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { freeTapeOnThrow } from "../../lib/backend/gradient_tape.ts";
import { tf } from "../../lib/backend/tf.ts";

await initBackend({ verbose: false });

Deno.test("freeTapeOnThrow frees what every recorded op saved, not only the last op's", () => {
  const x = tf.tensor1d([1, 2, 3]);
  try {
    const error = new Error("loss broke after three ops");
    const counted = tf.memory().numTensors;
    const thrown = assertThrows(() =>
      freeTapeOnThrow(() =>
        tf.tidy(() =>
          tf.grad((y: tf.Tensor) => {
            // Each of these saves its input (or output) for the backward pass.
            const squared = tf.square(y);
            const grown = tf.exp(squared);
            tf.sqrt(grown);
            throw error;
          })(x)
        )
      )
    );
    assertStrictEquals(thrown, error);
    assertEquals(tf.memory().numTensors, counted, "nothing the tape saved is left behind");
  } finally {
    x.dispose();
  }
});

Deno.test("freeTapeOnThrow passes on a throw that came before any gradient tape, as thrown", () => {
  const error = new RangeError("refused before the gradient");
  const counted = tf.memory().numTensors;
  const thrown = assertThrows(() =>
    freeTapeOnThrow(() => {
      throw error;
    })
  );
  assertStrictEquals(thrown, error);
  assertEquals(tf.memory().numTensors, counted);
});

Deno.test("freeTapeOnThrow inside an outer gradient leaves the outer tape alone", () => {
  const x = tf.tensor1d([1, 2, 3]);
  try {
    const inner = new Error("inner loss broke");
    const counted = tf.memory().numTensors;
    const outer = tf.tidy(() =>
      tf.grad((y: tf.Tensor) => {
        // d/dy sum(y^3) = 3 y^2, recorded before and after the inner gradient that throws.
        const cubed = tf.mul(tf.square(y), y);
        let caught: unknown;
        try {
          freeTapeOnThrow(() =>
            tf.grad((z: tf.Tensor) => {
              tf.exp(z);
              throw inner;
            })(y)
          );
        } catch (error) {
          caught = error;
        }
        assertStrictEquals(caught, inner);
        return tf.sum(cubed);
      })(x)
    );
    assertEquals(Array.from(outer.dataSync()), [3, 12, 27]);
    outer.dispose();
    assertEquals(tf.memory().numTensors, counted, "the outer backward pass freed the tape");
  } finally {
    x.dispose();
  }
});
