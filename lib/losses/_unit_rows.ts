/**
 * Rows scaled to unit length for a cosine similarity, the norm clamped to at least `epsilon` so
 * that an all-zero row gives similarity 0. Private helper of `info_nce.ts` and `nt_xent.ts`.
 */
import { tf } from "../backend/tf.ts";

/**
 * `x / max(|x|_2, epsilon)` over the last axis. The norm is tf.norm's own ops (sqrt of the summed
 * |x|^2), so every row whose squares sum to more than 0 gets tf.norm's value and gradient, bit
 * for bit. A row whose squares sum to 0 (all zero, or components below about 1e-23) takes the
 * square root of 1 instead, times 0: its value is the same 0, but tf.norm's gradient there,
 * 0 / (2 sqrt(0)), was NaN, and an all-zero state made every parameter's gradient NaN although
 * its loss was finite.
 */
export function unitRows<T extends tf.Tensor>(x: T, epsilon: number): T {
  const squares = tf.sum(tf.pow(tf.abs(x), tf.scalar(2, "int32")), -1, true);
  // 1 where the squares sum to more than 0, else 0; tf.step has a (zero) gradient, which a
  // comparison under tf.where has not.
  const positive = tf.step(squares);
  const norm = tf.mul(tf.sqrt(tf.add(squares, tf.sub(1, positive))), positive);
  return tf.div(x, tf.maximum(norm, epsilon)) as T;
}
