/**
 * GRU4Rec's parameters all train: the loss's gradient reaches the bias (not only the inputs and
 * kernels), and matches finite differences. Found by mutation round OC (OC48).
 */
import { assert, assertAlmostEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { Gru4Rec } from "../../lib/models/gru4rec.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";

await initBackend({ verbose: false });

Deno.test("GRU4Rec: the gradient reaches every parameter, the bias's matching finite differences", () => {
  // A bias read as a constant (e.g. copied out of its variable) gave every shape and state test
  // the same numbers at the start, but the bias would never move in training.
  const store = new ParameterStore(2);
  const gru = new Gru4Rec({ dropout: 0 }, 2, store);
  const { inputKernel, recurrentKernel, bias } = gru.parameters;
  const assignBias = (values: ArrayLike<number>) => {
    const tensor = tf.tensor1d(Array.from(values));
    bias.assign(tensor);
    tensor.dispose();
  };
  assignBias([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]);
  const valid = tf.tensor2d([[0, 1, 1]]);
  const x = tf.randomNormal([1, 3, 2], 0, 1, "float32", 5) as tf.Tensor3D;
  const loss = () =>
    tf.tidy(() =>
      tf.sum(tf.mul(gru.userStates(x, valid, true, 0), tf.tensor1d([1, -2]))) as tf.Scalar
    );
  const { value, grads } = tf.variableGrads(loss, [inputKernel, recurrentKernel, bias]);
  for (const variable of [inputKernel, recurrentKernel, bias]) {
    const gradient = grads[variable.name];
    assert(gradient !== undefined, `no gradient for ${variable.name}`);
    assert(
      gradient.dataSync().some((g) => Math.abs(g) > 1e-4),
      `zero gradient for ${variable.name}`,
    );
  }
  const analytic = grads[bias.name].dataSync().slice();
  const base = bias.dataSync().slice();
  const epsilon = 1e-2;
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number) => {
      const bumped = base.slice();
      bumped[i] += delta;
      assignBias(bumped);
      return tf.tidy(() => loss().dataSync()[0]);
    };
    const numeric = (at(epsilon) - at(-epsilon)) / (2 * epsilon);
    assertAlmostEquals(analytic[i], numeric, 2e-2 * (1 + Math.abs(numeric)), `bias[${i}]`);
  }
  tf.dispose([value, valid, x, ...Object.values(grads)]);
  store.dispose();
});
