/**
 * What a cell's evaluations after its training report: valid, test, and test under the other
 * ranking protocol, each over every user. On MovieLens latest-small (671 users, 3,496 items, the
 * default model, 2 busy cores, DEMURE_BLAS_THREADS=1; 2026-12-07) they took 5.6 s, 2.9 s and 3.3 s:
 * about 12 s after the last epoch line with nothing printed. On the small synthetic cells they
 * take milliseconds, so the default prints only an evaluation that took a few seconds.
 *
 * @example
 * ```ts
 * evaluationLine({ stage: "test", ranking: "history_kept", index: 3, evaluations: 3, users: 671, seconds: 3.3 });
 * // "    evaluation 3/3 test (history kept): 671 users, 3.3 s"
 * ```
 */
import type { RankingProtocol } from "../eval/protocol.ts";
import { USERS, type WorkProgress, workProgressLine } from "../util/work_progress.ts";

/** One finished evaluation of a cell. */
export interface EvaluationProgress {
  /** The stage evaluated. */
  stage: "valid" | "test";
  /** The ranking protocol of this evaluation. */
  ranking: RankingProtocol;
  /** 1-based place of this evaluation among the cell's. */
  index: number;
  /** How many evaluations the cell runs. */
  evaluations: number;
  /** Users evaluated. */
  users: number;
  /** Wall time of this evaluation, in seconds. */
  seconds: number;
}

/** Seconds from which the default prints an evaluation's line ({@linkcode slowEvaluationLine}). */
export const SLOW_EVALUATION_SECONDS = 2;

/**
 * The indented line of a finished evaluation, under the cell's epoch lines: its place, stage,
 * protocol, users and time.
 *
 * @example
 * ```ts
 * evaluationLine({ stage: "valid", ranking: "history_excluded", index: 1, evaluations: 3, users: 671, seconds: 5.62 });
 * // "    evaluation 1/3 valid (history excluded): 671 users, 5.6 s"
 * ```
 */
export function evaluationLine(progress: EvaluationProgress): string {
  const { stage, ranking, index, evaluations, users, seconds } = progress;
  return `    evaluation ${index}/${evaluations} ${stage} (${ranking.replace("_", " ")}): ` +
    `${users} users, ${seconds.toFixed(1)} s`;
}

/**
 * {@linkcode evaluationLine} for an evaluation that took {@linkcode SLOW_EVALUATION_SECONDS} or
 * more, else undefined: what the runners print by default, so that a small cell's output stays
 * as it was.
 *
 * @example
 * ```ts
 * slowEvaluationLine({ stage: "test", ranking: "history_excluded", index: 2, evaluations: 3, users: 40, seconds: 0.01 }); // undefined
 * ```
 */
export function slowEvaluationLine(progress: EvaluationProgress): string | undefined {
  return progress.seconds >= SLOW_EVALUATION_SECONDS ? evaluationLine(progress) : undefined;
}

/** Which of a cell's evaluations is running: its place, stage and protocol. */
export type EvaluationPlace = Pick<
  EvaluationProgress,
  "stage" | "ranking" | "index" | "evaluations"
>;

/**
 * The indented line of an evaluation still running, under the cell's epoch lines: its place,
 * stage and protocol, then the users scored of all, the rate, the time so far and left (a full
 * ranking over every user of a large dataset runs for minutes).
 *
 * @example
 * ```ts
 * runningEvaluationLine(
 *   { stage: "test", ranking: "history_excluded", index: 2, evaluations: 3 },
 *   { done: 512, total: 2048, seconds: 4 },
 * );
 * // "    evaluation 2/3 test (history excluded): 512/2048 users, 128 users/s, 4.0 s, about 12 s of it left"
 * ```
 */
export function runningEvaluationLine(place: EvaluationPlace, progress: WorkProgress): string {
  const { stage, ranking, index, evaluations } = place;
  return workProgressLine(
    `    evaluation ${index}/${evaluations} ${stage} (${ranking.replace("_", " ")})`,
    USERS,
    progress,
  );
}
