/**
 * Noise judged per (user, modality) over all of the user's history items, rather than per
 * (position, modality) pair.
 */
import { checkPairArray, checkValidMask } from "./_pairs.ts";
import { selectNoise } from "./select_noise.ts";
import type { NoiseSelection, PairShape } from "./types.ts";

/**
 * `[batch, modality]` mean of `scores` `[batch, position, modality]` over each user's valid
 * positions of that modality; NaN where the user has none. A NaN score at a valid pair is refused:
 * its mean would read as "the user has no such modality" and drop it from the selection silently.
 *
 * @example
 * ```ts
 * userModalityScores(Float32Array.of(1, 2, 3, NaN), Uint8Array.of(1, 1, 1, 0), [1, 2, 2]);
 * // [2, 2]: modality 0 = mean(1, 3), modality 1 = 2 (its second position is invalid)
 * ```
 */
export function userModalityScores(
  scores: ArrayLike<number>,
  validMask: ArrayLike<number>,
  shape: PairShape,
): Float32Array {
  checkPairArray("userModalityScores", "scores", scores, shape);
  checkValidMask("userModalityScores", validMask, shape);
  const [batch, positions, modalities] = shape;
  const means = new Float32Array(batch * modalities);
  for (let b = 0; b < batch; b++) {
    for (let m = 0; m < modalities; m++) {
      let sum = 0;
      let count = 0;
      for (let p = 0; p < positions; p++) {
        const i = (b * positions + p) * modalities + m;
        if (validMask[i] > 0) {
          if (Number.isNaN(scores[i])) {
            throw new Error(
              `userModalityScores: score of valid pair at flat index ${i} (user ${b}) is NaN`,
            );
          }
          sum += scores[i];
          count++;
        }
      }
      means[b * modalities + m] = count > 0 ? sum / count : NaN;
    }
  }
  return means;
}

/**
 * `[batch, position, modality]` noise mask that selects whole modalities of each user:
 * `selection` is applied to the user's `[modality]` row of `userScores` (modalities the user never
 * has are not candidates), and a selected modality is noise at all of the user's valid positions.
 *
 * @example
 * ```ts
 * const noise = selectNoiseByUserModality(userScores, validMask, shape, { kind: "bottom_fraction", rho: 0.3 });
 * ```
 */
export function selectNoiseByUserModality(
  userScores: ArrayLike<number>,
  validMask: ArrayLike<number>,
  shape: PairShape,
  selection: NoiseSelection,
): Uint8Array {
  checkValidMask("selectNoiseByUserModality", validMask, shape);
  const [batch, positions, modalities] = shape;
  if (userScores.length !== batch * modalities) {
    throw new Error(
      `selectNoiseByUserModality: userScores has ${userScores.length} entries, expected ` +
        `${batch * modalities} for [batch, modality] = [${batch}, ${modalities}]`,
    );
  }
  // A modality is a candidate of a user when its score is defined (some valid position has it).
  const present = Uint8Array.from(userScores, (v) => (Number.isNaN(v) ? 0 : 1));
  const chosen = selectNoise(userScores, present, [batch, 1, modalities], selection);
  const noise = new Uint8Array(validMask.length);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < positions; p++) {
      for (let m = 0; m < modalities; m++) {
        const i = (b * positions + p) * modalities + m;
        noise[i] = validMask[i] > 0 && chosen[b * modalities + m] ? 1 : 0;
      }
    }
  }
  return noise;
}
