/** An auxiliary term for trainStep tests whose value and gradient are chosen apart. */
import { tf } from "../../lib/backend/tf.ts";

/**
 * A function of a tensor x whose value is `value` (x enters it times 0) and whose gradient is
 * `gradient` at every entry of x: a finite loss with a non-finite gradient norm.
 */
export function termWithGradient(value: number, gradient: number): (x: tf.Tensor) => tf.Scalar {
  const term = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    return {
      value: tf.add(tf.mul(tf.sum(x), 0), value),
      gradFunc: (dy: tf.Tensor) => tf.mul(tf.fill(x.shape, gradient), dy),
    };
  });
  return (x) => term(x) as tf.Scalar;
}
