/**
 * The experiment datasets, prepared under the evaluation protocol: MovieLens latest-small (the
 * embedded default), the synthetic benchmark with planted points of interest, and any imported
 * dataset (a one-user-per-line sequence file or RecBole atomic files, with their modalities and
 * extra dense feature files). All of them pass through the same k-core filter and split.
 *
 * @example
 * ```ts
 * const data = await prepareDataset({ kind: "synthetic", config: { noiseFraction: 0.75 } });
 * const mine = await prepareDataset({
 *   kind: "file", path: "data/beauty/beauty", format: "recbole",
 *   features: [{ name: "image", path: "data/beauty/image.txt" }],
 * });
 * console.log(data.statistics, mine.label);
 * ```
 */
import { kCoreFilter } from "../data/protocol/k_core.ts";
import { leaveOneOutSplit } from "../data/protocol/leave_one_out.ts";
import { datasetStatistics, formatStatistics } from "../data/protocol/statistics.ts";
import { loadMovieLens } from "../data/movielens/load.ts";
import { attachModality, readDenseFeatures } from "../data/import/dense_features.ts";
import { readRecBoleAtomic } from "../data/import/recbole.ts";
import { readSequenceFile } from "../data/import/sequence_file.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { pathExists } from "../util/path_exists.ts";
import {
  checkOptionalFunction,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import {
  MEBIBYTES,
  throttledWorkProgress,
  type WorkProgress,
  workProgressLine,
  type WorkProgressListener,
} from "../util/work_progress.ts";
import { DataError } from "../data/errors.ts";
import type { InteractionDataset, LeaveOneOutSplit, PlantedTruth } from "../data/types.ts";
import {
  checkDatasetSpec,
  datasetLabel,
  type DatasetSpec,
  type FileDatasetSpec,
  recboleBasePath,
} from "./dataset_spec.ts";

// What names a dataset has its own module (cheap to import: the command line checks it before
// loading the library); this module prepares the data it names.
export {
  DATASET_FILE_FORMATS,
  type DatasetFileFormat,
  datasetLabel,
  type DatasetSpec,
  type FeatureFileSpec,
  type FileDatasetSpec,
} from "./dataset_spec.ts";

/** A dataset ready for training and evaluation. */
export interface PreparedDataset {
  /** Short label used in tables, e.g. "MovieLens" or "Synthetic(noise=0.5)". */
  label: string;
  /** The protocol's split (k-core filtered, leave-one-out). */
  split: LeaveOneOutSplit;
  /** The synthetic benchmark's planted truth (undefined for real data). */
  truth?: PlantedTruth;
  /** The statistics table printed next to every result. */
  statistics: string;
}

/** k of the protocol's k-core filter (every dataset). */
export const PROTOCOL_K_CORE = 5;
/** The longest history the models read (the protocol's leave-one-out `maxLength`). */
export const PROTOCOL_MAX_LENGTH = 50;

/** Re-indexes the truth's user rows after filtering (the filter may drop and renumber users). */
function alignTruth(
  truth: PlantedTruth,
  before: InteractionDataset,
  after: InteractionDataset,
): PlantedTruth {
  const width = truth.modalityNames.length;
  const rowOf = new Map(before.userIds.map((id, index) => [id, index]));
  const pointsOfInterest = new Uint8Array(after.numUsers * width);
  after.userIds.forEach((id, user) => {
    const row = rowOf.get(id);
    if (row === undefined) throw new Error(`alignTruth: user ${id} is not in the generated data`);
    pointsOfInterest.set(
      truth.pointsOfInterest.subarray(row * width, (row + 1) * width),
      user * width,
    );
  });
  return { modalityNames: truth.modalityNames, pointsOfInterest };
}

/**
 * Reads an imported dataset and attaches its feature files. Errors name the file, line and field
 * ({@linkcode DataError}); an unknown format names the allowed ones. `onProgress` (default none)
 * hears the bytes of the interaction file (the sequence file, or the `.inter`) read of its size.
 */
export function readDatasetFile(
  spec: FileDatasetSpec,
  onProgress?: WorkProgressListener,
): InteractionDataset {
  checkDatasetSpec(spec);
  const name = datasetLabel(spec);
  let dataset = spec.format === "sequence"
    ? readSequenceFile(spec.path, name, onProgress)
    : readRecBoleAtomic(recboleBasePath(spec.path), { name }, onProgress);
  for (const feature of spec.features ?? []) {
    const modality = readDenseFeatures(feature.path, dataset.itemIds, {
      name: feature.name,
      provenance: { source: feature.path, normalisation: "none" },
    });
    dataset = attachModality(dataset, modality, feature.path);
  }
  if (dataset.modalities.every((modality) => modality.kind === "id")) {
    // Legal (a .item file is optional), but a misnamed .item or a forgotten --features would
    // otherwise give multi-modal rows that are their ID-only twins without a word.
    const missing = spec.format === "recbole" ? noRecBoleFeatures(spec.path) : "no feature file";
    dataset = {
      ...dataset,
      metadata: {
        ...dataset.metadata,
        preprocessing: [
          ...dataset.metadata.preprocessing,
          `${missing}: no content modality, only the learned item id (every multi-modal system ` +
          "sees the id alone)",
        ],
      },
    };
  }
  return dataset;
}

/**
 * Why RecBole files gave no content modality: no `.item` file, or one whose only column is the
 * item id (saying "no .item file" of a file that is there sends the user looking for a misnamed
 * file).
 */
function noRecBoleFeatures(path: string): string {
  const itemFile = `${recboleBasePath(path)}.item`;
  return pathExists(itemFile)
    ? `${itemFile} has no feature column (only item_id:token) and no feature file`
    : `no ${itemFile} file and no feature file`;
}

/**
 * The protocol's k-core filter. An imported file it leaves empty is the file's fault, not a
 * setting's: k is the protocol's and no option sets it, so the error names the file and the
 * minimum instead of `KCoreConfig.k`.
 */
function protocolCore(spec: DatasetSpec, dataset: InteractionDataset): InteractionDataset {
  try {
    return kCoreFilter(dataset, { k: PROTOCOL_K_CORE });
  } catch (error) {
    if (spec.kind !== "file" || !(error instanceof SettingError)) throw error;
    const recbole = spec.format === "recbole";
    const longest = dataset.sequences.reduce((most, history) => Math.max(most, history.length), 0);
    throw new DataError(
      recbole ? `${recboleBasePath(spec.path)}.inter` : spec.path,
      0,
      recbole ? "user_id:token" : "user",
      `too little data for the protocol's ${PROTOCOL_K_CORE}-core filter (every user and item ` +
        `needs at least ${PROTOCOL_K_CORE} interactions, iterated): it keeps none of ` +
        `${dataset.numUsers} users and ${dataset.numItems} items (the longest history has ` +
        `${longest})`,
    );
  }
}

async function loadRaw(
  spec: DatasetSpec,
  onProgress: WorkProgressListener | undefined,
): Promise<{ dataset: InteractionDataset; truth?: PlantedTruth }> {
  if (spec.kind === "movielens") return { dataset: await loadMovieLens() };
  if (spec.kind === "file") return { dataset: readDatasetFile(spec, onProgress) };
  return generateSynthetic(spec.config);
}

/** Options of {@linkcode prepareDataset}. */
export interface PrepareDatasetOptions {
  /**
   * Hears, before a file dataset is read, {@linkcode readingDatasetLine} (reading a RecBole file
   * of two million interactions took 21 s on two busy cores), then the read's progress
   * ({@linkcode readingProgressLine}) every 5 s at most, none for a file read sooner. Default:
   * nothing, as the other library calls that are not training (explanations, attribution) print
   * nothing unless asked; `{ log: console.log }` in a notebook shows it.
   */
  log?: (line: string) => void;
}

const PREPARE_DATASET_OPTION_NAMES: SettingNames<PrepareDatasetOptions> = { log: true };

/**
 * The line said before a file dataset is read (also `reproduce --dataset`'s).
 *
 * @example
 * ```ts
 * readingDatasetLine({ kind: "file", path: "data/beauty/beauty", format: "recbole" });
 * // "reading dataset data/beauty/beauty (recbole)"
 * ```
 */
export function readingDatasetLine(spec: FileDatasetSpec): string {
  return `reading dataset ${spec.path} (${spec.format})`;
}

/**
 * The line of a file dataset's read in progress: the interaction file's MiB read of its size, the
 * rate, the time so far and left.
 *
 * @example
 * ```ts
 * readingProgressLine({ kind: "file", path: "data/beauty/beauty", format: "recbole" }, { done: 2 ** 23, total: 2 ** 25, seconds: 5 });
 * // "reading dataset data/beauty/beauty: 8.0/32.0 MiB, 1.6 MiB/s, 5.0 s, about 15 s of it left"
 * ```
 */
export function readingProgressLine(spec: FileDatasetSpec, progress: WorkProgress): string {
  return workProgressLine(`reading dataset ${spec.path}`, MEBIBYTES, progress);
}

/**
 * Loads, generates or imports, 5-core filters and splits (leave-one-out by time, max length 50):
 * the same protocol for every kind of data. `options.log` hears a line before a file is read.
 */
export async function prepareDataset(
  spec: DatasetSpec,
  options: PrepareDatasetOptions = {},
): Promise<PreparedDataset> {
  checkDatasetSpec(spec);
  checkSettingNames("PrepareDatasetOptions", options, PREPARE_DATASET_OPTION_NAMES);
  checkOptionalFunction("PrepareDatasetOptions.log", options.log, "a function or undefined");
  const { log } = options;
  if (spec.kind === "file") log?.(readingDatasetLine(spec));
  const raw = await loadRaw(
    spec,
    log === undefined || spec.kind !== "file"
      ? undefined
      : throttledWorkProgress((progress) => log(readingProgressLine(spec, progress))),
  );
  const filtered = protocolCore(spec, raw.dataset);
  const split = leaveOneOutSplit(filtered, { maxLength: PROTOCOL_MAX_LENGTH });
  const truth = raw.truth && alignTruth(raw.truth, raw.dataset, filtered);
  return {
    label: datasetLabel(spec),
    split,
    ...(truth ? { truth } : {}),
    statistics: formatStatistics(datasetStatistics(filtered)),
  };
}
