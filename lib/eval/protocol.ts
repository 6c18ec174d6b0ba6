/**
 * The protocol card carried by every evaluation result, so no number travels without the
 * conditions that produced it.
 *
 * @example
 * ```ts
 * console.log(formatProtocol(result.protocol));
 * ```
 */
import type { EvaluationStage } from "../data/protocol/batcher.ts";

/**
 * The full-ranking protocol: which items compete with the target. One named choice, used by
 * validation (hence early stopping and model selection) and test alike, and printed on the card.
 * - `history_excluded` (default): every item except the user's history items (all training items,
 *   plus the validation item at test); the common protocol of SASRec-style papers.
 * - `history_kept`: every item, history included, as RecBole's full-sort evaluation of sequential
 *   models does; use it to compare with RecBole-based papers. Scores are lower, because items the
 *   user already consumed (often scored high) stay ahead of the target.
 * The target itself is never excluded.
 */
export type RankingProtocol = "history_excluded" | "history_kept";

/** The protocol used when none is given. */
export const DEFAULT_RANKING_PROTOCOL: RankingProtocol = "history_excluded";

/** Every ranking protocol, in display order. */
export const RANKING_PROTOCOLS: readonly RankingProtocol[] = ["history_excluded", "history_kept"];

/** Throws a clear error unless `value` names a {@linkcode RankingProtocol}. */
export function parseRankingProtocol(value: string, setting = "ranking"): RankingProtocol {
  if (!(RANKING_PROTOCOLS as readonly string[]).includes(value)) {
    throw new Error(`${setting}: "${value}" is not one of ${RANKING_PROTOCOLS.join(", ")}`);
  }
  return value as RankingProtocol;
}

/** Everything needed to reproduce or compare a number. */
export interface EvaluationProtocol {
  /** The scorer's name (model and modalities). */
  model: string;
  /** One line of dataset statistics: name, users, items, interactions, fingerprint. */
  dataset: string;
  /** The split's protocol lines. */
  split: string[];
  /**
   * The training loss (see describeLoss), or "none" for non-neural baselines; absent when the
   * evaluation was not told it (the card then reads "unstated", never a made-up loss). A cell's
   * card names its whole objective, L_rec plus its system's contrastive term (`runCell`, from
   * `trainingObjectiveText`); cards stored before 2026-12-07 name L_rec alone, and get the term
   * derived from their settings where stored results are read (`readFinishedCell`).
   */
  loss?: string;
  /** e.g. "full ranking over all 3,416 items, history items excluded, ties pessimistic". */
  ranking: string;
  /** The named full-ranking protocol (absent for sampled ranking and for older result files). */
  rankingProtocol?: RankingProtocol;
  /** Which split an evaluation ranks the targets of: validation or test. */
  stage: EvaluationStage;
  /** Seed of the run that produced the model; absent when the evaluation was not told it. */
  seed?: number;
}

/** What the card prints for a loss or seed the evaluation was not given. */
export const UNSTATED = "unstated";

/** The protocol as printable lines; a loss or seed not stated reads {@linkcode UNSTATED}. */
export function formatProtocol(protocol: EvaluationProtocol): string {
  return [
    `model: ${protocol.model}`,
    `dataset: ${protocol.dataset}`,
    `split: ${protocol.split.join("; ")}`,
    `loss: ${protocol.loss ?? UNSTATED}`,
    `ranking: ${protocol.ranking}`,
    `stage: ${protocol.stage}, seed: ${protocol.seed ?? UNSTATED}`,
  ].join("\n");
}
