/**
 * Progress of a long attribution (its lines' time-left wording, `timeLeftPhrase`, has its home in
 * lib/util/work_progress.ts, shared with the evaluation's and the import's lines): occlusion
 * costs one forward pass per masked (history position, modality) column of the whole batch, so an
 * explanation of many users by occlusion ran for minutes with nothing to show.
 *
 * @example
 * ```ts
 * await attributeBatch(model, batch, { method: "occlusion" }, "all", (p) => console.log(occlusionLine(p)));
 * // "    occlusion: 20/200 masked columns, 3.0 s, about 27 s of it left"
 * ```
 */
import { timeLeftPhrase } from "../util/work_progress.ts";

export { timeLeftPhrase };

/** How far an occlusion is, reported after each tenth of its columns (and the last). */
export interface OcclusionProgress {
  /** Masked (position, modality) columns whose forward pass has run. */
  columnsDone: number;
  /** Columns in all: the (position, modality) pairs valid for at least one user of the batch. */
  columns: number;
  /** Wall time of the occlusion so far, in seconds. */
  seconds: number;
}

/** Hears an occlusion's progress ({@linkcode OcclusionProgress}). */
export type OcclusionProgressCallback = (progress: OcclusionProgress) => void;

/**
 * The indented line of an occlusion's progress: columns done of all, time so far and, while
 * columns remain, the time left.
 *
 * @example
 * ```ts
 * occlusionLine({ columnsDone: 20, columns: 200, seconds: 3 });
 * // "    occlusion: 20/200 masked columns, 3.0 s, about 27 s of it left"
 * ```
 */
export function occlusionLine(progress: OcclusionProgress): string {
  const { columnsDone, columns, seconds } = progress;
  return `    occlusion: ${columnsDone}/${columns} masked columns, ${seconds.toFixed(1)} s` +
    timeLeftPhrase(columnsDone, columns, seconds);
}
