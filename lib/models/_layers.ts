/** Small differentiable building blocks shared by the encoders and backbones. */
import { tf } from "../backend/tf.ts";

/** Affine map over the last axis: x [..., in] @ kernel [in, out] + bias [out] -> [..., out]. */
export function dense(x: tf.Tensor, kernel: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const inDim = kernel.shape[0];
  const outShape = [...x.shape.slice(0, -1), kernel.shape[1]];
  let y: tf.Tensor = tf.matMul(tf.reshape(x, [-1, inDim]), kernel);
  if (bias !== undefined) y = tf.add(y, bias);
  return tf.reshape(y, outShape);
}

/** Layer normalisation over the last axis with gain and bias [dim]. */
export function layerNorm(
  x: tf.Tensor,
  gain: tf.Tensor1D,
  bias: tf.Tensor1D,
  epsilon = 1e-6,
): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), gain), bias);
}

/** Inverted dropout; identity when not training or rate is 0. `seed` makes the mask reproducible. */
export function dropout(x: tf.Tensor, rate: number, training: boolean, seed: number): tf.Tensor {
  if (!training || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, seed);
}
