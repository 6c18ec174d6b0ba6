/**
 * Occlusion: the exact loss change when one modality of one history position is masked, for every
 * user of the batch at once. Private helper of `contributions.ts`.
 */
import { readFloat32 } from "../backend/read_values.ts";
import { tf } from "../backend/tf.ts";
import { checkPerUserLoss, detachedCopy } from "./embedding_gradient.ts";
import type { LossOfEmbeddings, PairShape } from "./types.ts";

/**
 * Returns `[batch, position, modality]` contributions `L(w[b,p,m] = 0) - L(full)` at valid pairs
 * and 0 elsewhere, given the mask's values `maskValues`. Costs one forward pass per (position,
 * modality) column that has a valid pair: the loss closure is bound to its batch (targets), so
 * columns cannot be stacked into one pass. The per-user losses of all passes stay on the device
 * and are read in one transfer at the end.
 */
export async function occlusionContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  maskValues: Float32Array,
  shape: PairShape,
): Promise<Float32Array> {
  const [batch, positions, modalities] = shape;
  const e = detachedCopy(embeddings);
  const lossAt = (maskArray: Float32Array): tf.Tensor1D =>
    tf.tidy(() => {
      const loss = lossOfEmbeddings(e, tf.tensor3d(maskArray, [batch, positions, modalities]));
      checkPerUserLoss("occlusion", loss.shape, batch);
      return loss;
    }) as tf.Tensor1D;
  const losses: tf.Tensor1D[] = [];
  const columns: number[][] = [];
  try {
    losses.push(lossAt(maskValues));
    for (let p = 0; p < positions; p++) {
      for (let m = 0; m < modalities; m++) {
        const occluded = maskValues.slice();
        let anyValid = false;
        for (let b = 0; b < batch; b++) {
          const index = (b * positions + p) * modalities + m;
          if (occluded[index] > 0) anyValid = true;
          occluded[index] = 0;
        }
        if (!anyValid) continue;
        losses.push(lossAt(occluded));
        columns.push([p, m]);
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
