/**
 * Noise-set selection: which valid (position, modality) pairs of each user are taken as noise.
 */
import { checkPairArray, checkValidMask, validIndicesOfUser } from "./_pairs.ts";
import { type NoiseSelection, type PairShape, validateNoiseSelection } from "./types.ts";

/**
 * Number of noise candidates among `validCount` for the bottom fraction `rho`: rounded down, at
 * least one, and never all of them (a lone candidate is never noise). Rounded down alone, a
 * fraction of a user's few modalities (Demure's default granularity) is 0 for every rho below
 * `1 / modalities`: rho 0.1 of 5 modalities, or the default 0.3 of 3, gave an empty noise set, and
 * Demure silently became another method (the rho 0.1 cells of 2026-12-02 ran so). Marking a
 * user's only modality as noise would instead report it 100 % noise while the views restore it at
 * every position. On the embedded datasets every training window has at least 4 present
 * modalities and 4 pairs (synthetic: 5 and 117; MovieLens: 4 and 4, a one-item window cut from the
 * front of a long history), so at rho >= 0.25 the floor is already >= 1 there and no other record
 * (rho >= 0.3) changes; at rho 0.2 a 4-modality window would.
 *
 * @example
 * ```ts
 * bottomFractionCount(0.3, 10); // 3
 * bottomFractionCount(0.3, 5); // 1
 * bottomFractionCount(0.1, 5); // 1, not 0
 * bottomFractionCount(0.3, 1); // 0: the lone candidate stays
 * ```
 */
export function bottomFractionCount(rho: number, validCount: number): number {
  if (validCount < 2) return 0;
  // The epsilon keeps products that float64 puts just under an integer from flipping down: 0.7 * 90
  // is 62.99999999999999 and 0.58 * 50 is 28.999999999999996 (0.3 * 10 and 0.7 * 10 are exact).
  const roundedDown = Math.floor(rho * validCount + 1e-9);
  return Math.min(validCount - 1, Math.max(1, roundedDown));
}

/**
 * `[batch, position, modality]` noise mask (1 = noise) from per-user `scores` (higher = more
 * important; normally the normalised contributions). Only pairs with `validMask = 1` can be noise.
 * - `bottom_fraction`: each user's `bottomFractionCount(rho, validCount)` (`floor(rho *
 *   validCount)`, at least 1, never all) lowest-scoring valid pairs; equal
 *   scores are broken by flat index (earlier position, then lower modality index, first).
 * - `threshold`: every valid pair with score strictly below `threshold`.
 *
 * A selection of unknown kind, a `rho` outside (0, 1) or a threshold that is not finite is a
 * `SettingError` (`validateNoiseSelection`), as it is in an `AttributionConfig`.
 *
 * @example
 * ```ts
 * const noise = selectNoise(Float32Array.of(-1, 0, 1, 2), Uint8Array.of(1, 1, 1, 1), [1, 2, 2],
 *   { kind: "bottom_fraction", rho: 0.5 }); // [1, 1, 0, 0]
 * ```
 */
export function selectNoise(
  scores: ArrayLike<number>,
  validMask: ArrayLike<number>,
  shape: PairShape,
  selection: NoiseSelection,
): Uint8Array {
  checkPairArray("selectNoise", "scores", scores, shape);
  checkValidMask("selectNoise", validMask, shape);
  // Unchecked, an unknown kind fell through to the bottom fraction of an unchecked rho, and an
  // infinite threshold marked every valid pair (or none), both silently.
  validateNoiseSelection(selection);
  const noise = new Uint8Array(scores.length);
  for (let user = 0; user < shape[0]; user++) {
    const indices = validIndicesOfUser(validMask, shape, user);
    for (const i of indices) {
      if (Number.isNaN(scores[i])) {
        throw new Error(
          `selectNoise: score of valid pair at flat index ${i} (user ${user}) is NaN`,
        );
      }
    }
    if (selection.kind === "threshold") {
      for (const i of indices) if (scores[i] < selection.threshold) noise[i] = 1;
      continue;
    }
    const count = bottomFractionCount(selection.rho, indices.length);
    // indices are ascending, and Array.prototype.sort is stable: ties keep flat-index order.
    const lowestFirst = indices.slice().sort((a, b) => scores[a] - scores[b]);
    for (let k = 0; k < count; k++) noise[lowestFirst[k]] = 1;
  }
  return noise;
}
