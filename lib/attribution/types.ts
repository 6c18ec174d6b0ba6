/**
 * Types of the modality attribution: which modality of which history item drove the next-item
 * prediction. Everything here is model-agnostic: a model enters only through a
 * {@linkcode LossOfEmbeddings} closure.
 *
 * Shapes: `E` is `[batch, position, modality, dim]`; masks and contributions are
 * `[batch, position, modality]`, stored row-major in flat typed arrays.
 *
 * @example
 * ```ts
 * import { type AttributionConfig, DEFAULT_ATTRIBUTION_CONFIG } from "./types.ts";
 * const config: AttributionConfig = { ...DEFAULT_ATTRIBUTION_CONFIG, method: "occlusion" };
 * ```
 */
import type { Tensor1D, Tensor3D, Tensor4D } from "../backend/tf.ts";
import { checkInteger, checkNumber, checkOneOf, type NumberRange } from "../util/settings.ts";

/**
 * Per-user next-item loss of a batch, as a function of the modality embeddings `E`
 * `[batch, position, modality, dim]` and the fusion mask `w` `[batch, position, modality]`
 * (1 = modality used, 0 = masked). Returns `[batch]`.
 *
 * Contract: users are independent (row b of the result depends only on row b of `E` and `w`), and
 * the model runs in inference mode (no dropout), so repeated calls give the same numbers.
 */
export type LossOfEmbeddings = (embeddings: Tensor4D, mask: Tensor3D) => Tensor1D;

/**
 * Default denoising ratio rho: the share of a user's valid pairs (or present modalities) taken as
 * noise (not the synthetic data's planted noise share, `SyntheticConfig.noiseFraction`). The one home of this default: {@linkcode DEFAULT_ATTRIBUTION_CONFIG}'s selection and
 * Demure's `rho` both read it; the allowed range is {@linkcode NOISE_FRACTION_RANGE}.
 */
export const DEFAULT_NOISE_FRACTION = 0.3;

/**
 * Allowed range of the denoising ratio rho: the open interval (0, 1). rho = 0 selects no noise and
 * rho = 1 selects every pair, so neither separates noise from points of interest.
 */
export const NOISE_FRACTION_RANGE: Readonly<NumberRange> = Object.freeze({ above: 0, below: 1 });

/** Which valid pairs become the noise set of a user. */
export type NoiseSelection =
  /** The `rho` fraction of the user's valid pairs with the lowest normalised contribution. */
  | { kind: "bottom_fraction"; rho: number }
  /** Every valid pair whose normalised contribution is strictly below `threshold`. */
  | { kind: "threshold"; threshold: number };

/**
 * Configuration of {@linkcode attributeModalities}; defaults in
 * {@linkcode DEFAULT_ATTRIBUTION_CONFIG}.
 * The allowed values of each choice are written in its field (one home; the names below, such as
 * {@linkcode AttributionMethod}, read them from here).
 */
export interface AttributionConfig {
  /**
   * How a contribution is measured. Every method follows one sign convention: higher = more
   * important to predicting the next item. Default `"gradient_x_input"`.
   * - `gradient_x_input`: `-g . e`, the first-order estimate of the loss rise when `e` is zeroed.
   * - `mask_gradient`: `-w . dL/dw`, the first-order estimate of the loss rise when the fusion
   *   mask drops the modality (occlusion's linearisation: it sees the masked mean renormalise,
   *   which `-g . e` does not).
   * - `gradient_norm`: `|g|_2`, sensitivity only (never negative; ignores the sign of the effect).
   * - `integrated_gradients`: `-(e - e0) . mean_alpha g(e0 + alpha (e - e0))`, path from a
   *   baseline; by completeness the contributions of a user sum to `L(baseline) - L(full)`.
   * - `occlusion`: `L(w[b,p,m] = 0) - L(full)`, the exact loss change of masking one modality.
   */
  method:
    | "gradient_x_input"
    | "mask_gradient"
    | "gradient_norm"
    | "integrated_gradients"
    | "occlusion";
  /** Riemann steps (midpoint rule) of integrated gradients. Default 20. */
  integratedGradientsSteps: number;
  /**
   * Baseline of integrated gradients. Default `"zero_embedding"`.
   * - `zero_embedding`: the path scales `E` from 0 to `E` with the mask fixed (the baseline is
   *   "every modality embedding zero", the same removal that gradient x input linearises).
   * - `masked`: the path scales the fusion mask `w` from 0 to `w` with `E` fixed (the baseline is
   *   "every modality masked", the same removal that occlusion measures). Needs a fusion that is
   *   defined for fractional `w` close to 0.
   */
  integratedGradientsBaseline: "zero_embedding" | "masked";
  /**
   * Per-user normalisation across the user's valid (position, modality) pairs. Default
   * `"zscore"`.
   */
  normalisation: "zscore" | "rank";
  /**
   * Default bottom fraction `rho` = {@linkcode DEFAULT_NOISE_FRACTION} (of the user's valid pairs,
   * or of the user's present modalities under `user_modality`, rounded down).
   */
  selection: NoiseSelection;
  /**
   * At which level the noise set is chosen. Default `"pair"`.
   * - `pair`: individual (position, modality) pairs of a user (a modality can be noise at one
   *   history item and a point of interest at another).
   * - `user_modality`: whole modalities of a user, judged over all the items the user interacted
   *   with: the mean normalised contribution of modality m over the user's valid positions ranks
   *   the user's modalities, and a selected modality is noise at every valid position.
   */
  granularity: "pair" | "user_modality";
}

/** How a contribution is measured: {@linkcode AttributionConfig.method}. */
export type AttributionMethod = AttributionConfig["method"];

/** Every {@linkcode AttributionMethod}, in the order of its documentation. */
export const ATTRIBUTION_METHODS: readonly AttributionMethod[] = [
  "gradient_x_input",
  "mask_gradient",
  "gradient_norm",
  "integrated_gradients",
  "occlusion",
];

/** Baseline of integrated gradients: {@linkcode AttributionConfig.integratedGradientsBaseline}. */
export type IntegratedGradientsBaseline = AttributionConfig["integratedGradientsBaseline"];

/** Every {@linkcode IntegratedGradientsBaseline}, in the order of its documentation. */
export const INTEGRATED_GRADIENTS_BASELINES: readonly IntegratedGradientsBaseline[] = [
  "zero_embedding",
  "masked",
];

/** Per-user normalisation: {@linkcode AttributionConfig.normalisation}. */
export type NormalisationMethod = AttributionConfig["normalisation"];

/** Every {@linkcode NormalisationMethod}, in the order of its documentation. */
export const NORMALISATION_METHODS: readonly NormalisationMethod[] = ["zscore", "rank"];

/** At which level the noise set is chosen: {@linkcode AttributionConfig.granularity}. */
export type NoiseGranularity = AttributionConfig["granularity"];

/** The documented defaults. */
export const DEFAULT_ATTRIBUTION_CONFIG: Readonly<AttributionConfig> = Object.freeze({
  method: "gradient_x_input",
  integratedGradientsSteps: 20,
  integratedGradientsBaseline: "zero_embedding",
  normalisation: "zscore",
  selection: Object.freeze({ kind: "bottom_fraction", rho: DEFAULT_NOISE_FRACTION }),
  granularity: "pair",
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range, so a bad attribution setting fails where it enters (e.g. in `DemureConfig`), not at the
 * first attribution after the warm-up. `where` names the config in the message.
 */
export function validateAttributionConfig(
  config: Omit<AttributionConfig, "selection"> & { selection?: NoiseSelection },
  where = "AttributionConfig",
): void {
  checkOneOf(`${where}.method`, config.method, ATTRIBUTION_METHODS);
  checkInteger(`${where}.integratedGradientsSteps`, config.integratedGradientsSteps, { min: 1 });
  checkOneOf(
    `${where}.integratedGradientsBaseline`,
    config.integratedGradientsBaseline,
    INTEGRATED_GRADIENTS_BASELINES,
  );
  checkOneOf(`${where}.normalisation`, config.normalisation, NORMALISATION_METHODS);
  checkOneOf(`${where}.granularity`, config.granularity, ["pair", "user_modality"]);
  const selection = config.selection;
  if (selection === undefined) return; // configs that derive it (Demure: from rho)
  validateNoiseSelection(selection, `${where}.selection`);
}

/**
 * Throws a `SettingError` (`where` names the selection in the message) unless `selection` is of a
 * known kind with its value in range: `rho` in {@linkcode NOISE_FRACTION_RANGE}, a finite
 * `threshold`. The one home of these checks: {@linkcode validateAttributionConfig} and
 * `selectNoise`, which is also called directly, both run it.
 */
export function validateNoiseSelection(selection: NoiseSelection, where = "NoiseSelection"): void {
  checkOneOf(`${where}.kind`, selection.kind, ["bottom_fraction", "threshold"]);
  if (selection.kind === "bottom_fraction") {
    checkNumber(`${where}.rho`, selection.rho, NOISE_FRACTION_RANGE);
  } else {
    checkNumber(`${where}.threshold`, selection.threshold);
  }
}

/** `[batch, position, modality]`. */
export type PairShape = readonly [batch: number, position: number, modality: number];

/** Mean contribution and noise rate of one modality over all valid pairs of a batch. */
export interface ModalityAggregate {
  /** Index into the modality axis. */
  modality: number;
  /** Number of valid (user, position) pairs that carry this modality. */
  count: number;
  /** Mean raw contribution (NaN when `count = 0`). */
  meanContribution: number;
  /** Mean normalised contribution (NaN when `count = 0`). */
  meanNormalised: number;
  /** Fraction of this modality's valid pairs selected as noise (NaN when `count = 0`). */
  noiseRate: number;
}

/** The convergence delta of one integrated-gradients attribution, per user and summed up. */
export interface CompletenessReadout {
  /** Riemann steps the contributions were integrated with. */
  steps: number;
  /** The path's start. */
  baseline: AttributionConfig["integratedGradientsBaseline"];
  /**
   * `[batch]` `L_b(baseline) - L_b(full)`, measured by two forward passes: what user b's
   * contributions sum to when the path integral is exact.
   */
  lossChange: Float64Array;
  /** `[batch]` the sum of user b's contributions (invalid pairs count 0, as in the result). */
  contributionSum: Float64Array;
  /** `[batch]` `contributionSum - lossChange`: 0 when complete. */
  delta: Float64Array;
  /** `max_b |delta_b|`. */
  maxAbsoluteDelta: number;
  /**
   * `max_b |delta_b| / |lossChange_b|` over the users whose loss change is not 0; NaN when every
   * user's is 0 (no scale to compare against; read `maxAbsoluteDelta` then).
   */
  maxRelativeDelta: number;
}

/** What {@linkcode attributeModalities} returns: plain arrays, detached from any gradient tape. */
export interface AttributionResult {
  /** `[batch, position, modality]` raw contributions; 0 at invalid pairs. */
  contributions: Float32Array;
  /** `[batch, position, modality]` per-user normalised contributions; NaN at invalid pairs. */
  normalised: Float32Array;
  /**
   * `[batch, modality]` mean normalised contribution of each modality over the user's valid
   * positions; NaN where the user has no valid pair of that modality.
   */
  userModalityScores: Float32Array;
  /** `[batch, position, modality]` 1 = noise; always 0 at invalid pairs. */
  noiseMask: Uint8Array;
  /** `[batch, position, modality]` 1 = point of interest (valid and not noise). */
  interestMask: Uint8Array;
  /** `[batch, position, modality]` 1 = valid pair (position is real and modality present). */
  validMask: Uint8Array;
  /** `[batch, position, modality]` of every pair array above. */
  shape: PairShape;
  /** The method that measured the contributions. */
  method: AttributionConfig["method"];
  /** The per-user normalisation applied. */
  normalisation: AttributionConfig["normalisation"];
  /** How the noise set was selected. */
  selection: NoiseSelection;
  /** The level the noise set was chosen at. */
  granularity: AttributionConfig["granularity"];
  /** One entry per modality. */
  aggregateByModality: ModalityAggregate[];
  /**
   * Present exactly when `method` is `integrated_gradients`: how far each user's contributions
   * are from summing to `L(baseline) - L(full)` (Captum's convergence delta).
   */
  completeness?: CompletenessReadout;
}
