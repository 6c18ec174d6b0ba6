/**
 * The whole training objective of a system, in words, for its protocol card: the recommendation
 * loss L_rec (`describeLoss`) plus, for the systems that add one, the contrastive term lambda·L_cl
 * with its settings, read from the system's definition (the `SystemSpec` a cell ran, which its
 * record stores under `settings.system`). One home for that wording: `runCell` writes it on a new
 * record's card, and the one read of a stored cell that every view goes through (`readFinishedCell`,
 * stored_cells.ts) derives it with {@linkcode protocolWithObjective}, because the records of record
 * (made before 2026-12-07) name L_rec alone and must not be edited. Deriving is idempotent: a card
 * that already names the whole objective is shown as stored.
 *
 * @example
 * ```ts
 * const loss = "cross-entropy over all items, all positions"; // describeLoss, on every card
 * console.log(trainingObjectiveText(SYSTEMS["CL4SRec-MM"], loss));
 * // cross-entropy over all items, all positions + lambda 0.1 × L_cl, CL4SRec's NT-Xent (...)
 * ```
 */
import {
  type Cl4SRecConfig,
  DEFAULT_CL4SREC_CONFIG,
  validateCl4SRecConfig,
} from "../baselines/cl4srec.ts";
import { type DemureConfig, resolveDemureConfig } from "../demure/config.ts";
import type { EvaluationProtocol } from "../eval/protocol.ts";
import { checkSettingNames, withDefaults } from "../util/settings.ts";
import type { SystemSpec } from "./systems.ts";

/** What joins L_rec and the contrastive term: the objective L = L_rec + lambda·L_cl. */
const PLUS = " + ";

/**
 * What the system adds to L_rec's description, "" for none: where L_rec reads a denoised history
 * (Demure's `full` with `denoiseInput`, `attribution_only`, `random_input`) and the contrastive
 * term (Demure's `full` and `contrastive_only`, CL4SRec), each with the settings it trains with.
 * Demure wins over CL4SRec in a spec that names both, as in the runner's hooks. Throws the
 * `SettingError` of the setting out of range (the run would have refused it too).
 */
export function objectiveAdditionText(system: SystemSpec): string {
  if (system.kind !== "neural") return "";
  if (system.demure !== undefined) return demureAddition(resolveDemureConfig(system.demure));
  if (system.cl4srec !== undefined) return PLUS + cl4srecTerm(system.cl4srec);
  return "";
}

/**
 * The whole training objective: `recommendationLoss` (the card's L_rec, e.g. "cross-entropy over
 * all items, all positions") with {@linkcode objectiveAdditionText} of `system` appended, unless it
 * already ends with it (a card written since the whole objective is stored). "none" (a system that
 * is not trained) and an unstated loss stay as they are: nothing is made up.
 */
export function trainingObjectiveText(
  system: SystemSpec,
  recommendationLoss: string | undefined,
): string | undefined {
  if (recommendationLoss === undefined || system.kind !== "neural") return recommendationLoss;
  const addition = objectiveAdditionText(system);
  return addition === "" || recommendationLoss.endsWith(addition)
    ? recommendationLoss
    : recommendationLoss + addition;
}

/**
 * L_rec alone, from a card's loss line: the line without the system's addition, for a statement
 * that every neural system shares (the report's "training loss" line).
 */
export function recommendationLossText(
  system: SystemSpec,
  loss: string | undefined,
): string | undefined {
  if (loss === undefined || system.kind !== "neural") return loss;
  const addition = objectiveAdditionText(system);
  return addition !== "" && loss.endsWith(addition) ? loss.slice(0, -addition.length) : loss;
}

/**
 * The card of a result of `system` with its loss line naming the whole training objective
 * ({@linkcode trainingObjectiveText}); the stored card is not changed.
 */
export function protocolWithObjective(
  protocol: EvaluationProtocol,
  system: SystemSpec,
): EvaluationProtocol {
  const loss = trainingObjectiveText(system, protocol.loss);
  return loss === undefined ? { ...protocol } : { ...protocol, loss };
}

/** Demure's addition to L_rec: its denoised input (if read) and its contrastive term (if any). */
function demureAddition(config: DemureConfig): string {
  const { variant, rho } = config;
  const masks = variant === "full" || variant === "attribution_only"
    ? `the attributed noise (rho ${rho})`
    : `random modality masks (rho ${rho})`;
  const denoisedInput = variant === "attribution_only" || variant === "random_input" ||
    (variant === "full" && config.denoiseInput);
  const input = denoisedInput
    ? `, read on the history with ${masks} masked after the warm-up` +
      (variant === "random_input" ? " (one draw per user)" : "")
    : "";
  if (variant === "attribution_only" || variant === "random_input") return input;
  const negatives = config.noiseViewAsNegative
    ? "the batch's other positives and the noise-only view"
    : "the batch's other positives";
  return `${input}${PLUS}lambda ${config.lambda} × L_cl, Demure's contrastive InfoNCE ` +
    `(temperature ${config.temperature}, cosine; anchor: the full history; positive: ${masks} ` +
    `masked; negatives: ${negatives}) after the warm-up`;
}

/** How the card names each similarity of two views' states. */
const SIMILARITY_WORDS: Readonly<Record<Cl4SRecConfig["similarity"], string>> = {
  dot: "dot product",
  cosine: "cosine",
};

/** CL4SRec's contrastive term, lambda·L_cl, with the settings its hooks train with. */
function cl4srecTerm(input: Partial<Cl4SRecConfig>): string {
  checkSettingNames("Cl4SRecConfig", input, DEFAULT_CL4SREC_CONFIG);
  const config = withDefaults(DEFAULT_CL4SREC_CONFIG, input);
  validateCl4SRecConfig(config);
  const ratios = { crop: config.cropRatio, mask: config.maskRatio, reorder: config.reorderRatio };
  const views = config.augmentations.map((name) => `${name} ${ratios[name]}`).join(", ");
  const form = config.loss === "nt_xent"
    ? "CL4SRec's NT-Xent (both directions, the batch's other views as negatives)"
    : "one-directional InfoNCE (the batch's other second views as negatives)";
  return `lambda ${config.weight} × L_cl, ${form} between two augmented views of each window ` +
    `(one of ${views}; ${SIMILARITY_WORDS[config.similarity]}, temperature ${config.temperature})`;
}
