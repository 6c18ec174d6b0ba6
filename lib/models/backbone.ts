/** The contract every sequence encoder (SASRec, GRU4Rec) fulfils. */
import type { tf } from "../backend/tf.ts";
import type { PackedRows } from "../nn/packed_rows.ts";

/** Maps fused item vectors to user states, position by position. */
export interface Backbone {
  /**
   * fused [batch, position, dim], valid [batch, position] (1 = real item, 0 = left padding)
   * -> user states [batch, position, dim]; the state at t depends only on positions <= t.
   * `seed` fixes the dropout masks when `training` is true. `packing`, the host-side layout of
   * `valid` (see `packRows`), spares a device read; backbones that pack compute it otherwise.
   */
  userStates(
    fused: tf.Tensor3D,
    valid: tf.Tensor2D,
    training: boolean,
    seed: number,
    packing?: PackedRows,
  ): tf.Tensor3D;
  /**
   * Optional: the state at the last position only, [batch, dim] (what contrastive views read),
   * when the backbone can compute it cheaper than all states.
   */
  lastStates?(
    fused: tf.Tensor3D,
    valid: tf.Tensor2D,
    training: boolean,
    seed: number,
    packing?: PackedRows,
  ): tf.Tensor2D;
}

/**
 * Throws unless a batch of `length` positions fits a model of `ModelConfig.maxLength`
 * `maxLength`, naming both settings that could change. The one home of this refusal: the model
 * checks every backbone's input with it (SASRec's positions stop at `maxLength`, and GRU4Rec
 * would read a longer history without a word, while `trainModel` refuses the split that holds
 * it), and SASRec its own. `who` opens the message (`SasRec`, `Gru4Rec`).
 */
export function checkSequenceLength(who: string, length: number, maxLength: number): void {
  if (length <= maxLength) return;
  throw new Error(
    `${who}: sequence length ${length} exceeds maxLength ${maxLength} (ModelConfig.maxLength, ` +
      `the longest history the model reads): histories of ${length} need a model built with ` +
      `maxLength >= ${length}, or a split with SplitConfig.maxLength <= ${maxLength}`,
  );
}
