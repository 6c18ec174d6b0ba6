/**
 * Occlusion: the exact loss change when one modality of one history position is masked, for every
 * user of the batch at once. Private helper of `contributions.ts`.
 */
import { readFloat32 } from "../backend/read_values.ts";
import { tf } from "../backend/tf.ts";
import { checkPerUserLoss, detachedCopy } from "./embedding_gradient.ts";
import type { OcclusionProgressCallback } from "./progress.ts";
import type { LossOfEmbeddings, PairShape } from "./types.ts";
import { EventLoopTurns } from "../util/event_loop.ts";

/**
 * Returns `[batch, position, modality]` contributions `L(w[b,p,m] = 0) - L(full)` at valid pairs
 * and 0 elsewhere, given the mask's values `maskValues`. Costs one forward pass per (position,
 * modality) column that has a valid pair: the loss closure is bound to its batch (targets), so
 * columns cannot be stacked into one pass. The per-user losses of all passes stay on the device
 * and are read in one transfer at the end. `onProgress` hears each tenth of the columns done.
 */
export async function occlusionContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  maskValues: Float32Array,
  shape: PairShape,
  onProgress?: OcclusionProgressCallback,
): Promise<Float32Array> {
  const [batch, positions, modalities] = shape;
  // The columns that have a valid pair, in the order their passes run (position, then modality).
  const columns: number[][] = [];
  for (let p = 0; p < positions; p++) {
    for (let m = 0; m < modalities; m++) {
      for (let b = 0; b < batch; b++) {
        if (maskValues[(b * positions + p) * modalities + m] > 0) {
          columns.push([p, m]);
          break;
        }
      }
    }
  }
  // A report after each tenth of the columns and after the last; only a caller that listens gets
  // event-loop turns (so that its lines show in a notebook) and nothing else changes.
  const reportEvery = Math.max(1, Math.ceil(columns.length / 10));
  const started = performance.now();
  const turns = onProgress === undefined ? undefined : new EventLoopTurns();
  const e = detachedCopy(embeddings);
  const lossAt = (maskArray: Float32Array): tf.Tensor1D =>
    tf.tidy(() => {
      const loss = lossOfEmbeddings(e, tf.tensor3d(maskArray, [batch, positions, modalities]));
      checkPerUserLoss("occlusion", loss.shape, batch);
      return loss;
    }) as tf.Tensor1D;
  const losses: tf.Tensor1D[] = [];
  try {
    losses.push(lossAt(maskValues));
    for (const [column, [p, m]] of columns.entries()) {
      const occluded = maskValues.slice();
      for (let b = 0; b < batch; b++) occluded[(b * positions + p) * modalities + m] = 0;
      losses.push(lossAt(occluded));
      const columnsDone = column + 1;
      if (
        onProgress !== undefined &&
        (columnsDone % reportEvery === 0 || columnsDone === columns.length)
      ) {
        onProgress({
          columnsDone,
          columns: columns.length,
          seconds: (performance.now() - started) / 1000,
        });
        await turns?.yieldIfDue();
      }
    }
    const [full, ...masked] = await readFloat32(losses);
    const contributions = new Float32Array(maskValues.length);
    columns.forEach(([p, m], column) => {
      for (let b = 0; b < batch; b++) {
        const index = (b * positions + p) * modalities + m;
        if (maskValues[index] > 0) contributions[index] = masked[column][b] - full[b];
      }
    });
    return contributions;
  } finally {
    tf.dispose([e, ...losses]);
  }
}
