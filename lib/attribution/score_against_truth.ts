/**
 * Scores attributions against the planted points of interest of the synthetic benchmark: how well
 * the noise set matches the modalities that truly do not drive each user.
 */
import type { PlantedTruth } from "../data/types.ts";
import { rocAuc } from "./roc_auc.ts";
import type { AttributionResult } from "./types.ts";

/** Which per-pair value ranks pairs for the AUC. */
export type AucScoreSource = "normalised" | "contributions";

/** Options of {@linkcode scoreAgainstTruth}. */
export interface TruthScoreConfig {
  /** Default `"normalised"` (per-user scale, comparable when pooled over users). */
  scoreBy: AucScoreSource;
  /**
   * Names along the result's modality axis (e.g. the model's `modalityNames`). When given, each
   * truth modality is found by name and result modalities without truth (such as `id`) are left
   * out of every count; when absent, the result's modality axis must equal the truth's.
   */
  resultModalityNames?: readonly string[];
}

/** Agreement of the noise sets with the planted truth, pooled over all valid pairs. */
export interface NoiseSetScore {
  /** |selected and truly noise| / |selected|; NaN when nothing was selected. */
  precision: number;
  /** |selected and truly noise| / |truly noise|; NaN when no valid pair is truly noise. */
  recall: number;
  /** AUC of `-score` for "truly noise" against "truly point of interest"; ties count 0.5. */
  rocAuc: number;
  validPairs: number;
  selected: number;
  truthNoise: number;
  truePositives: number;
}

/** One attributed batch and the internal user id of each of its rows. */
export interface AttributedBatch {
  result: AttributionResult;
  /** `[batch]` internal user ids, indexing `truth.pointsOfInterest`. */
  users: ArrayLike<number>;
}

/**
 * Precision, recall and ROC-AUC of the noise sets of `batches` against `truth`, whose per-(user,
 * modality) row is broadcast over the user's history positions. Only valid pairs of modalities
 * that have a truth count (precision counts only selected pairs of those modalities).
 *
 * @example
 * ```ts
 * const score = scoreAgainstTruth([{ result, users: batch.users }], truth, {
 *   resultModalityNames: model.modalityNames, // ["id", "image", ...]: id has no truth
 * });
 * console.log(score.rocAuc, score.precision, score.recall);
 * ```
 */
export function scoreAgainstTruth(
  batches: readonly AttributedBatch[],
  truth: PlantedTruth,
  config: Partial<TruthScoreConfig> = {},
): NoiseSetScore {
  const scoreBy = config.scoreBy ?? "normalised";
  const truthModalities = truth.modalityNames.length;
  const names = config.resultModalityNames ?? truth.modalityNames;
  // truthIndexOf[m]: the truth column of result modality m, or -1 when it has no truth.
  const truthIndexOf = names.map((name) => truth.modalityNames.indexOf(name));
  truth.modalityNames.forEach((name) => {
    if (!names.includes(name)) {
      throw new Error(
        `scoreAgainstTruth: truth modality "${name}" is not among the result's modalities ` +
          `(${names.join(", ")})`,
      );
    }
  });
  const scores: number[] = [];
  const isNoise: number[] = [];
  let selected = 0;
  let truePositives = 0;
  batches.forEach(({ result, users }, batchIndex) => {
    const [batch, positions, resultModalities] = result.shape;
    if (resultModalities !== names.length) {
      throw new Error(
        `scoreAgainstTruth: batch ${batchIndex} has ${resultModalities} modalities, expected ` +
          `${names.length} (${names.join(", ")})`,
      );
    }
    if (users.length !== batch) {
      throw new Error(
        `scoreAgainstTruth: batch ${batchIndex} has ${batch} rows, ${users.length} users`,
      );
    }
    const values = scoreBy === "normalised" ? result.normalised : result.contributions;
    for (let b = 0; b < batch; b++) {
      const user = users[b];
      if (!Number.isInteger(user) || (user + 1) * truthModalities > truth.pointsOfInterest.length) {
        throw new Error(
          `scoreAgainstTruth: batch ${batchIndex} row ${b}: user ${user} has no truth`,
        );
      }
      for (let p = 0; p < positions; p++) {
        for (let m = 0; m < resultModalities; m++) {
          const i = (b * positions + p) * resultModalities + m;
          if (!result.validMask[i] || truthIndexOf[m] < 0) continue;
          const noise = truth.pointsOfInterest[user * truthModalities + truthIndexOf[m]] ? 0 : 1;
          scores.push(-values[i]);
          isNoise.push(noise);
          if (result.noiseMask[i]) {
            selected++;
            truePositives += noise;
          }
        }
      }
    }
  });
  const truthNoise = isNoise.reduce((sum, v) => sum + v, 0);
  return {
    precision: selected > 0 ? truePositives / selected : NaN,
    recall: truthNoise > 0 ? truePositives / truthNoise : NaN,
    rocAuc: rocAuc(scores, isNoise),
    validPairs: scores.length,
    selected,
    truthNoise,
    truePositives,
  };
}
