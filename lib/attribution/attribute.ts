/**
 * The whole attribution step: contributions, per-user normalisation, noise-set selection and the
 * per-modality aggregate, as one typed, plottable {@linkcode AttributionResult}.
 */
import type { Tensor3D, Tensor4D } from "../backend/tf.ts";
import { checkSettingNames, withDefaults } from "../util/settings.ts";
import { aggregateByModality } from "./aggregate.ts";
import { completenessOf } from "./completeness.ts";
import { contributionsAndMask } from "./contributions.ts";
import { checkEmbeddingInputs } from "./embedding_gradient.ts";
import { normaliseContributions } from "./normalise.ts";
import type { OcclusionProgressCallback } from "./progress.ts";
import { validPairs } from "./_pairs.ts";
import { selectNoise } from "./select_noise.ts";
import { selectNoiseByUserModality, userModalityScores } from "./user_modality.ts";
import {
  type AttributionConfig,
  type AttributionResult,
  DEFAULT_ATTRIBUTION_CONFIG,
  type LossOfEmbeddings,
  type PairShape,
  validateAttributionConfig,
} from "./types.ts";

/**
 * Attributes the per-user next-item loss to each (position, modality) of each user's history and
 * picks the noise set. Valid pairs are those with `mask > 0` (real position, modality present);
 * a mask value outside [0, 1] (NaN included) is refused, naming its flat index.
 * The inputs are detached (`detachedCopy`), never differentiated through, so the attribution
 * leaves no trace on a training tape; tensors made here are disposed before it resolves. Values
 * are read asynchronously (one transfer for the gradient methods), so it also runs on GPU backends.
 * `onOcclusionProgress` hears the progress of occlusion (one forward pass per column; the other
 * methods are one pass and report nothing).
 *
 * @example
 * ```ts
 * // E: [batch, position, modality, dim], w: [batch, position, modality]; the per-user
 * // next-item loss of the workspace's model (attributeBatch builds all of these from a batch):
 * const lossOf = sequenceLossOf(model, batch, presence, itemTable);
 * const result = await attributeModalities(lossOf, E, w, { selection: { kind: "bottom_fraction", rho: 0.3 } });
 * result.noiseMask; // Uint8Array [batch, position, modality], 1 = noise
 * ```
 */
export async function attributeModalities(
  lossOfEmbeddings: LossOfEmbeddings,
  embeddings: Tensor4D,
  mask: Tensor3D,
  config: Partial<AttributionConfig> = {},
  onOcclusionProgress?: OcclusionProgressCallback,
): Promise<AttributionResult> {
  // A mistyped name (`methd`) was dropped and the default method ran, silently.
  checkSettingNames("AttributionConfig", config, DEFAULT_ATTRIBUTION_CONFIG);
  const full: AttributionConfig = withDefaults(DEFAULT_ATTRIBUTION_CONFIG, config);
  validateAttributionConfig(full);
  const shape = checkEmbeddingInputs("attributeModalities", embeddings, mask);
  const { contributions, mask: maskValues, lossChange } = await contributionsAndMask(
    lossOfEmbeddings,
    embeddings,
    mask,
    full,
    onOcclusionProgress,
  );
  const result = attributionOfContributions(contributions, maskValues, shape, full);
  if (lossChange === undefined) return result;
  const { integratedGradientsSteps, integratedGradientsBaseline } = full;
  return {
    ...result,
    completeness: completenessOf(
      contributions,
      lossChange,
      shape,
      integratedGradientsSteps,
      integratedGradientsBaseline,
    ),
  };
}

/**
 * The host part of {@linkcode attributeModalities}: per-user normalisation, noise selection and
 * the per-modality aggregate of raw `contributions` `[batch, position, modality]` (0 at invalid
 * pairs) under the fusion mask's values `maskValues` (valid pairs: `> 0`; each in [0, 1], else
 * refused). Demure's training-pass attribution calls it with contributions taken from the
 * training step's own gradient.
 *
 * @example
 * ```ts
 * const result = attributionOfContributions(contributions, validMask, [batch, positions, modalities], config);
 * ```
 */
export function attributionOfContributions(
  contributions: Float32Array,
  maskValues: ArrayLike<number>,
  shape: PairShape,
  config: AttributionConfig,
): AttributionResult {
  const full = config;
  const validMask = validPairs(maskValues, "attributionOfContributions");
  const normalised = normaliseContributions(contributions, validMask, shape, full.normalisation);
  const perUserModality = userModalityScores(normalised, validMask, shape);
  const noiseMask = full.granularity === "pair"
    ? selectNoise(normalised, validMask, shape, full.selection)
    : selectNoiseByUserModality(perUserModality, validMask, shape, full.selection);
  const interestMask = validMask.map((valid, i) => valid && !noiseMask[i] ? 1 : 0);
  return {
    contributions,
    normalised,
    userModalityScores: perUserModality,
    noiseMask,
    interestMask,
    validMask,
    shape,
    method: full.method,
    normalisation: full.normalisation,
    selection: full.selection,
    granularity: full.granularity,
    aggregateByModality: aggregateByModality(
      contributions,
      normalised,
      noiseMask,
      validMask,
      shape,
    ),
  };
}
