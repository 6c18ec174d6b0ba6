/**
 * Runs `fn` in `tf.tidy` and returns a copy of the resulting tensor's values, disposing the tensor.
 *
 * Returning a typed array from inside `tf.tidy` makes tfjs walk every element of it looking for
 * tensors to keep (seconds for the multi-million-element gradients of an attribution pass); this
 * returns the tensor from the tidy scope and reads it afterwards.
 *
 * @example
 * ```ts
 * const values = tidyRead(() => tf.square(x)); // Float32Array, nothing left allocated
 * ```
 */
import { tf } from "./tf.ts";

/** Values of the numeric tensor `fn` makes (float32 as Float32Array, int32 as Int32Array, ...). */
export function tidyRead(fn: () => tf.Tensor): tf.TypedArray {
  const tensor = tf.tidy(fn);
  try {
    if (tensor.dtype === "string") throw new Error("tidyRead: string tensors have no typed array");
    return (tensor.dataSync() as tf.TypedArray).slice();
  } finally {
    tensor.dispose();
  }
}
