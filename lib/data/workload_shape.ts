/**
 * A seeded dataset with the shape of a public benchmark, for timing (not for accuracy): users,
 * items, the distribution of history lengths and content features of the given sizes, generated in
 * O(interactions). The default is shaped like Amazon Beauty after 5-core filtering (about 22k users,
 * 12k items, median history 6, most recommendation papers' smallest Amazon set), so a device check
 * can time an epoch of the workload people run without shipping the data.
 *
 * Behaviour is simple on purpose: each user prefers one of `clusters` item clusters; each next item
 * comes from that cluster with probability `clusterAffinity`, else from all items, in both cases by
 * Zipf popularity. A model can learn it, which keeps the loss moving like real training; it carries
 * no planted truth (use `generateSynthetic` for attribution quality).
 *
 * @example
 * ```ts
 * const dataset = generateWorkloadDataset({ seed: 0 }); // Beauty-shaped
 * const split = leaveOneOutSplit(dataset, { maxLength: 50 });
 * ```
 */
import { createRng } from "../util/random.ts";
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
import { drawIndex } from "./cumulative_draw.ts";
import { DrawOdds } from "./workload_draw_odds.ts";
import type { InteractionDataset, ModalityFeatures } from "./types.ts";

/** Configuration of {@linkcode generateWorkloadDataset}; defaults in {@linkcode BEAUTY_SHAPE}. */
export interface WorkloadShapeConfig {
  /** Seed of every draw, an integer in [0, 2^31 - 1]. Default 0. */
  seed: number;
  /** Default 22,363 (Amazon Beauty, 5-core); at most 2^27 (`MAX_GENERATED_LIST_LENGTH`). */
  numUsers: number;
  /** Default 12,101 (Amazon Beauty, 5-core); at most 2^27 (`MAX_GENERATED_LIST_LENGTH`). */
  numItems: number;
  /** Median interactions per user. Default 6. */
  medianHistory: number;
  /** Fewest interactions per user (the k of k-core). Default 5. */
  minHistory: number;
  /** Spread of the log-normal history length (log scale). Default 0.75 (mean about 8.5). */
  historySpread: number;
  /** Most interactions per user. Default 400. */
  maxHistory: number;
  /** Dense content modalities besides `id` (names distinct, not "id"). Default image, text 64-d. */
  modalities: { name: string; dim: number }[];
  /** Item clusters of the users' preferences (at most `numItems`). Default 50. */
  clusters: number;
  /** Probability that the next item comes from the user's cluster. Default 0.7. */
  clusterAffinity: number;
  /** Zipf exponent of item popularity. Default 0.8. */
  popularitySkew: number;
}

/** Amazon Beauty after 5-core filtering, in shape. */
export const BEAUTY_SHAPE: Readonly<WorkloadShapeConfig> = Object.freeze({
  seed: 0,
  numUsers: 22363,
  numItems: 12101,
  medianHistory: 6,
  minHistory: 5,
  historySpread: 0.75,
  maxHistory: 400,
  modalities: [{ name: "image", dim: 64 }, { name: "text", dim: 64 }],
  clusters: 50,
  clusterAffinity: 0.7,
  popularitySkew: 0.8,
});

/** Every setting of {@linkcode WorkloadShapeConfig}: a misspelt one ran at Beauty's value. */
const WORKLOAD_SHAPE_SETTINGS: SettingNames<WorkloadShapeConfig> = Object.freeze({
  seed: true,
  numUsers: true,
  numItems: true,
  medianHistory: true,
  minHistory: true,
  historySpread: true,
  maxHistory: true,
  modalities: true,
  clusters: true,
  clusterAffinity: true,
  popularitySkew: true,
});

/** The settings of one entry of {@linkcode WorkloadShapeConfig.modalities}. */
const MODALITY_SETTINGS: SettingNames<WorkloadShapeConfig["modalities"][number]> = Object.freeze({
  name: true,
  dim: true,
});

function validate(config: WorkloadShapeConfig): void {
  // One wording for every setting error (lib/util/settings.ts): setting, value, allowed range.
  const positiveInteger = (value: number, name: string) =>
    checkInteger(`workload.${name}`, value, { min: 1 });
  // The sizes first, before anything is allocated. Unchecked, 2^27 + 1 users were generated
  // until the heap ran out (an uncatchable abort), and 2^27 + 1 items would have taken about 4 GB
  // of ranks and weights and 32 GiB per default 64-d modality before the ids' array threw; and
  // features of more than 2^31 - 1 values were allocated and filled (16 GiB, unannounced).
  checkGeneratedCount("workload.numUsers", config.numUsers, "user");
  checkGeneratedCount("workload.numItems", config.numItems, "item");
  // Not a list (a JSON setting, a string) threw a TypeError from forEach; a misspelt key of a spec
  // (`dims`) was reported as its dim being undefined.
  const modalities: unknown = config.modalities;
  if (!Array.isArray(modalities)) {
    throw new SettingError(
      "workload.modalities",
      modalities,
      "a list of { name, dim } (may be empty)",
    );
  }
  // A name "id" or a repeated one made two modalities of one name (they are keyed by name), and
  // the dim errors below name a modality by its name.
  const names = new Set<string>();
  modalities.forEach((m: WorkloadShapeConfig["modalities"][number], i) => {
    checkSettingNames(`workload.modalities[${i}]`, m, MODALITY_SETTINGS);
    checkGeneratedModalityName(`workload.modalities[${i}].name`, m.name, names);
    checkGeneratedFeatureDim(`workload.modalities[${m.name}].dim`, m.dim, config.numItems);
  });
  positiveInteger(config.minHistory, "minHistory");
  positiveInteger(config.maxHistory, "maxHistory");
  positiveInteger(config.clusters, "clusters");
  if (config.clusters > config.numItems) {
    // An empty cluster drew `undefined` (stored as item 0, repeated within a history), and with
    // clusterAffinity 1 its users never finished.
    throw new SettingError(
      "workload.clusters",
      config.clusters,
      `an integer >= 1 and <= workload.numItems (${config.numItems}): every cluster needs an item`,
    );
  }
  if (config.maxHistory > config.numItems) {
    throw new SettingError(
      "workload.maxHistory",
      config.maxHistory,
      `an integer >= 1 and <= workload.numItems (${config.numItems}): items do not repeat ` +
        "within a user",
    );
  }
  // The library's seed range: the draws fold a seed into 32 bits, so a fraction (0.5, -0.5) would
  // draw seed 0's dataset under a name of its own (workload-...-seed0.5).
  checkInteger("workload.seed", config.seed, SEED_RANGE);
  // SettingErrors like every other setting. These were plain Errors that let Infinity through: a
  // popularitySkew of Infinity never finished, a historySpread of Infinity clipped every history
  // to minHistory or maxHistory.
  const { medianHistory, minHistory, maxHistory } = config;
  if (
    !(Number.isFinite(medianHistory) && medianHistory >= minHistory && medianHistory <= maxHistory)
  ) {
    throw new SettingError(
      "workload.medianHistory",
      medianHistory,
      `a finite number >= workload.minHistory (${minHistory}) and <= workload.maxHistory ` +
        `(${maxHistory})`,
    );
  }
  checkNumber("workload.historySpread", config.historySpread, { min: 0 });
  checkNumber("workload.clusterAffinity", config.clusterAffinity, { min: 0, max: 1 });
  // With affinity 1 every item of a history comes from its user's cluster, without repeats: a
  // history longer than the smallest cluster (item i is in cluster i % clusters) never finished.
  const smallestCluster = Math.floor(config.numItems / config.clusters);
  if (config.clusterAffinity === 1 && config.maxHistory > smallestCluster) {
    throw new SettingError(
      "workload.maxHistory",
      config.maxHistory,
      `an integer <= ${smallestCluster} (the smallest cluster's items, workload.numItems / ` +
        "workload.clusters) when workload.clusterAffinity is 1: a history is drawn from its " +
        "user's cluster alone, without repeats",
    );
  }
  checkNumber("workload.popularitySkew", config.popularitySkew, { min: 0 });
  // Every history has at least minHistory items: past 2^31 - 1 interactions in all (the int32
  // ids and counts of MAX_GENERATED_VALUES) it would fail after filling gigabytes. Histories
  // between minHistory and maxHistory are counted as they are drawn (tooManyInteractions).
  const fewestInteractions = config.numUsers * config.minHistory;
  if (fewestInteractions > MAX_GENERATED_VALUES) {
    throw new SettingError(
      "workload.numUsers",
      config.numUsers,
      `${
        describeRange({ min: 1, max: Math.floor(MAX_GENERATED_VALUES / config.minHistory) }, true)
      } ` +
        `(numUsers * workload.minHistory (${config.minHistory}) interactions at most 2^31 - 1)`,
    );
  }
}

/** The refusal of histories that, drawn up to user `users`, pass 2^31 - 1 interactions. */
function tooManyInteractions(config: WorkloadShapeConfig, users: number): SettingError {
  return new SettingError(
    "workload.numUsers",
    config.numUsers,
    `fewer users, or shorter histories (workload.medianHistory ${config.medianHistory}, ` +
      `maxHistory ${config.maxHistory}): the histories of the first ${users} users already ` +
      "hold more than 2^31 - 1 interactions, the most a generated dataset holds (int32 ids)",
  );
}

/**
 * Generates the dataset. Every user has at least `minHistory` distinct items (the user side of a
 * k-core, and enough for a leave-one-out split); the rarest items may have fewer interactions than
 * a k-core would keep (at the default shape, 5-core filtering would leave 20,435 users and 9,452
 * items; timing uses the dataset as generated).
 */
export function generateWorkloadDataset(
  overrides: Partial<WorkloadShapeConfig> = {},
): InteractionDataset {
  checkSettingNames("workload", overrides, WORKLOAD_SHAPE_SETTINGS);
  const config: WorkloadShapeConfig = withDefaults(BEAUTY_SHAPE, overrides);
  validate(config);
  const rng = createRng(config.seed);
  const { numUsers, numItems, clusters } = config;
  // Item i has Zipf weight 1 / (1 + rank)^s under a random popularity order; cluster = i % clusters.
  const rankOf = Int32Array.from({ length: numItems }, (_, i) => i);
  for (let i = numItems - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [rankOf[i], rankOf[j]] = [rankOf[j], rankOf[i]];
  }
  const weight = Float64Array.from(rankOf, (rank) => 1 / (1 + rank) ** config.popularitySkew);
  const global = new Float64Array(numItems);
  let total = 0;
  for (let i = 0; i < numItems; i++) global[i] = total += weight[i];
  const members: number[][] = Array.from({ length: clusters }, () => []);
  for (let i = 0; i < numItems; i++) members[i % clusters].push(i);
  const byCluster = members.map((items) => {
    const cumulative = new Float64Array(items.length);
    let sum = 0;
    items.forEach((item, k) => cumulative[k] = sum += weight[item]);
    return { items, cumulative };
  });

  const sequences: Int32Array[] = [];
  const taken = new Uint8Array(numItems);
  const odds = new DrawOdds(config, global, byCluster);
  let interactions = 0;
  for (let u = 0; u < numUsers; u++) {
    const raw = Math.round(
      Math.exp(Math.log(config.medianHistory) + config.historySpread * rng.normal()),
    );
    const length = Math.min(config.maxHistory, Math.max(config.minHistory, raw));
    interactions += length;
    if (interactions > MAX_GENERATED_VALUES) throw tooManyInteractions(config, u + 1);
    const clusterIndex = Math.floor(rng.next() * clusters);
    const cluster = byCluster[clusterIndex];
    odds.startHistory(clusterIndex);
    const sequence = new Int32Array(length);
    for (let t = 0; t < length; t++) {
      // Refuses, before drawing, a step that no draw can finish or that would take too long;
      // it reads no draw, so every dataset that finishes is the one drawn before the check.
      odds.checkStep(u, length);
      let item: number;
      do {
        item = rng.next() < config.clusterAffinity
          ? cluster.items[drawIndex(cluster.cumulative, rng)]
          : drawIndex(global, rng);
      } while (taken[item]);
      taken[item] = 1;
      odds.take(item);
      sequence[t] = item;
    }
    for (const item of sequence) taken[item] = 0;
    sequences.push(sequence);
  }

  const contentModalities: ModalityFeatures[] = config.modalities.map((m) => {
    const values = new Float32Array(numItems * m.dim);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() / Math.sqrt(m.dim);
    return {
      name: m.name,
      kind: "dense",
      dim: m.dim,
      values,
      present: new Uint8Array(numItems).fill(1),
      provenance: {
        source: `generateWorkloadDataset (seed ${config.seed}): Gaussian, for timing only`,
        normalisation: "N(0, 1 / dim) per component",
      },
    };
  });
  return generatedDataset({
    name: `workload-${numUsers}x${numItems}-seed${config.seed}`,
    numItems,
    sequences,
    contentModalities,
    source: "generateWorkloadDataset (lib/data/workload_shape.ts)",
    preprocessing: [`workload shape: ${JSON.stringify(config)}`],
  });
}
