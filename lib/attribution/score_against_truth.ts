/**
 * Scores attributions against the planted points of interest of the synthetic benchmark: how well
 * the noise set matches the modalities that truly do not drive each user.
 */
import type { PlantedTruth } from "../data/types.ts";
import { rocAuc } from "./roc_auc.ts";
import type { AttributionResult } from "./types.ts";
import { userModalityScores } from "./user_modality.ts";
import {
  checkOneOf,
  checkSettingNames,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";

/** Options of {@linkcode scoreAgainstTruth}. */
export interface TruthScoreConfig {
  /**
   * Which value ranks the units for the AUC. Default `"normalised"` (per-user scale, comparable
   * when pooled over users; {@linkcode DEFAULT_TRUTH_SCORE_CONFIG}).
   */
  scoreBy: "normalised" | "contributions";
  /**
   * What one scored unit is. Default `"pair"`.
   * - `pair`: a valid (user, position, modality) pair, scored by its own value.
   * - `user_modality`: a (user, modality) with at least one valid position, scored by the mean
   *   over those positions; it counts as selected when more than half of its valid pairs are
   *   noise.
   */
  level: "pair" | "user_modality";
  /**
   * Names along the result's modality axis (e.g. the model's `modalityNames`). When given, each
   * truth modality is found by name and result modalities without truth (such as `id`) are left
   * out of every count; when absent, the result's modality axis must equal the truth's.
   */
  resultModalityNames?: readonly string[];
}

/**
 * The defaults of {@linkcode TruthScoreConfig}: score by the normalised values, one unit per
 * (user, position, modality) pair. `resultModalityNames` has none (absent: the truth's own).
 */
export const DEFAULT_TRUTH_SCORE_CONFIG: Readonly<Pick<TruthScoreConfig, "scoreBy" | "level">> =
  Object.freeze({ scoreBy: "normalised", level: "pair" });

const TRUTH_SCORE_CONFIG_NAMES: SettingNames<TruthScoreConfig> = {
  scoreBy: true,
  level: true,
  resultModalityNames: true,
};

/** Which value ranks the units for the AUC: {@linkcode TruthScoreConfig.scoreBy}. */
export type AucScoreSource = TruthScoreConfig["scoreBy"];

/** What one scored unit is: {@linkcode TruthScoreConfig.level}. */
export type TruthScoreLevel = TruthScoreConfig["level"];

/** Agreement of the noise sets with the planted truth, pooled over all scored units. */
export interface NoiseSetScore {
  /** The level the units were scored at. */
  level: TruthScoreConfig["level"];
  /** |selected and truly noise| / |selected|; NaN when nothing was selected. */
  precision: number;
  /** |selected and truly noise| / |truly noise|; NaN when no unit is truly noise. */
  recall: number;
  /**
   * AUC of `-score` for "truly noise" against "truly point of interest"; ties count 0.5. NaN
   * when the units are of one class (`truthNoise` is 0 or `units`): no noise and point-of-interest
   * pair to compare.
   */
  rocAuc: number;
  /** Number of scored units (pairs or user-modalities). */
  units: number;
  /** Units selected as noise. */
  selected: number;
  /** Units that are truly noise. */
  truthNoise: number;
  /** Units selected as noise that are truly noise. */
  truePositives: number;
}

/** One attributed batch and the internal user id of each of its rows. */
export interface AttributedBatch {
  /** The attribution of the batch. */
  result: AttributionResult;
  /** `[batch]` internal user ids, indexing `truth.pointsOfInterest`. */
  users: ArrayLike<number>;
}

/** One scored unit: the score that ranks it, whether it is truly noise (1) and whether selected. */
interface ScoredUnit {
  score: number;
  noise: number;
  selected: boolean;
}

/** What scoring every batch shares: the settings and which truth column each modality has. */
interface TruthScoring {
  scoreBy: AucScoreSource;
  level: TruthScoreLevel;
  truth: PlantedTruth;
  /** Names along the result's modality axis. */
  names: readonly string[];
  /** truthIndexOf[m]: the truth column of result modality m, or -1 when it has no truth. */
  truthIndexOf: number[];
}

/**
 * Precision, recall and ROC-AUC of the noise sets of `batches` against `truth`, whose per-(user,
 * modality) row is broadcast over the user's history positions. Only valid pairs of modalities
 * that have a truth count (precision counts only selected units of those modalities).
 *
 * @example
 * ```ts
 * const score = scoreAgainstTruth([{ result, users: batch.users }], truth, {
 *   resultModalityNames: model.modalityNames, // ["id", "image", ...]: id has no truth
 *   level: "user_modality",
 * });
 * ```
 */
export function scoreAgainstTruth(
  batches: readonly AttributedBatch[],
  truth: PlantedTruth,
  config: Partial<TruthScoreConfig> = {},
): NoiseSetScore {
  const { scoreBy, level } = truthScoreSettings(config);
  const names = config.resultModalityNames === undefined
    ? truth.modalityNames
    : config.resultModalityNames;
  // null was read as "absent" (the truth's modality axis); a name list is what it takes.
  if (!Array.isArray(names)) {
    throw new SettingError(
      "TruthScoreConfig.resultModalityNames",
      names,
      "a list of modality names",
    );
  }
  const truthIndexOf = truthColumns(truth, names);
  const scoring: TruthScoring = { scoreBy, level, truth, names, truthIndexOf };
  const units: ScoredUnit[] = [];
  batches.forEach((batch, batchIndex) => addBatchUnits(scoring, batch, batchIndex, units));
  return pooledScore(level, units);
}

/** The checked `scoreBy` and `level` of `config`, with their defaults. */
function truthScoreSettings(
  config: Partial<TruthScoreConfig>,
): { scoreBy: AucScoreSource; level: TruthScoreLevel } {
  // A misspelt value (`scoreBy: "normalized"`) used to score by contributions, and a misspelt
  // name or level (`level: "user"`) by pairs, silently.
  checkSettingNames("TruthScoreConfig", config, TRUTH_SCORE_CONFIG_NAMES);
  // Left out or undefined: the default; null is a value, refused below (it scored at the default).
  const { scoreBy, level } = withDefaults(DEFAULT_TRUTH_SCORE_CONFIG, config);
  checkOneOf("TruthScoreConfig.scoreBy", scoreBy, ["normalised", "contributions"]);
  checkOneOf("TruthScoreConfig.level", level, ["pair", "user_modality"]);
  return { scoreBy, level };
}

/**
 * The truth column of each result modality named in `names` (-1 when it has none); every truth
 * modality must be among them.
 */
function truthColumns(truth: PlantedTruth, names: readonly string[]): number[] {
  // Two result columns of one name were both matched to its truth column: every unit of that
  // modality counted twice in precision, recall and the AUC.
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new Error(
      `scoreAgainstTruth: modality "${repeated}" appears twice in the result's modalities ` +
        `(${names.join(", ")}); each must name one column`,
    );
  }
  const truthIndexOf = names.map((name) => truth.modalityNames.indexOf(name));
  truth.modalityNames.forEach((name) => {
    if (!names.includes(name)) {
      throw new Error(
        `scoreAgainstTruth: truth modality "${name}" is not among the result's modalities ` +
          `(${names.join(", ")})`,
      );
    }
  });
  return truthIndexOf;
}

/** Appends to `units` those of one batch: per valid pair, or per (user, modality). */
function addBatchUnits(
  scoring: TruthScoring,
  { result, users }: AttributedBatch,
  batchIndex: number,
  units: ScoredUnit[],
): void {
  const { truth, names, truthIndexOf } = scoring;
  const [batch, , modalities] = result.shape;
  checkBatchShape(result, users, batchIndex, names);
  const values = scoring.scoreBy === "normalised" ? result.normalised : result.contributions;
  const perUserModality = userModalityUnitScores(result, scoring);
  const truthModalities = truth.modalityNames.length;
  for (let b = 0; b < batch; b++) {
    const user = users[b];
    if (
      !Number.isInteger(user) || user < 0 ||
      (user + 1) * truthModalities > truth.pointsOfInterest.length
    ) {
      throw new Error(
        `scoreAgainstTruth: batch ${batchIndex} row ${b}: user ${user} has no truth`,
      );
    }
    for (let m = 0; m < modalities; m++) {
      if (truthIndexOf[m] < 0) continue;
      const noise = truth.pointsOfInterest[user * truthModalities + truthIndexOf[m]] ? 0 : 1;
      if (perUserModality === undefined) addPairUnits(result, values, b, m, noise, units);
      else addUserModalityUnit(result, perUserModality, b, m, noise, units);
    }
  }
}

/** Throws unless the batch has one modality per name and one user per row. */
function checkBatchShape(
  result: AttributionResult,
  users: ArrayLike<number>,
  batchIndex: number,
  names: readonly string[],
): void {
  const [batch, , modalities] = result.shape;
  if (modalities !== names.length) {
    throw new Error(
      `scoreAgainstTruth: batch ${batchIndex} has ${modalities} modalities, expected ` +
        `${names.length} (${names.join(", ")})`,
    );
  }
  if (users.length !== batch) {
    throw new Error(
      `scoreAgainstTruth: batch ${batchIndex} has ${batch} rows, ${users.length} users`,
    );
  }
}

/** At the user-modality level, each (row, modality)'s mean score; undefined at the pair level. */
function userModalityUnitScores(
  result: AttributionResult,
  { scoreBy, level }: TruthScoring,
): Float32Array | undefined {
  if (level !== "user_modality") return undefined;
  return scoreBy === "normalised"
    ? result.userModalityScores
    : userModalityScores(result.contributions, result.validMask, result.shape);
}

/** Appends a unit per valid position of (row `b`, modality `m`), scored by its own value. */
function addPairUnits(
  result: AttributionResult,
  values: ArrayLike<number>,
  b: number,
  m: number,
  noise: number,
  units: ScoredUnit[],
): void {
  for (const i of validPairsOf(result, b, m)) {
    units.push({ score: -values[i], noise, selected: result.noiseMask[i] === 1 });
  }
}

/**
 * Appends the unit of (row `b`, modality `m`) when it has a valid position: scored by its mean,
 * selected when more than half of its valid pairs are noise.
 */
function addUserModalityUnit(
  result: AttributionResult,
  perUserModality: ArrayLike<number>,
  b: number,
  m: number,
  noise: number,
  units: ScoredUnit[],
): void {
  const valid = validPairsOf(result, b, m);
  if (valid.length === 0) return;
  const noiseCount = valid.filter((i) => result.noiseMask[i]).length;
  const score = -perUserModality[b * result.shape[2] + m];
  units.push({ score, noise, selected: noiseCount * 2 > valid.length });
}

/** The flat indices of the valid pairs of (row `b`, modality `m`), position by position. */
function validPairsOf(result: AttributionResult, b: number, m: number): number[] {
  const [, positions, modalities] = result.shape;
  const valid: number[] = [];
  for (let p = 0; p < positions; p++) {
    const i = (b * positions + p) * modalities + m;
    if (result.validMask[i]) valid.push(i);
  }
  return valid;
}

/** Precision, recall and ROC-AUC pooled over every scored unit. */
function pooledScore(level: TruthScoreLevel, units: readonly ScoredUnit[]): NoiseSetScore {
  const selected = units.filter((u) => u.selected).length;
  const truePositives = units.filter((u) => u.selected && u.noise === 1).length;
  const truthNoise = units.filter((u) => u.noise === 1).length;
  return {
    level,
    precision: selected > 0 ? truePositives / selected : NaN,
    recall: truthNoise > 0 ? truePositives / truthNoise : NaN,
    rocAuc: truthNoise > 0 && truthNoise < units.length
      ? rocAuc(units.map((u) => u.score), units.map((u) => u.noise))
      : NaN,
    units: units.length,
    selected,
    truthNoise,
    truePositives,
  };
}
