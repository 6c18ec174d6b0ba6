/**
 * Fusion masks of the three contrastive views of Demure, built from a noise mask:
 * - anchor:   w = valid pair (full history; missing modalities and padding stay masked);
 * - positive: w = valid and not noise (denoised history: the noise set N_u masked);
 * - negative: w = valid and noise (the points of interest masked: only the noise is left).
 * Where both are defined, positive + negative = anchor, pair by pair.
 *
 * A real position must not lose every modality in a view, or the item disappears from that view
 * while the backbone still reads the position. Policy `keep_one` (default): the positive view
 * keeps the highest-scoring present modality of such a position (the strongest "noise"), the
 * negative view keeps the lowest-scoring one (the weakest point of interest); equal scores, or no
 * scores, keep the lowest modality index. `allow_empty` leaves the position with no modality
 * (the workspace's masked-mean fusion then gives it the zero vector).
 *
 * The "contrastive only" ablation uses {@linkcode randomNoiseMask} with fresh pairs every step:
 * floor(rho x valid pairs) of each user (30 % of the pairs at rho 0.3, where the default attribution
 * masks floor(rho x modalities), at least 1, whole modalities: 1 of 5, 20 %, on both embedded
 * datasets). The random-mask control of "attribution only" uses {@linkcode randomNoiseMaskByRow}:
 * whole modalities, as many as the attribution masks, one draw per user.
 *
 * Shapes: every mask is `[batch, position, modality]`, row-major.
 *
 * @example
 * ```ts
 * const views = buildContrastiveViews(validMask, result.noiseMask, result.shape, { scores: result.normalised });
 * const positiveW = tf.tensor3d(views.positive, [...views.shape]);
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Tensor3D } from "../backend/tf.ts";
import type { NoiseGranularity, PairShape } from "../attribution/types.ts";
import { selectNoise } from "../attribution/select_noise.ts";
import { selectNoiseByUserModality, userModalityScores } from "../attribution/user_modality.ts";
import { createRng } from "../util/random.ts";
import {
  checkOneOf,
  checkSettingNames,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";

/** Configuration of {@linkcode buildContrastiveViews}. */
export interface ContrastiveViewConfig {
  /**
   * What happens at a real position whose view would mask every present modality. Default
   * `"keep_one"`.
   */
  emptyPosition: "keep_one" | "allow_empty";
}

/** What a view does at a position it would empty: `ContrastiveViewConfig.emptyPosition`. */
export type EmptyPositionPolicy = ContrastiveViewConfig["emptyPosition"];

/** The documented defaults. */
export const DEFAULT_CONTRASTIVE_VIEW_CONFIG: Readonly<ContrastiveViewConfig> = Object.freeze({
  emptyPosition: "keep_one",
});

const CONTRASTIVE_VIEW_OPTION_NAMES: SettingNames<ContrastiveViewOptions> = {
  scores: true,
  emptyPosition: true,
};

/** Options of {@linkcode buildContrastiveViews}. */
export interface ContrastiveViewOptions extends Partial<ContrastiveViewConfig> {
  /**
   * `[batch, position, modality]` importance of each pair (higher = more important), e.g. the
   * normalised contributions; decides which modality `keep_one` keeps.
   */
  scores?: ArrayLike<number>;
}

/** Fusion masks of the three views, `[batch, position, modality]` each, values 0 or 1. */
export interface ContrastiveViews {
  /** The full history: every valid pair (1), padding and missing modalities 0. */
  anchor: Float32Array;
  /** The denoised history: the noise set masked. */
  positive: Float32Array;
  /** The noise-only history: the points of interest masked. */
  negative: Float32Array;
  /** `[batch, position, modality]` of the three masks. */
  shape: PairShape;
  /** Real positions where `keep_one` restored a modality in the positive view. */
  restoredPositive: number;
  /** Real positions where `keep_one` restored a modality in the negative view. */
  restoredNegative: number;
}

function checkLength(field: string, values: ArrayLike<number>, shape: PairShape): void {
  const expected = shape[0] * shape[1] * shape[2];
  if (values.length !== expected) {
    throw new Error(
      `views: ${field} has ${values.length} entries, expected ${expected} for ` +
        `[batch, position, modality] = [${shape.join(", ")}]`,
    );
  }
}

/** The present modality of one position with the highest (or lowest) score; ties: lowest index. */
function pickModality(
  present: number[],
  base: number,
  scores: ArrayLike<number> | undefined,
  highest: boolean,
): number {
  let best = present[0];
  for (const m of present) {
    if (scores === undefined) break;
    const better = highest
      ? scores[base + m] > scores[base + best]
      : scores[base + m] < scores[base + best];
    if (better) best = m;
  }
  return best;
}

/**
 * Builds the anchor, positive and negative fusion masks from `validMask` (1 = real position and
 * modality present) and `noiseMask` (1 = noise; must be 0 wherever `validMask` is 0).
 *
 * @example
 * ```ts
 * // one user, one position, modalities (id, text): text is noise
 * const v = buildContrastiveViews([1, 1], Uint8Array.of(0, 1), [1, 1, 2]);
 * // v.anchor = [1, 1], v.positive = [1, 0], v.negative = [0, 1]
 * ```
 */
export function buildContrastiveViews(
  validMask: ArrayLike<number>,
  noiseMask: ArrayLike<number>,
  shape: PairShape,
  options: ContrastiveViewOptions = {},
): ContrastiveViews {
  // `emptyPosition: "allow-empty"` used to keep one modality, silently.
  checkSettingNames("ContrastiveViewOptions", options, CONTRASTIVE_VIEW_OPTION_NAMES);
  const { scores, ...overrides } = options;
  // A number or a text has no entries to pick by: refused as the setting, not as a length.
  if (
    scores !== undefined &&
    (scores === null || typeof scores !== "object" || typeof scores.length !== "number")
  ) {
    throw new SettingError(
      "ContrastiveViewOptions.scores",
      scores,
      "a list of numbers, one per [batch, position, modality] entry",
    );
  }
  const config: ContrastiveViewConfig = withDefaults(DEFAULT_CONTRASTIVE_VIEW_CONFIG, overrides);
  checkOneOf("ContrastiveViewConfig.emptyPosition", config.emptyPosition, [
    "keep_one",
    "allow_empty",
  ]);
  checkLength("validMask", validMask, shape);
  checkLength("noiseMask", noiseMask, shape);
  if (scores !== undefined) checkLength("scores", scores, shape);
  const [batch, positions, modalities] = shape;
  const size = batch * positions * modalities;
  const anchor = new Float32Array(size);
  const positive = new Float32Array(size);
  const negative = new Float32Array(size);
  let restoredPositive = 0;
  let restoredNegative = 0;
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < positions; p++) {
      const base = (b * positions + p) * modalities;
      const present: number[] = [];
      for (let m = 0; m < modalities; m++) {
        const i = base + m;
        const valid = validMask[i] > 0;
        const noise = noiseMask[i] > 0;
        if (noise && !valid) {
          throw new Error(
            `views: noiseMask marks user row ${b}, position ${p}, modality ${m} as noise, but ` +
              `that pair is not valid (padding or missing modality)`,
          );
        }
        if (!valid) continue;
        present.push(m);
        anchor[i] = 1;
        positive[i] = noise ? 0 : 1;
        negative[i] = noise ? 1 : 0;
      }
      if (present.length === 0 || config.emptyPosition === "allow_empty") continue;
      if (present.every((m) => positive[base + m] === 0)) {
        positive[base + pickModality(present, base, scores, true)] = 1;
        restoredPositive++;
      }
      if (present.every((m) => negative[base + m] === 0)) {
        negative[base + pickModality(present, base, scores, false)] = 1;
        restoredNegative++;
      }
    }
  }
  return { anchor, positive, negative, shape, restoredPositive, restoredNegative };
}

/** A seeded random noise mask and the random scores it was selected from. */
export interface RandomNoiseMask {
  /** `[batch, position, modality]` 1 = noise. */
  noiseMask: Uint8Array;
  /** `[batch, position, modality]` uniform [0, 1) at valid pairs, NaN elsewhere (for `keep_one`). */
  scores: Float32Array;
}

/**
 * A noise mask drawn at random from a seed, with the attribution's count: per user,
 * - `granularity: "pair"` (the "contrastive only" ablation): `floor(rho * validCount)` (at least 1)
 *   valid pairs chosen uniformly at random (the count of the attribution's bottom fraction);
 * - `granularity: "user_modality"` (the random-mask control of "attribution only"): the
 *   attribution's count of the user's present modalities, chosen uniformly at random, each
 *   masked at all of the user's valid positions (as the attribution masks a modality).
 * Pass a new seed per step (e.g. derived from the run seed and the step) to draw fresh views.
 *
 * @example
 * ```ts
 * const { noiseMask, scores } = randomNoiseMask(validMask, [batch, positions, modalities], 0.3, seed);
 * const views = buildContrastiveViews(validMask, noiseMask, shape, { scores });
 * ```
 */
export function randomNoiseMask(
  validMask: ArrayLike<number>,
  shape: PairShape,
  rho: number,
  seed: number,
  granularity: NoiseGranularity = "pair",
): RandomNoiseMask {
  checkLength("validMask", validMask, shape);
  const rng = createRng(seed);
  const scores = new Float32Array(validMask.length).fill(NaN);
  const selection = { kind: "bottom_fraction", rho } as const;
  checkOneOf("randomNoiseMask granularity", granularity, ["pair", "user_modality"]);
  if (granularity === "pair") {
    for (let i = 0; i < validMask.length; i++) if (validMask[i] > 0) scores[i] = rng.next();
    return { noiseMask: selectNoise(scores, validMask, shape, selection), scores };
  }
  // One draw per (user, modality) the user has (NaN: never present, not a candidate).
  const [batch, positions, modalities] = shape;
  const userScores = userModalityScores(validMask, validMask, shape)
    .map((present) => Number.isNaN(present) ? NaN : rng.next());
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < positions; p++) {
      for (let m = 0; m < modalities; m++) {
        const i = (b * positions + p) * modalities + m;
        if (validMask[i] > 0) scores[i] = userScores[b * modalities + m];
      }
    }
  }
  const noiseMask = selectNoiseByUserModality(userScores, validMask, shape, selection);
  return { noiseMask, scores };
}

/**
 * {@linkcode randomNoiseMask} drawn row by row, each row from its own seed: a row whose seed stays
 * the same (a user's, across steps and epochs) keeps the same draw wherever its valid pairs do,
 * as the attributed masks of a stable attribution stay the same.
 *
 * @example
 * ```ts
 * const seeds = Array.from(batch.users, (user) => hashSeeds(runSeed, user, 23));
 * const { noiseMask } = randomNoiseMaskByRow(validMask, shape, 0.3, seeds, "user_modality");
 * ```
 */
export function randomNoiseMaskByRow(
  validMask: ArrayLike<number>,
  shape: PairShape,
  rho: number,
  rowSeeds: ArrayLike<number>,
  granularity: NoiseGranularity,
): RandomNoiseMask {
  checkLength("validMask", validMask, shape);
  const [batch, positions, modalities] = shape;
  if (rowSeeds.length !== batch) {
    throw new Error(`randomNoiseMaskByRow: ${rowSeeds.length} row seeds for ${batch} rows`);
  }
  const size = positions * modalities;
  const noiseMask = new Uint8Array(validMask.length);
  const scores = new Float32Array(validMask.length);
  for (let b = 0; b < batch; b++) {
    const row = Array.from({ length: size }, (_, k) => validMask[b * size + k]);
    const drawn = randomNoiseMask(row, [1, positions, modalities], rho, rowSeeds[b], granularity);
    noiseMask.set(drawn.noiseMask, b * size);
    scores.set(drawn.scores, b * size);
  }
  return { noiseMask, scores };
}

/** The three views as `[batch, position, modality]` tensors (the caller disposes them). */
export interface ContrastiveViewTensors {
  /** The full history's mask. */
  anchor: Tensor3D;
  /** The denoised history's mask. */
  positive: Tensor3D;
  /** The noise-only history's mask. */
  negative: Tensor3D;
}

/**
 * Uploads the view masks as tensors, ready for the model's `fuse(E, w, presence)`.
 *
 * @example
 * ```ts
 * const { anchor, positive, negative } = viewTensors(views);
 * ```
 */
export function viewTensors(views: ContrastiveViews): ContrastiveViewTensors {
  const shape: [number, number, number] = [views.shape[0], views.shape[1], views.shape[2]];
  // All three checked before any upload: a short positive or negative mask left the tensors
  // made before it behind.
  for (const view of ["anchor", "positive", "negative"] as const) {
    checkLength(`ContrastiveViews.${view}`, views[view], views.shape);
  }
  return {
    anchor: tf.tensor3d(views.anchor, shape),
    positive: tf.tensor3d(views.positive, shape),
    negative: tf.tensor3d(views.negative, shape),
  };
}
