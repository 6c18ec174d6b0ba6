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
import type { Tensor, Tensor1D, Tensor2D } from "../backend/tf.ts";

/** Where the real positions of a [batch, length] left-padded batch are. */
export interface PackedRows {
  /** Rows of the batch. */
  batch: number;
  /** Positions per row. */
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

/** Tensors that put packed rows back into a padded layout (see {@linkcode unpackRows}). */
export interface Unpacking {
  /** int32 [slots]: the packed row of each slot (0 for padding, masked out). */
  index: Tensor1D;
  /** float32 [slots, 1]: 1 for a real slot, 0 for padding. */
  mask: Tensor2D;
}

/**
 * The {@linkcode Unpacking} of a slot map (`PackedRows.slots` or `.windowSlots`). The caller
 * disposes the tensors (or builds them inside `tf.tidy`).
 *
 * @example
 * ```ts
 * const unpacking = unpackingOf(p.slots);
 * ```
 */
export function unpackingOf(slots: Int32Array): Unpacking {
  const index = new Int32Array(slots.length);
  const mask = new Float32Array(slots.length);
  slots.forEach((slot, i) => {
    index[i] = Math.max(0, slot - 1);
    mask[i] = slot > 0 ? 1 : 0;
  });
  return { index: tf.tensor1d(index, "int32"), mask: tf.tensor2d(mask, [slots.length, 1]) };
}

/**
 * Rows x [n, width] put back into a padded layout: each slot takes its row, padding slots are
 * zero; the result reshaped to `shape`. Differentiable in x (the gradient is a segment sum).
 * A gather and a mask rather than a gather from [zero row; x]: the gradient of that concat (a
 * SplitV over the whole gradient) cost more than the gather itself.
 *
 * @example
 * ```ts
 * unpackRows(packed, unpackingOf(p.slots), [2, 3, dim]); // zeros at padding
 * ```
 */
export function unpackRows(x: Tensor, unpacking: Unpacking, shape: number[]): Tensor {
  return tf.tidy(() => tf.reshape(tf.mul(tf.gather(x, unpacking.index), unpacking.mask), shape));
}
