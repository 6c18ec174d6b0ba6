/**
 * Cosine similarity of an all-zero state (session 49, numerical robustness): the clamped norm gave
 * it similarity 0 and a finite loss, but tf.norm's gradient at 0, 0 / (2 sqrt(0)), was NaN, and
 * through the state every parameter's gradient (training stopped as diverged). Every nonzero
 * state keeps tf.norm's value and gradient bit for bit.
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { infoNce } from "../../lib/losses/info_nce.ts";
import { ntXent } from "../../lib/losses/nt_xent.ts";

await initBackend({ verbose: false });

type TwoViewLoss = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Scalar;

const LOSSES: [string, TwoViewLoss][] = [
  ["infoNce", (a, b) => infoNce(a, b)],
  ["ntXent", (a, b) => ntXent(a, b, { temperature: 0.2, similarity: "cosine" })],
];

/** Loss and both gradients of `loss` at (a, b), read back. */
function lossAndGradients(loss: TwoViewLoss, a: tf.Tensor2D, b: tf.Tensor2D) {
  return tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) =>
      loss(x as tf.Tensor2D, y as tf.Tensor2D)
    )([a, b]);
    return { value: value.dataSync()[0], grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

Deno.test("cosine losses: an all-zero state has finite gradients, not NaN", () => {
  const anchor = tf.tensor2d([[0, 0, 0], [1, 2, -1], [0.5, 0, 2]]);
  const positive = tf.tensor2d([[1, 0, 0], [0, 1, 1], [0, 0, 0]]);
  for (const [name, loss] of LOSSES) {
    const { value, grads } = lossAndGradients(loss, anchor, positive);
    assert(Number.isFinite(value), `${name} loss ${value}`);
    for (const gradient of grads) {
      assert(gradient.every((g) => Number.isFinite(g)), `${name} gradient ${gradient}`);
    }
  }
  tf.dispose([anchor, positive]);
});

Deno.test("cosine losses: nonzero states keep tf.norm's loss and gradients, bit for bit", () => {
  // The losses as they were, the norm taken by tf.norm, with the same clamp.
  const unit = (x: tf.Tensor) => tf.div(x, tf.maximum(tf.norm(x, "euclidean", -1, true), 1e-8));
  const before: [string, TwoViewLoss][] = [
    [
      "infoNce",
      (a, b) => infoNce(unit(a) as tf.Tensor2D, unit(b) as tf.Tensor2D, { similarity: "dot" }),
    ],
    [
      "ntXent",
      (a, b) =>
        ntXent(unit(a) as tf.Tensor2D, unit(b) as tf.Tensor2D, {
          temperature: 0.2,
          similarity: "dot",
        }),
    ],
  ];
  const anchor = tf.randomNormal([7, 16], 0, 1, "float32", 4901) as tf.Tensor2D;
  const positive = tf.randomNormal([7, 16], 0, 1e-3, "float32", 4902) as tf.Tensor2D;
  LOSSES.forEach(([name, loss], i) => {
    assertEquals(
      lossAndGradients(loss, anchor, positive),
      lossAndGradients(before[i][1], anchor, positive),
      name,
    );
  });
  tf.dispose([anchor, positive]);
});
