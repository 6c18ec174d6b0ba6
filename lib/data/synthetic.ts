/**
 * Synthetic benchmark with planted points of interest: items carry a random latent feature per
 * content modality; each user is driven by a known subset of modalities (the points of interest)
 * and picks each next item by similarity in those modalities only. The other modalities are
 * noise: they receive a fresh random "distraction" preference at every step, so they influence
 * choices without carrying any consistent signal. The truth lets attribution be scored directly.
 */
import { createRng, type Rng } from "../util/random.ts";
import {
  checkInteger,
  checkNumber,
  checkSettingNames,
  describeRange,
  SEED_RANGE,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";
import {
  checkGeneratedCount,
  checkGeneratedFeatureDim,
  checkGeneratedModalityName,
  generatedDataset,
  MAX_GENERATED_VALUES,
} from "./generated.ts";
import type { InteractionDataset, ModalityFeatures, PlantedTruth } from "./types.ts";

/** One content modality of the synthetic items. */
export interface SyntheticModalitySpec {
  /** Modality name. */
  name: string;
  /** Feature width. */
  dim: number;
}

/** Configuration of `generateSynthetic`; every field has a documented default. */
export interface SyntheticConfig {
  /** Seed of every random draw (default 0). */
  seed: number;
  /** Users (default 600). */
  numUsers: number;
  /** Items (default 500). */
  numItems: number;
  /** Content modalities (default image/text/audio/tags, dim 16 each); an `id` modality is added. */
  modalities: readonly SyntheticModalitySpec[];
  /** Interactions per user (default 30); items are not repeated within a user. */
  historyLength: number;
  /** The planted noise share: the fraction of a user's content modalities that are noise
   * (default 0.5: 2 of 4; not Demure's denoising ratio rho, which is the share it treats as
   * noise). At least one modality is always a point of interest. */
  noiseFraction: number;
  /** Weight of the random per-step preference in noise modalities, relative to the
   * points of interest (default 0.3; 0 makes noise modalities irrelevant to choices). */
  noiseStrength: number;
  /** Softmax temperature of the choice (default 0.1; lower is more deterministic). */
  temperature: number;
  /** How far a user's preference moves toward each chosen item (default 0.3; 0 = static). */
  drift: number;
  /** Probability that an item lacks a content modality (default 0.1); a missing modality cannot
   * attract the user. */
  missingRate: number;
  /** Zipf exponent of the item popularity prior added to the logits (default 0.5; 0 = none). */
  popularitySkew: number;
}

/** Defaults sized for CI speed. */
export const DEFAULT_SYNTHETIC: SyntheticConfig = Object.freeze({
  seed: 0,
  numUsers: 600,
  numItems: 500,
  modalities: Object.freeze([
    Object.freeze({ name: "image", dim: 16 }),
    Object.freeze({ name: "text", dim: 16 }),
    Object.freeze({ name: "audio", dim: 16 }),
    Object.freeze({ name: "tags", dim: 16 }),
  ]),
  historyLength: 30,
  noiseFraction: 0.5,
  noiseStrength: 0.3,
  temperature: 0.1,
  drift: 0.3,
  missingRate: 0.1,
  popularitySkew: 0.5,
});

/** The generated dataset and its planted truth. */
export interface SyntheticBenchmark {
  /** The generated users, items, histories and features. */
  dataset: InteractionDataset;
  /** Over the content modalities (the dataset's modalities except `id`), in the same order. */
  truth: PlantedTruth;
  /** The configuration it was generated with (defaults filled in). */
  config: SyntheticConfig;
}

function unitGaussian(rng: Rng, dim: number): Float64Array {
  const vector = new Float64Array(dim);
  for (let d = 0; d < dim; d++) vector[d] = rng.normal();
  const norm = Math.hypot(...vector) || 1;
  for (let d = 0; d < dim; d++) vector[d] /= norm;
  return vector;
}

/** The settings of one {@linkcode SyntheticModalitySpec}. */
const MODALITY_SPEC_SETTINGS: SettingNames<SyntheticModalitySpec> = Object.freeze({
  name: true,
  dim: true,
});

/** "2^31 - 1" in messages: {@linkcode MAX_GENERATED_VALUES}, the most interactions. */
const MAX_SYNTHETIC_LENGTH_TEXT = "2^31 - 1";

/** Throws unless `value` is an integer in 1..`max`; the message says why `max` (`because`). */
function checkSize(setting: string, value: unknown, max: number, because: string): void {
  checkInteger(setting, value, { min: 1 });
  if ((value as number) > max) {
    throw new SettingError(setting, value, `${describeRange({ min: 1, max }, true)} (${because})`);
  }
}

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range; ranges in `docs/configuration.md`.
 */
function validateSyntheticConfig(config: SyntheticConfig): void {
  // One wording for every setting error (lib/util/settings.ts): setting, value, allowed range.
  const name = (field: string) => `SyntheticConfig.${field}`;
  checkInteger(name("seed"), config.seed, SEED_RANGE);
  // At most 2^27 each (MAX_GENERATED_LIST_LENGTH). Generation was not stopped there: 2^27 + 1
  // items drew features for over a minute, then the process aborted ("Fatal JavaScript out of
  // memory: invalid array length") where the ranks were spread into an array growing by half
  // again (from about 1.05e8 items; they are now allocated at their length).
  checkGeneratedCount(name("numUsers"), config.numUsers, "user");
  checkGeneratedCount(name("numItems"), config.numItems, "item");
  checkInteger(name("historyLength"), config.historyLength, { min: 1 });
  if (config.historyLength > config.numItems) {
    throw new SettingError(
      name("historyLength"),
      config.historyLength,
      `an integer >= 1 and <= ${name("numItems")} (${config.numItems}): items are not repeated ` +
        "within a user",
    );
  }
  checkSize(
    name("historyLength"),
    config.historyLength,
    Math.floor(MAX_GENERATED_VALUES / config.numUsers),
    `numUsers (${config.numUsers}) * historyLength interactions at most ${MAX_SYNTHETIC_LENGTH_TEXT}`,
  );
  const modalities: unknown = config.modalities;
  if (!Array.isArray(modalities) || modalities.length === 0) {
    throw new SettingError(name("modalities"), modalities, "a non-empty list of { name, dim }");
  }
  const names = new Set<string>();
  modalities.forEach((spec: SyntheticModalitySpec, i) => {
    const where = `${name("modalities")}[${i}]`;
    checkSettingNames(where, spec, MODALITY_SPEC_SETTINGS);
    checkGeneratedModalityName(`${where}.name`, spec.name, names);
    checkGeneratedFeatureDim(`${where}.dim`, spec.dim, config.numItems);
  });
  checkNumber(name("noiseFraction"), config.noiseFraction, { min: 0, max: 1 });
  checkNumber(name("noiseStrength"), config.noiseStrength, { min: 0 });
  checkNumber(name("temperature"), config.temperature, { above: 0 });
  checkNumber(name("drift"), config.drift, { min: 0, max: 1 });
  checkNumber(name("missingRate"), config.missingRate, { min: 0, max: 1 });
  checkNumber(name("popularitySkew"), config.popularitySkew, { min: 0 });
  checkLogitsFinite(config);
}

/**
 * The largest logit magnitude {@linkcode generateSynthetic} may reach: half the largest double, so
 * that a logit, and the difference of two, stays finite or underflows to a probability of 0.
 */
const MAX_SYNTHETIC_LOGIT = Number.MAX_VALUE / 2;

/**
 * Throws a SettingError unless every logit of a draw is finite. A logit is at most
 * (points of interest + noiseStrength * noise modalities) / temperature (unit vectors, so each dot
 * product is at most 1) plus popularitySkew * ln(numItems) in magnitude. Past the largest double
 * a draw's weights were NaN, and every history silently took the items from the last down
 * (temperature 1e-310, noiseStrength 1e308 or popularitySkew 1e308: histories 499, 498, 497...).
 */
function checkLogitsFinite(config: SyntheticConfig): void {
  const numModalities = config.modalities.length;
  const numInterests = Math.max(1, Math.round((1 - config.noiseFraction) * numModalities));
  const noise = config.noiseStrength * (numModalities - numInterests);
  const affinity = (numInterests + noise) / config.temperature;
  const popularity = config.popularitySkew * Math.log(config.numItems);
  const largest = affinity + popularity;
  if (largest <= MAX_SYNTHETIC_LOGIT) return;
  // Blame the setting whose term is out of scale; the range says the combined rule.
  const field = popularity > affinity
    ? "popularitySkew"
    : noise > numInterests
    ? "noiseStrength"
    : "temperature";
  throw new SettingError(
    `SyntheticConfig.${field}`,
    config[field],
    `a value with (${numInterests} points of interest + noiseStrength * ` +
      `${numModalities - numInterests} noise modalities) / temperature + popularitySkew * ` +
      `ln(numItems ${config.numItems}) at most ${MAX_SYNTHETIC_LOGIT.toPrecision(3)} (the ` +
      `largest logit of a draw; past it the draw's weights are NaN): here ` +
      `${largest.toPrecision(3)}`,
  );
}

/**
 * Generates the benchmark. Per user u: a random subset of `round((1 - noiseFraction) * M)`
 * modalities (at least 1) are points of interest with preference p_{u,m} (unit vector). At step
 * t the next item is drawn, among items not yet taken, with probability proportional to
 * exp( [ sum_{m in POI} <p_{u,m}, x_{i,m}> + noiseStrength * sum_{m not in POI} <r_{t,m}, x_{i,m}> ]
 * / temperature - popularitySkew * log(1 + rank_i) ), where r_{t,m} is a fresh random unit vector
 * and a missing x_{i,m} counts as 0. Then p_{u,m} <- normalise((1 - drift) p_{u,m} + drift x_{i,m})
 * for the present POI modalities. Item features are unit-normalised Gaussian vectors.
 *
 * @example
 * ```ts
 * const { dataset, truth } = generateSynthetic({ seed: 7 }); // the defaults but the seed
 * truth.pointsOfInterest[0 * truth.modalityNames.length + 1]; // 1 if modality 1 drives user 0
 * ```
 */
export function generateSynthetic(
  overrides: Partial<SyntheticConfig> = {},
): SyntheticBenchmark {
  // A misspelt setting (numUser) must not generate the default data silently.
  checkSettingNames("SyntheticConfig", overrides, DEFAULT_SYNTHETIC);
  const config: SyntheticConfig = withDefaults(DEFAULT_SYNTHETIC, overrides);
  validateSyntheticConfig(config);
  // One generator for every draw, in a fixed order (features, popularity, then user by user):
  // the order is part of what a seed means.
  const rng = createRng(config.seed);
  const features = drawItemFeatures(rng, config);
  // Popularity: a random permutation gives each item its Zipf rank.
  // Allocated at its length: a spread grows its store by half again past V8's array limit.
  const rank = rng.shuffle(Array.from({ length: config.numItems }, (_, item) => item));
  const popularityLogit = Float64Array.from(rank, (r) => -config.popularitySkew * Math.log(1 + r));

  const numModalities = config.modalities.length;
  const numInterests = Math.max(1, Math.round((1 - config.noiseFraction) * numModalities));
  const pointsOfInterest = new Uint8Array(config.numUsers * numModalities);
  const sequences: Int32Array[] = [];
  for (let user = 0; user < config.numUsers; user++) {
    const interests = rng.shuffle([...Array(numModalities).keys()]).slice(0, numInterests);
    for (const m of interests) pointsOfInterest[user * numModalities + m] = 1;
    sequences.push(drawHistory(rng, config, features, popularityLogit, interests));
  }

  const dataset = generatedDataset({
    name: `synthetic-seed${config.seed}`,
    numItems: config.numItems,
    sequences,
    contentModalities: contentModalitiesOf(config, features),
    source: "generateSynthetic (lib/data/synthetic.ts)",
    preprocessing: [
      `synthetic: ${
        JSON.stringify({
          ...config,
          modalities: config.modalities.map((m) => `${m.name}:${m.dim}`),
        })
      }`,
    ],
  });
  return {
    dataset,
    truth: { modalityNames: config.modalities.map((m) => m.name), pointsOfInterest },
    config,
  };
}

/** One content modality's item features: a unit direction per item, zeros where missing. */
interface ItemFeatures {
  /** [item, dim], row-major. */
  values: Float32Array;
  /** 1 where the item has the modality. */
  present: Uint8Array;
}

/** Every item's features in every content modality, modality by modality. */
function drawItemFeatures(rng: Rng, config: SyntheticConfig): ItemFeatures[] {
  const { numItems, missingRate } = config;
  return config.modalities.map((m) => {
    const values = new Float32Array(numItems * m.dim);
    const present = new Uint8Array(numItems);
    for (let item = 0; item < numItems; item++) {
      values.set(unitGaussian(rng, m.dim), item * m.dim);
      present[item] = rng.next() < missingRate ? 0 : 1;
      if (!present[item]) values.fill(0, item * m.dim, (item + 1) * m.dim);
    }
    return { values, present };
  });
}

/**
 * One user's history: at each step the next item is drawn by popularity plus the affinity to the
 * user's preference in each modality of `interests` (which drifts towards the items taken), and to
 * a fresh random direction in every other modality (the noise), without repeats.
 */
function drawHistory(
  rng: Rng,
  config: SyntheticConfig,
  features: ItemFeatures[],
  popularityLogit: Float64Array,
  interests: number[],
): Int32Array {
  const { modalities } = config;
  const preference = modalities.map((m) => unitGaussian(rng, m.dim));
  const logits = new Float64Array(config.numItems);
  const taken = new Uint8Array(config.numItems);
  const sequence = new Int32Array(config.historyLength);
  for (let t = 0; t < config.historyLength; t++) {
    logits.set(popularityLogit);
    for (let m = 0; m < modalities.length; m++) {
      const isInterest = interests.includes(m);
      if (!isInterest && config.noiseStrength === 0) continue;
      const dim = modalities[m].dim;
      const direction = isInterest ? preference[m] : unitGaussian(rng, dim);
      const weight = (isInterest ? 1 : config.noiseStrength) / config.temperature;
      addAffinity(logits, direction, features[m].values, dim, weight);
    }
    const chosen = drawUntaken(logits, taken, rng);
    taken[chosen] = 1;
    sequence[t] = chosen;
    for (const m of interests) {
      if (!features[m].present[chosen]) continue;
      driftTowards(preference[m], features[m].values, chosen, config.drift);
    }
  }
  return sequence;
}

/** The content modalities of the generated dataset, with their provenance. */
function contentModalitiesOf(
  config: SyntheticConfig,
  features: ItemFeatures[],
): ModalityFeatures[] {
  return config.modalities.map((m, index) => ({
    name: m.name,
    kind: "dense",
    dim: m.dim,
    values: features[index].values,
    present: features[index].present,
    provenance: {
      source: `synthetic latent factor (seed ${config.seed}), Gaussian direction`,
      normalisation: "unit L2 norm",
      notes: `missing with probability ${config.missingRate}`,
    },
  }));
}

/** `logits[item] += weight * <direction, the item's features>` for every item. */
function addAffinity(
  logits: Float64Array,
  direction: ArrayLike<number>,
  values: Float32Array,
  dim: number,
  weight: number,
): void {
  for (let item = 0; item < logits.length; item++) {
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += direction[d] * values[item * dim + d];
    logits[item] += weight * dot;
  }
}

/**
 * Draws one item not yet `taken`, with probability softmax(`logits`) over the untaken items (one
 * `rng` draw). Overwrites `logits` with the unnormalised probabilities.
 */
function drawUntaken(logits: Float64Array, taken: Uint8Array, rng: Rng): number {
  let max = -Infinity;
  for (let item = 0; item < logits.length; item++) {
    if (!taken[item]) max = Math.max(max, logits[item]);
  }
  let total = 0;
  for (let item = 0; item < logits.length; item++) {
    logits[item] = taken[item] ? 0 : Math.exp(logits[item] - max);
    total += logits[item];
  }
  let draw = rng.next() * total;
  let chosen = -1;
  for (let item = 0; item < logits.length; item++) {
    if (taken[item]) continue;
    chosen = item;
    draw -= logits[item];
    if (draw < 0) break;
  }
  return chosen;
}

/** Moves a unit preference towards the chosen item's features by `drift`, back to unit norm. */
function driftTowards(
  preference: Float64Array,
  values: Float32Array,
  chosen: number,
  drift: number,
): void {
  const dim = preference.length;
  for (let d = 0; d < dim; d++) {
    preference[d] = (1 - drift) * preference[d] + drift * values[chosen * dim + d];
  }
  const norm = Math.hypot(...preference) || 1;
  for (let d = 0; d < dim; d++) preference[d] /= norm;
}
