/**
 * Recommend for a user and say why: the model's top item for each user's test-time history (items
 * the user already has are not recommended, as in the evaluation protocol; of items with equal
 * scores the lowest internal id, so that the same scores give the same recommendation on every
 * backend and run), and an attribution that
 * gives each (history item, modality) pair a contribution (positive = supports what is explained;
 * gradient x input by default, normalised per user). What is explained is
 * {@linkcode ExplainOptions.explain}:
 *
 * - `"recommendation"` (default), "why this item?": the cross-entropy of the recommended item at
 *   the last position, given the whole history the model reads. It changes with the item.
 * - `"history"`, "what drives this user's history?": the loss Demure's noise attribution uses,
 *   next-item cross-entropy averaged over every position of the history continued by the
 *   recommended item. The recommended item is only the last of its n terms, so the explanation
 *   hardly depends on it (on the synthetic benchmark, 60 users and a SASRec trained 15 epochs, the
 *   explanations of two different items had a median Spearman correlation of 0.90 per user and
 *   the same top reason for 46 users, against -0.10 and 4 with `"recommendation"`).
 *
 * @example
 * ```ts
 * const { recommendations, histories } = await explainRecommendations(model, split, { users: 3 });
 * console.log(describeRecommendation(recommendations[0]));
 * await display(histories.heatmap(recommendations[0].userIndex));
 * ```
 */
import { attributeBatch } from "../attribution/attribute_batch.ts";
import { withNextItemTargets } from "../attribution/sequence_loss.ts";
import type { OcclusionProgressCallback } from "../attribution/progress.ts";
import { ATTRIBUTION_METHODS, type AttributionConfig } from "../attribution/types.ts";
import { checkUserIds, evaluationBatches } from "../data/protocol/batcher.ts";
import type { LeaveOneOutSplit } from "../data/types.ts";
import type { LossPositions } from "../losses/recommendation.ts";
import { modelScorer } from "../eval/scorer.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import {
  checkInteger,
  checkOneOf,
  checkSettingNames,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";
import { AttributedHistories, type ContributionRow } from "./attributed_histories.ts";

/** One user's recommendation and the reasons for it. */
export interface Recommendation {
  /** External user id. */
  user: string;
  /** Internal user id. */
  userIndex: number;
  /** The recommended item (title or external id) and its internal id. */
  item: string;
  /** Internal id of the recommended item (of equally scored top items, the lowest id). */
  itemIndex: number;
  /** The item the user actually chose next (the test target). */
  actualNext: string;
  /**
   * The strongest (history item, modality) pairs, strongest first: behind the recommended item, or
   * behind the history as a whole when {@linkcode Recommendation.explain} is `"history"`.
   */
  reasons: ContributionRow[];
  /** What the reasons explain ({@linkcode ExplainOptions.explain}). */
  explain: ExplanationTarget;
}

/** What an explanation attributes: {@linkcode ExplainOptions.explain}. */
export type ExplanationTarget = "recommendation" | "history";

/** Every {@linkcode ExplanationTarget}. */
export const EXPLANATION_TARGETS: readonly ExplanationTarget[] = Object.freeze([
  "recommendation",
  "history",
]);

/** Which loss positions each {@linkcode ExplanationTarget} attributes (see the module comment). */
const POSITIONS_OF: Readonly<Record<ExplanationTarget, LossPositions>> = Object.freeze({
  recommendation: "last",
  history: "all",
});

/** Options of {@linkcode explainRecommendations}; ranges in `docs/configuration.md`. */
export interface ExplainOptions {
  /**
   * Whom to explain: how many (the first `users` of the test split, 1 up to its users), or which
   * (a list of distinct internal user ids, in the order given). Default 8.
   */
  users?: number | readonly number[];
  /** Attribution method (default `gradient_x_input`). */
  method?: AttributionConfig["method"];
  /** Reasons kept per recommendation, integer >= 1 (default 3). */
  reasons?: number;
  /**
   * What is attributed (default `"recommendation"`): the loss of the recommended item at the last
   * position given the whole history ("why this item?"), or `"history"`, the next-item loss
   * averaged over every position of the history continued by it, as Demure's noise attribution
   * ("what drives this user's history?"; it hardly depends on the recommended item).
   */
  explain?: ExplanationTarget;
}

/**
 * The defaults of {@linkcode ExplainOptions}: the first 8 users of the test split, gradient x
 * input, 3 reasons each, explaining the recommended item.
 */
export const DEFAULT_EXPLAIN_OPTIONS: Readonly<Required<ExplainOptions>> = Object.freeze({
  users: 8,
  method: "gradient_x_input",
  reasons: 3,
  explain: "recommendation",
});

/** Every setting of {@linkcode ExplainOptions}. */
export const EXPLAIN_OPTIONS_SETTINGS: SettingNames<ExplainOptions> = Object.freeze({
  users: true,
  method: true,
  reasons: true,
  explain: true,
});

/** What {@linkcode explainRecommendations} returns. */
export interface Explanations {
  /** One recommendation per explained user, with its reasons. */
  recommendations: Recommendation[];
  /** The whole attribution, for tables, heatmaps and the aggregate by modality. */
  histories: AttributedHistories;
  /** The attribution method used. */
  method: AttributionConfig["method"];
  /** What was attributed ({@linkcode ExplainOptions.explain}). */
  explain: ExplanationTarget;
}

/** Every item the user has interacted with before the test target (never recommended). */
function seenItems(split: LeaveOneOutSplit, user: number): Set<number> {
  return new Set([...split.train[user], split.validTarget[user]]);
}

/**
 * The model's top item for each user (see the module comment), with the reasons. Occlusion costs
 * one forward pass of every explained user per (position, modality) column: `onOcclusionProgress`
 * hears each tenth of the columns (default: nothing, as the other explanations print nothing;
 * pass `(p) => console.log(occlusionLine(p))` for lines with the time left). The other methods are
 * one pass and report nothing; the explanation is the same with or without it.
 */
export async function explainRecommendations(
  model: SequentialRecommender,
  split: LeaveOneOutSplit,
  options: ExplainOptions = {},
  onOcclusionProgress?: OcclusionProgressCallback,
): Promise<Explanations> {
  checkSettingNames("ExplainOptions", options, EXPLAIN_OPTIONS_SETTINGS);
  // Left out or undefined: the default; null is a value, refused below (it explained the default).
  const { users, method, reasons, explain } = withDefaults(DEFAULT_EXPLAIN_OPTIONS, options);
  const numUsers = split.train.length;
  if (typeof users === "number") {
    // More users than the split has would be cut to its users silently: refused instead.
    checkInteger("ExplainOptions.users", users, { min: 1, max: numUsers });
  } else if (Array.isArray(users)) {
    checkUserIds("ExplainOptions.users", users, numUsers);
  } else {
    throw new SettingError(
      "ExplainOptions.users",
      users,
      `an integer >= 1 and <= ${numUsers}, or a list of internal user ids`,
    );
  }
  checkOneOf("ExplainOptions.method", method, ATTRIBUTION_METHODS);
  checkInteger("ExplainOptions.reasons", reasons, { min: 1 });
  checkOneOf("ExplainOptions.explain", explain, EXPLANATION_TARGETS);
  const { batch, targets } = typeof users === "number"
    ? evaluationBatches(split, "test", users)[0]
    : evaluationBatches(split, "test", users.length, users)[0];
  const scores = await modelScorer(model).score(batch);
  const numItems = model.numItems;
  const recommended = Int32Array.from({ length: batch.batchSize }, (_, row) => {
    const seen = seenItems(split, batch.users[row]);
    let best = -1;
    for (let item = 0; item < numItems; item++) {
      if (seen.has(item)) continue;
      if (best < 0 || scores[row * numItems + item] > scores[row * numItems + best]) best = item;
    }
    if (best < 0) {
      // -1 would reach the attribution as an item id (the row of no item).
      const user = split.dataset.userIds[batch.users[row]];
      throw new Error(
        `explainRecommendations: user ${user} has every item already: none to recommend`,
      );
    }
    return best;
  });
  // The history continued by the recommended item (not the true next one); "recommendation"
  // scores only that last target, "history" every next item of it.
  const explained = withNextItemTargets(batch, recommended);
  const result = await attributeBatch(
    model,
    explained,
    { method },
    POSITIONS_OF[explain],
    onOcclusionProgress,
  );
  const histories = new AttributedHistories(
    result,
    explained,
    split.dataset,
    model.modalityNames,
  );
  const recommendations = Array.from(batch.users, (userIndex, row) => ({
    user: split.dataset.userIds[userIndex],
    userIndex,
    item: histories.itemName(recommended[row]),
    itemIndex: recommended[row],
    actualNext: histories.itemName(targets[row]),
    reasons: histories.strongest(userIndex, reasons),
    explain,
  }));
  return { recommendations, histories, method, explain };
}

/**
 * One sentence: what was recommended, what came next, and the strongest reasons (for an explanation
 * of the history, `"history"`, the sentence says they drive the history, not the item).
 *
 * @example
 * ```ts
 * describeRecommendation(recommendation);
 * // 'user 1: "Heat" (actual next: "Fargo") mainly because of the genre of "Alien" (2.10); ...'
 * // with explain "history":
 * // 'user 1: "Heat" (actual next: "Fargo"); the history is driven mainly by the genre of ...'
 * ```
 */
export function describeRecommendation(recommendation: Recommendation): string {
  const reasons = recommendation.reasons.map((reason) =>
    `the ${reason.modality} of "${reason.item}" (${reason.normalised.toFixed(2)})`
  );
  const what = `user ${recommendation.user}: "${recommendation.item}" (actual next: ` +
    `"${recommendation.actualNext}")`;
  return recommendation.explain === "history"
    ? `${what}; the history is driven mainly by ${reasons.join("; ")}`
    : `${what} mainly because of ${reasons.join("; ")}`;
}
