/**
 * Modality attribution: gradient-based contributions of each modality of each history item to the
 * next-item loss, per-user normalisation, noise-set selection, and scoring against planted truth;
 * {@linkcode attributeBatch} attributes a batch of histories on a model (with or without Demure).
 *
 * @example
 * ```ts
 * import { attributeModalities } from "./lib/attribution/mod.ts";
 * const result = await attributeModalities(lossOf, E, w); // gradient x input, z-score, bottom 30 %
 * ```
 *
 * @module
 */
export * from "./types.ts";
export { ATTRIBUTION_METHOD_NAMES, attributionMethodName } from "./method_names.ts";
export {
  computeContributions,
  type ContributionConfig,
  contributionsOfGradient,
  type EmbeddingGradientMethod,
  zeroInvalidContributions,
} from "./contributions.ts";
export {
  detachedCopy,
  type EmbeddingGradient,
  embeddingGradient,
  maskGradient,
} from "./embedding_gradient.ts";
export { validPairs } from "./_pairs.ts";
export { completenessOf } from "./completeness.ts";
export { normaliseContributions } from "./normalise.ts";
export { bottomFractionCount, selectNoise } from "./select_noise.ts";
export { selectNoiseByUserModality, userModalityScores } from "./user_modality.ts";
export { aggregateByModality } from "./aggregate.ts";
export { attributeModalities, attributionOfContributions } from "./attribute.ts";
export { sequenceLossOf, withNextItemTargets } from "./sequence_loss.ts";
export { attributeBatch, type AttributionInputs, attributionInputs } from "./attribute_batch.ts";
export {
  occlusionLine,
  type OcclusionProgress,
  type OcclusionProgressCallback,
  timeLeftPhrase,
} from "./progress.ts";
export { rocAuc } from "./roc_auc.ts";
export {
  type AttributedBatch,
  type AucScoreSource,
  DEFAULT_TRUTH_SCORE_CONFIG,
  type NoiseSetScore,
  scoreAgainstTruth,
  type TruthScoreConfig,
  type TruthScoreLevel,
} from "./score_against_truth.ts";
