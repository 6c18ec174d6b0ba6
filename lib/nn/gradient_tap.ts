/**
 * An identity whose backward pass hands the incoming gradient to a callback: the way to read
 * dLoss/dx for an intermediate tensor x from the same backward pass that computes the parameter
 * gradients (tfjs's `variableGrads` returns the gradients of variables only). Demure's
 * training-pass attribution reads dL_rec/dE of the recommendation branch this way.
 *
 * @example
 * ```ts
 * let kept: tf.Tensor | undefined;
 * const y = tapGradient(x, (gradient) => kept = tf.keep(tf.clone(gradient)));
 * tf.grad(() => tf.sum(tf.square(y)))(x); // kept = 2x
 * ```
 *
 * @module
 */
import { type Tensor, tf } from "../backend/tf.ts";

/**
 * Receives the gradient that reaches a tapped tensor and the tensor's forward value. Both are
 * disposed when the backward pass ends: `tf.keep` what is derived from them (inside the backward
 * pass every new tensor is tracked by the engine's scope).
 */
export type GradientSink<T extends Tensor> = (gradient: T, input: T) => void;

/**
 * `x` unchanged in value; in a backward pass through the result, `sink` receives the gradient of
 * the loss with respect to the result (the part of dLoss/dx that flows through this use of `x`;
 * other uses of `x` are not seen) and the gradient passes on to `x` unchanged. Without a gradient
 * tape (inference) the sink is never called.
 */
export function tapGradient<T extends tf.Tensor>(x: T, sink: GradientSink<T>): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as T;
    const save = args[1] as tf.GradSaveFunc;
    save([input]);
    return {
      value: tf.clone(input),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        sink(dy as T, saved[0] as T);
        return [tf.clone(dy)];
      },
    };
  });
  return op(x) as T;
}
