/**
 * Contribution and noise rate of each modality over a batch: which modality drives behaviour on
 * average (the explanation view of the attribution).
 */
import { checkPairArray, checkValidMask, checkZeroOneMask } from "./_pairs.ts";
import type { ModalityAggregate, PairShape } from "./types.ts";

/**
 * One {@linkcode ModalityAggregate} per modality, averaged over the valid pairs only.
 *
 * @example
 * ```ts
 * const perModality = aggregateByModality(result.contributions, result.normalised,
 *   result.noiseMask, result.validMask, result.shape);
 * perModality[0].meanContribution; // mean raw contribution of modality 0
 * ```
 */
export function aggregateByModality(
  contributions: ArrayLike<number>,
  normalised: ArrayLike<number>,
  noiseMask: ArrayLike<number>,
  validMask: ArrayLike<number>,
  shape: PairShape,
): ModalityAggregate[] {
  for (
    const [field, values] of [
      ["contributions", contributions],
      ["normalised", normalised],
    ] as const
  ) checkPairArray("aggregateByModality", field, values, shape);
  // A NaN (or 0.5) in the noise mask was counted as no noise (`> 0` false), silently.
  checkZeroOneMask("aggregateByModality", "noiseMask", noiseMask, shape);
  checkValidMask("aggregateByModality", validMask, shape);
  const modalities = shape[2];
  const count = new Array<number>(modalities).fill(0);
  const rawSum = new Array<number>(modalities).fill(0);
  const normalisedSum = new Array<number>(modalities).fill(0);
  const noiseSum = new Array<number>(modalities).fill(0);
  for (let i = 0; i < validMask.length; i++) {
    if (!(validMask[i] > 0)) continue;
    const m = i % modalities;
    count[m]++;
    rawSum[m] += contributions[i];
    normalisedSum[m] += normalised[i];
    noiseSum[m] += noiseMask[i];
  }
  return count.map((n, modality) => ({
    modality,
    count: n,
    meanContribution: n > 0 ? rawSum[modality] / n : NaN,
    meanNormalised: n > 0 ? normalisedSum[modality] / n : NaN,
    noiseRate: n > 0 ? noiseSum[modality] / n : NaN,
  }));
}
