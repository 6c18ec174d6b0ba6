/**
 * The frame of a generated dataset (the synthetic benchmark, the workload shapes): users `u<n>`
 * and items `i<n>`, one time step per interaction (so no ties to break), the `id` modality before
 * the generated content modalities, and the content fingerprint. One home, so every generator
 * states its data the same way and only says what it generated.
 *
 * @example
 * ```ts
 * const dataset = generatedDataset({
 *   name: "toy", numItems: 3, sequences: [Int32Array.of(0, 1, 2)], contentModalities: [],
 *   source: "a test", preprocessing: ["none"],
 * });
 * ```
 */
import { checkInteger, describeRange, SettingError } from "../util/settings.ts";
import { datasetFingerprint } from "./fingerprint.ts";
import { idModality } from "./id_modality.ts";
import type { InteractionDataset, ModalityFeatures } from "./types.ts";

/**
 * The most elements of a plain JS array: 2^27 (V8's limit on a fast array's store). Measured on
 * deno 2.9.6 (V8 15.0): `Array.from({ length })` and `push` reach 134217728 and throw
 * "RangeError: Invalid array length" at one more. The frame holds an id string per user and per
 * item, and a history and a time line per user, in such arrays; a generator checks its sizes
 * against this before it allocates anything.
 */
export const MAX_GENERATED_LIST_LENGTH = 2 ** 27;

/**
 * Throws a `SettingError` (setting, value, allowed range) unless `value`, a generator's count of
 * users or items, is an integer in 1..{@linkcode MAX_GENERATED_LIST_LENGTH}: each `element` (user
 * or item) takes an element of the frame's plain arrays. Checked before anything is allocated.
 *
 * @example
 * ```ts
 * checkGeneratedCount("SyntheticConfig.numUsers", 2 ** 27 + 1, "user"); // throws: "<= 134217728"
 * ```
 */
export function checkGeneratedCount(
  setting: string,
  value: unknown,
  element: "user" | "item",
): void {
  // One range in every refusal: 0 or NaN was refused as "an integer >= 1", without the top.
  const range = describeRange({ min: 1, max: MAX_GENERATED_LIST_LENGTH }, true);
  const allowed = `${range} (2^27: one JS array element per ${element})`;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < 1 ||
    value > MAX_GENERATED_LIST_LENGTH
  ) throw new SettingError(setting, value, allowed);
}

/**
 * The most feature values of one modality and the most interactions of a generated dataset:
 * 2^31 - 1, the largest int32. Histories and batches hold ids as Int32Array and the fingerprint
 * the counts; a modality's features become one tensor, and the wasm backend addresses 32-bit
 * memory; the rows a run builds from the interactions (training windows, batch rows) stay within
 * it. Past it, generateSynthetic failed with "Array buffer allocation failed", naming no setting,
 * and generateWorkloadDataset allocated and filled the features (16 GiB at 1,000 items x 2^22,
 * over 2 GB resident after 30 s) without a word.
 */
export const MAX_GENERATED_VALUES = 2 ** 31 - 1;

/**
 * Throws a `SettingError` unless `dim`, a generated modality's feature width, is an integer >= 1
 * with `numItems * dim` <= {@linkcode MAX_GENERATED_VALUES}.
 *
 * @example
 * ```ts
 * checkGeneratedFeatureDim("SyntheticConfig.modalities[0].dim", 16, 2 ** 27); // throws: "<= 15"
 * ```
 */
export function checkGeneratedFeatureDim(setting: string, dim: unknown, numItems: number): void {
  checkInteger(setting, dim, { min: 1 });
  const max = Math.floor(MAX_GENERATED_VALUES / numItems);
  if ((dim as number) > max) {
    throw new SettingError(
      setting,
      dim,
      `${describeRange({ min: 1, max }, true)} (numItems (${numItems}) * dim feature values at ` +
        "most 2^31 - 1)",
    );
  }
}

/**
 * Throws a `SettingError` unless `name`, a generated content modality's name, is a non-empty
 * string, not "id" (the frame adds the id modality to every dataset) and not in `taken` (modalities
 * are keyed by name: a repeated name makes two modalities one); then adds it to `taken`.
 *
 * @example
 * ```ts
 * const taken = new Set<string>();
 * checkGeneratedModalityName("workload.modalities[0].name", "image", taken);
 * checkGeneratedModalityName("workload.modalities[1].name", "image", taken); // throws
 * ```
 */
export function checkGeneratedModalityName(
  setting: string,
  name: unknown,
  taken: Set<string>,
): void {
  if (typeof name !== "string" || name === "" || name === "id" || taken.has(name)) {
    throw new SettingError(
      setting,
      name,
      'a non-empty name, not "id" (added for every dataset) and not used twice',
    );
  }
  taken.add(name);
}

/** What a generator made; {@linkcode generatedDataset} frames it. */
export interface GeneratedDatasetParts {
  /** The dataset's name. */
  name: string;
  /** Items 0..numItems-1. */
  numItems: number;
  /** One history per user, oldest first; the user count is their number. */
  sequences: Int32Array[];
  /** The generated modalities besides `id`, in order. */
  contentModalities: ModalityFeatures[];
  /** `metadata.source`: the generator. */
  source: string;
  /** `metadata.preprocessing`: the generator's settings. */
  preprocessing: string[];
}

/** The dataset of generated histories and features, fingerprinted. */
export function generatedDataset(parts: GeneratedDatasetParts): InteractionDataset {
  const { name, numItems, sequences, contentModalities, source, preprocessing } = parts;
  const numUsers = sequences.length;
  const dataset: InteractionDataset = {
    name,
    numUsers,
    numItems,
    userIds: Array.from({ length: numUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: numItems }, (_, i) => `i${i}`),
    sequences,
    timestamps: sequences.map((s) => Float64Array.from(s, (_, t) => t)),
    modalities: [idModality(numItems), ...contentModalities],
    metadata: {
      source,
      preprocessing,
      tieBreak: "none needed (one interaction per time step)",
      fingerprint: "",
    },
  };
  dataset.metadata.fingerprint = datasetFingerprint(dataset);
  return dataset;
}
