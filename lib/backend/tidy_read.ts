/**
 * Runs `fn` in `tf.tidy` and resolves to the resulting tensor's values, disposing the tensor (a
 * tensor `fn` returns as it is, made outside, stays the caller's).
 *
 * Returning a typed array from inside `tf.tidy` makes tfjs walk every element of it looking for
 * tensors to keep (seconds for the multi-million-element gradients of an attribution pass); this
 * returns the tensor from the tidy scope and reads it afterwards. The read is asynchronous (see
 * `read_values.ts`), so it works on GPU backends too.
 *
 * @example
 * ```ts
 * const values = await tidyRead(() => tf.square(x)); // Float32Array, nothing left allocated
 * ```
 */
import { readAndDispose } from "./read_values.ts";
import { tf } from "./tf.ts";

/** Values of the numeric tensor `fn` makes (float32 as Float32Array, int32 as Int32Array, ...). */
export async function tidyRead(fn: () => tf.Tensor): Promise<tf.TypedArray> {
  // clone(): `fn` may return a tensor it did not make (`() => x`), which tf.tidy hands back as it
  // is; disposing that would dispose the caller's tensor. A clone shares the memory (no copy).
  // slice(): `fn` may return a view (a reshape) of a tensor that lives on; on `cpu` the values
  // would be that tensor's own buffer.
  return (await readAndDispose(tf.tidy(() => tf.clone(fn())))).slice();
}
