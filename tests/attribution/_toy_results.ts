/** Attribution results built from given values, for the scoring tests. */
import type { AttributionResult, PairShape } from "../../lib/attribution/types.ts";
import { userModalityScores } from "../../lib/attribution/user_modality.ts";

/** An occlusion result of `shape` with these values, valid pairs and noise mask. */
export function resultOfValues(
  contributions: Float32Array,
  normalised: Float32Array,
  validMask: Uint8Array,
  noiseMask: Uint8Array,
  shape: PairShape,
): AttributionResult {
  return {
    contributions,
    normalised,
    userModalityScores: userModalityScores(normalised, validMask, shape),
    noiseMask,
    interestMask: validMask.map((v, i) => (v && !noiseMask[i] ? 1 : 0)),
    validMask,
    shape,
    method: "occlusion",
    normalisation: "zscore",
    selection: { kind: "threshold", threshold: 0 },
    granularity: "pair",
    aggregateByModality: [],
  };
}
