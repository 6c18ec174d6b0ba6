import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { Gru4Rec } from "../../lib/models/gru4rec.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { assertGradientMatches } from "./_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("GRU4Rec: gradients reach every input position and match finite differences", () => {
  const store = new ParameterStore(2);
  const gru = new Gru4Rec({ dropout: 0 }, 3, store);
  const valid = tf.tensor2d([[0, 1, 1, 1]]);
  const x = tf.randomNormal([1, 4, 3], 0, 1, "float32", 3);
  const lastState = (input: tf.Tensor) =>
    tf.sum(
      tf.slice(gru.userStates(input as tf.Tensor3D, valid, false, 0), [0, 3, 0], [1, 1, 3]),
    ) as tf.Scalar;
  assertGradientMatches(lastState, x);
  const gradient = (tf.grad(lastState)(x) as tf.Tensor3D).arraySync()[0];
  assertEquals(gradient[0], [0, 0, 0]); // padding never enters the state
  for (let t = 1; t < 4; t++) assert(gradient[t].some((g) => Math.abs(g) > 1e-6), `position ${t}`);
  // Causality: changing the last input leaves earlier states unchanged.
  const states = gru.userStates(x as tf.Tensor3D, valid, false, 0).arraySync()[0];
  const changed = tf.concat([tf.slice(x, [0, 0, 0], [1, 3, 3]), tf.ones([1, 1, 3])], 1);
  const statesChanged = gru.userStates(changed as tf.Tensor3D, valid, false, 0).arraySync()[0];
  for (let c = 0; c < 3; c++) assertAlmostEquals(states[2][c], statesChanged[2][c], 1e-6);
  store.dispose();
});
