/**
 * Per-user normalisation of contributions across all of the user's valid (position, modality)
 * pairs, so that one rule (bottom fraction, threshold) applies to users whose losses differ in
 * scale.
 */
import { checkOneOf } from "../util/settings.ts";
import { checkPairArray, checkValidMask, validIndicesOfUser } from "./_pairs.ts";
import { NORMALISATION_METHODS, type NormalisationMethod, type PairShape } from "./types.ts";

function zscore(values: number[]): number[] {
  // A user whose pairs all contribute the same has no ranking to offer: everyone sits at 0. Tested
  // on the values, not on the std: in float64 the mean of equal values can miss them by an ulp
  // (0.1 three times averages 0.10000000000000002), that ulp was the std, and every z read -1.
  if (values.every((v) => v === values[0])) return values.map(() => 0);
  const direct = standardScores(values);
  if (direct !== undefined) return direct;
  // Distinct values whose squared spread underflows (0 and 1e-200) or overflows (+-1e200) float64
  // set all of them to 0 before: a ranking dropped silently. A z-score is the same for the values
  // divided by any positive number, and over their largest magnitude they lie in [-1, 1], where
  // the spread of distinct values squares to a finite number > 0. Float32 contributions (what
  // the attribution computes) never get here, so no number it normalises changes.
  const largest = values.reduce((most, v) => Math.max(most, Math.abs(v)), 0);
  const rescaled = standardScores(values.map((v) => v / largest));
  if (rescaled === undefined) {
    throw new Error(`normaliseContributions: no finite spread in ${values.length} distinct values`);
  }
  return rescaled;
}

/** (v - mean) / std of each value (population std); undefined when the std is 0 or not finite. */
function standardScores(values: number[]): number[] | undefined {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  const std = Math.sqrt(variance);
  if (!(std > 0 && std < Infinity)) return undefined;
  return values.map((v) => (v - mean) / std);
}

/**
 * Ranks in [0, 1] (lowest contribution 0, highest 1), ties sharing their average rank; a user with
 * one valid pair gets 0.5.
 */
function rankScale(values: number[]): number[] {
  const n = values.length;
  if (n === 1) return [0.5];
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(n);
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
    const averageRank = (start + end) / 2;
    for (let k = start; k <= end; k++) ranks[order[k]] = averageRank / (n - 1);
    start = end + 1;
  }
  return ranks;
}

/**
 * Normalises `contributions` `[batch, position, modality]` per user over the pairs where
 * `validMask` is 1. Invalid pairs come back as NaN (they are never part of any selection). A
 * non-finite contribution at a valid pair, or a method it does not know, is refused.
 * - `zscore`: (c - mean) / std (population std); all 0 when the user's values are all equal.
 * - `rank`: average rank scaled to [0, 1].
 *
 * @example
 * ```ts
 * const z = normaliseContributions(Float32Array.of(1, 2, 3, 9), Uint8Array.of(1, 1, 1, 0), [1, 2, 2], "rank");
 * // z = [0, 0.5, 1, NaN]
 * ```
 */
export function normaliseContributions(
  contributions: ArrayLike<number>,
  validMask: ArrayLike<number>,
  shape: PairShape,
  method: NormalisationMethod,
): Float32Array {
  // Called directly too, not only with a checked AttributionConfig: an unknown name ran the rank.
  checkOneOf("normaliseContributions.method", method, NORMALISATION_METHODS);
  checkPairArray("normaliseContributions", "contributions", contributions, shape);
  checkValidMask("normaliseContributions", validMask, shape);
  const normalised = new Float32Array(contributions.length).fill(NaN);
  for (let user = 0; user < shape[0]; user++) {
    const indices = validIndicesOfUser(validMask, shape, user);
    if (indices.length === 0) continue;
    const values = indices.map((i) => {
      // z-score: a NaN made the user's std NaN and set all its pairs to 0; rank: it broke the sort.
      if (!Number.isFinite(contributions[i])) {
        throw new Error(
          `normaliseContributions: contribution at flat index ${i} (a valid pair) is ` +
            `${contributions[i]}; allowed: a finite number`,
        );
      }
      return contributions[i];
    });
    const scaled = method === "zscore" ? zscore(values) : rankScale(values);
    indices.forEach((flat, k) => normalised[flat] = scaled[k]);
  }
  return normalised;
}
