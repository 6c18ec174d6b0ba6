/**
 * The protocol card carried by every evaluation result, so no number travels without the
 * conditions that produced it.
 *
 * @example
 * ```ts
 * console.log(formatProtocol(result.protocol));
 * ```
 */

/** Which split an evaluation ranks the targets of. */
export type EvaluationStage = "valid" | "test";

/** Everything needed to reproduce or compare a number. */
export interface EvaluationProtocol {
  /** The scorer's name (model and modalities). */
  model: string;
  /** One line of dataset statistics: name, users, items, interactions, fingerprint. */
  dataset: string;
  /** The split's protocol lines. */
  split: string[];
  /** The training loss (see describeLoss), or "none" for non-neural baselines. */
  loss: string;
  /** e.g. "full ranking over all 3,416 items, history items excluded, ties pessimistic". */
  ranking: string;
  stage: EvaluationStage;
  seed: number;
}

/** The protocol as printable lines. */
export function formatProtocol(protocol: EvaluationProtocol): string {
  return [
    `model: ${protocol.model}`,
    `dataset: ${protocol.dataset}`,
    `split: ${protocol.split.join("; ")}`,
    `loss: ${protocol.loss}`,
    `ranking: ${protocol.ranking}`,
    `stage: ${protocol.stage}, seed: ${protocol.seed}`,
  ].join("\n");
}
