/**
 * Occlusion: the exact loss change when one modality of one history position is masked, for every
 * user of the batch at once. Private helper of `contributions.ts`.
 */
import { tf } from "../backend/tf.ts";
import { tidyRead } from "../backend/tidy_read.ts";
import { checkPerUserLoss, detachedCopy } from "./embedding_gradient.ts";
import type { LossOfEmbeddings, PairShape } from "./types.ts";

/**
 * Returns `[batch, position, modality]` contributions `L(w[b,p,m] = 0) - L(full)` at valid pairs
 * and 0 elsewhere. Costs one forward pass per (position, modality) column that has a valid pair:
 * the loss closure is bound to its batch (targets), so columns cannot be stacked into one pass.
 */
export function occlusionContributions(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: tf.Tensor4D,
  mask: tf.Tensor3D,
  shape: PairShape,
): Float32Array {
  const [batch, positions, modalities] = shape;
  const e = detachedCopy(embeddings);
  const maskValues = mask.dataSync().slice() as Float32Array;
  const lossAt = (maskArray: Float32Array): Float32Array =>
    tidyRead(() => {
      const loss = lossOfEmbeddings(e, tf.tensor3d(maskArray, [batch, positions, modalities]));
      checkPerUserLoss("occlusion", loss, batch);
      return loss;
    }) as Float32Array;
  const full = lossAt(maskValues);
  const contributions = new Float32Array(maskValues.length);
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
      const masked = lossAt(occluded);
      for (let b = 0; b < batch; b++) {
        const index = (b * positions + p) * modalities + m;
        if (maskValues[index] > 0) contributions[index] = masked[b] - full[b];
      }
    }
  }
  e.dispose();
  return contributions;
}
