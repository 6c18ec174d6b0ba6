/**
 * The experiment datasets, prepared under the evaluation protocol: MovieLens latest-small (the
 * embedded default) and the synthetic benchmark with planted points of interest.
 *
 * @example
 * ```ts
 * const data = await prepareDataset({ kind: "synthetic", config: { noiseFraction: 0.75 } });
 * console.log(data.statistics);
 * ```
 */
import { kCoreFilter } from "../data/protocol/k_core.ts";
import { leaveOneOutSplit } from "../data/protocol/leave_one_out.ts";
import { datasetStatistics, formatStatistics } from "../data/protocol/statistics.ts";
import { loadMovieLens } from "../data/movielens/load.ts";
import { generateSynthetic, type SyntheticConfig } from "../data/synthetic.ts";
import type { InteractionDataset, LeaveOneOutSplit, PlantedTruth } from "../data/types.ts";

/** Which data an experiment runs on. */
export type DatasetSpec =
  | { kind: "movielens" }
  | { kind: "synthetic"; config: Partial<SyntheticConfig> };

/** A dataset ready for training and evaluation. */
export interface PreparedDataset {
  /** Short label used in tables, e.g. "MovieLens" or "Synthetic(noise=0.5)". */
  label: string;
  split: LeaveOneOutSplit;
  /** The synthetic benchmark's planted truth (undefined for real data). */
  truth?: PlantedTruth;
  /** The statistics table printed next to every result. */
  statistics: string;
}

/** k of the k-core filter and the longest history read by the models. */
export const PROTOCOL_K_CORE = 5;
export const PROTOCOL_MAX_LENGTH = 50;

/** A stable label of a dataset spec. */
export function datasetLabel(spec: DatasetSpec): string {
  if (spec.kind === "movielens") return "MovieLens";
  const entries = Object.entries(spec.config).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0
    ? "Synthetic"
    : `Synthetic(${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")})`;
}

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

/** Loads or generates, 5-core filters and splits (leave-one-out by time, max length 50). */
export async function prepareDataset(spec: DatasetSpec): Promise<PreparedDataset> {
  const raw = spec.kind === "movielens"
    ? { dataset: await loadMovieLens(), truth: undefined }
    : generateSynthetic(spec.config);
  const filtered = kCoreFilter(raw.dataset, { k: PROTOCOL_K_CORE });
  const split = leaveOneOutSplit(filtered, { maxLength: PROTOCOL_MAX_LENGTH });
  const truth = raw.truth && alignTruth(raw.truth, raw.dataset, filtered);
  return {
    label: datasetLabel(spec),
    split,
    ...(truth ? { truth } : {}),
    statistics: formatStatistics(datasetStatistics(filtered)),
  };
}
