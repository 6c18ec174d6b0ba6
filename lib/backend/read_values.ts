/**
 * Reading tensor values to the host asynchronously, several tensors in one transfer.
 *
 * Why asynchronous: tfjs-backend-webgpu can only read asynchronously under Deno (its synchronous
 * read goes through an `OffscreenCanvas`, which Deno lacks), so every path that must run on a GPU
 * reads with these. Why batched: on a GPU each read is a device-to-host copy plus a wait for the
 * queue to drain, so a training step gathers everything it needs (losses, gradient norm) into one
 * read. On `wasm` and `cpu`, `data()` resolves to exactly the values `dataSync()` returns (the
 * concatenation copies, it computes nothing), so numerics do not change.
 *
 * @example
 * ```ts
 * const [loss, norm] = await readTensors([lossScalar, normScalar]); // one transfer
 * const scores = await readAndDispose(model.scoreLast(batch)); // Float32Array, tensor disposed
 * ```
 */
import { tf } from "./tf.ts";

/**
 * Values of `tensors` (all of one dtype: float32, int32 or bool), read with one device-to-host transfer: the
 * tensors are flattened and concatenated on the device first. The inputs are not disposed; the
 * returned arrays are copies the caller owns.
 */
export async function readTensors(tensors: readonly tf.Tensor[]): Promise<tf.TypedArray[]> {
  if (tensors.length === 0) return [];
  const dtype = tensors[0].dtype;
  // complex64 values come back interleaved (re, im), twice a tensor's size: refused, not split.
  if (dtype === "string" || dtype === "complex64" || tensors.some((t) => t.dtype !== dtype)) {
    throw new Error(
      `readTensors: needs tensors of one numeric dtype, got ${tensors.map((t) => t.dtype)}`,
    );
  }
  const joined = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1]))));
  let values: tf.TypedArray;
  try {
    values = (await joined.data()) as tf.TypedArray;
  } finally {
    joined.dispose();
  }
  const out: tf.TypedArray[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    // slice(): on `cpu`, a single tensor's concatenation shares the original's buffer.
    out.push(values.slice(offset, offset + tensor.size));
    offset += tensor.size;
  }
  return out;
}

/** Float32 values of `tensors` in one transfer (see {@linkcode readTensors}). */
export async function readFloat32(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  const bad = tensors.find((t) => t.dtype !== "float32");
  if (bad !== undefined) throw new Error(`readFloat32: got a ${bad.dtype} tensor`);
  return (await readTensors(tensors)) as Float32Array[];
}

/**
 * Values of one tensor the caller made for reading, which is disposed afterwards (also on error).
 * No copy is made, so the tensor must be a fresh result (not a reshape or clone of a tensor that
 * lives on, whose buffer `cpu` would hand out): then the array is the caller's.
 */
export async function readAndDispose(tensor: tf.Tensor): Promise<tf.TypedArray> {
  try {
    if (tensor.dtype === "string") throw new Error("readAndDispose: string tensors are not read");
    return (await tensor.data()) as tf.TypedArray;
  } finally {
    tensor.dispose();
  }
}
