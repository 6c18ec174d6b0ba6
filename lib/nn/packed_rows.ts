/**
 * Packing the real positions of a left-padded batch into rows, so position-wise layers (dense,
 * layer norm, feed-forward, dropout) run on real positions only.
 *
 * Why: on short histories most of a [batch, maxLength] window is padding (an Amazon-shaped set
 * with median history 6 and maxLength 50 has about 85 % padding), and every padded position costs
 * the same projections as a real one. The layout is computed on the host from the batch (no
 * device read), once per batch.
 *
 * Besides the packing, the window is cut to the columns that hold any real item (`window`):
 * attention then runs on [batch, window, window] instead of [batch, length, length].
 */
import { tf } from "../backend/tf.ts";

/** Where the real positions of a [batch, length] left-padded batch are. */
export interface PackedRows {
  batch: number;
  length: number;
  /** Trailing columns that hold any real item (leading all-padding columns are cut). */
  window: number;
  /** Flat index b * length + t of each real position, row-major. */
  rows: Int32Array;
  /** Column t (0..length-1) of each real position. */
  columns: Int32Array;
  /** Flat index b * window + (t - (length - window)) of each real position, row-major. */
  windowRows: Int32Array;
  /** Per [batch * window] slot: 1 + the packed row, or 0 for padding. */
  windowSlots: Int32Array;
  /** Per [batch * length] slot: 1 + the packed row, or 0 for padding. */
  slots: Int32Array;
}

/**
 * The packing of a batch whose `valid` ([batch, length], 1 = real) is on the host.
 *
 * @example
 * ```ts
 * const p = packRows(Float32Array.of(0, 1, 1, 0, 0, 1), 2, 3);
 * // p.rows = [1, 2, 5], p.window = 2, p.windowSlots = [1, 2, 0, 3], p.slots = [0, 1, 2, 0, 0, 3]
 * ```
 */
export function packRows(valid: ArrayLike<number>, batch: number, length: number): PackedRows {
  if (valid.length !== batch * length) {
    throw new Error(`packRows: valid has ${valid.length} entries, expected ${batch}*${length}`);
  }
  let first = length;
  let count = 0;
  for (let i = 0; i < valid.length; i++) {
    if (valid[i] === 1) {
      count++;
      first = Math.min(first, i % length);
    }
  }
  const window = length - Math.min(first, length);
  const start = length - window;
  const rows = new Int32Array(count);
  const columns = new Int32Array(count);
  const windowRows = new Int32Array(count);
  const windowSlots = new Int32Array(batch * window);
  const slots = new Int32Array(batch * length);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let t = start; t < length; t++) {
      if (valid[b * length + t] !== 1) continue;
      rows[k] = b * length + t;
      columns[k] = t;
      windowRows[k] = b * window + t - start;
      windowSlots[b * window + t - start] = k + 1;
      slots[b * length + t] = k + 1;
      k++;
    }
  }
  return { batch, length, window, rows, columns, windowRows, windowSlots, slots };
}

/**
 * Rows x [n, ...] put back into a padded layout: `slots` (1 + row, or 0) picks a row or zeros,
 * the result reshaped to `shape`. Differentiable in x (the gradient is a segment sum).
 *
 * @example
 * ```ts
 * unpackRows(packed, tf.tensor1d(p.slots, "int32"), [2, 3, dim]); // zeros at padding
 * ```
 */
export function unpackRows(x: tf.Tensor, slots: tf.Tensor1D, shape: number[]): tf.Tensor {
  return tf.tidy(() => {
    const zero = tf.zeros([1, ...x.shape.slice(1)]);
    return tf.reshape(tf.gather(tf.concat([zero, x], 0), slots), shape);
  });
}
