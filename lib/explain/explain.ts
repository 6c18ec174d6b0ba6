/**
 * Recommend for a user and say why: the model's top item for each user's test-time history (items
 * the user already has are not recommended, as in the evaluation protocol), and the attribution of
 * the history continued by *that* item, so each (history item, modality) gets its contribution to
 * the recommendation (positive = supports it). The loss attributed is the one Demure's
 * attribution uses: next-item cross-entropy averaged over the history's positions; gradient x
 * input by default, normalised per user.
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
import { ATTRIBUTION_METHODS, type AttributionConfig } from "../attribution/types.ts";
import { evaluationBatches } from "../data/protocol/batcher.ts";
import type { LeaveOneOutSplit } from "../data/types.ts";
import { modelScorer } from "../eval/scorer.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import {
  checkInteger,
  checkOneOf,
  checkSettingNames,
  type SettingNames,
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
  /** Internal id of the recommended item. */
  itemIndex: number;
  /** The item the user actually chose next (the test target). */
  actualNext: string;
  /** The strongest (history item, modality) pairs behind it, strongest first. */
  reasons: ContributionRow[];
}

/** Options of {@linkcode explainRecommendations}; ranges in `docs/configuration.md`. */
export interface ExplainOptions {
  /** How many users to explain: the first `users` of the test split, 1 up to its users (default 8). */
  users?: number;
  /** Attribution method (default `gradient_x_input`). */
  method?: AttributionConfig["method"];
  /** Reasons kept per recommendation, integer >= 1 (default 3). */
  reasons?: number;
}

/** Every setting of {@linkcode ExplainOptions}. */
export const EXPLAIN_OPTIONS_SETTINGS: SettingNames<ExplainOptions> = Object.freeze({
  users: true,
  method: true,
  reasons: true,
});

/** What {@linkcode explainRecommendations} returns. */
export interface Explanations {
  /** One recommendation per explained user, with its reasons. */
  recommendations: Recommendation[];
  /** The whole attribution, for tables, heatmaps and the aggregate by modality. */
  histories: AttributedHistories;
  /** The attribution method used. */
  method: AttributionConfig["method"];
}

/** Every item the user has interacted with before the test target (never recommended). */
function seenItems(split: LeaveOneOutSplit, user: number): Set<number> {
  return new Set([...split.train[user], split.validTarget[user]]);
}

/** The model's top item for each user (see the module comment), with the reasons. */
export async function explainRecommendations(
  model: SequentialRecommender,
  split: LeaveOneOutSplit,
  options: ExplainOptions = {},
): Promise<Explanations> {
  checkSettingNames("ExplainOptions", options, EXPLAIN_OPTIONS_SETTINGS);
  const users = options.users ?? 8;
  const method = options.method ?? "gradient_x_input";
  // More users than the split has would be cut to its users silently: refused instead.
  checkInteger("ExplainOptions.users", users, { min: 1, max: split.train.length });
  checkOneOf("ExplainOptions.method", method, ATTRIBUTION_METHODS);
  checkInteger("ExplainOptions.reasons", options.reasons ?? 3, { min: 1 });
  const { batch, targets } = evaluationBatches(split, "test", users)[0];
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
  // The history continued by the recommended item (not the true next one): "why this item?".
  const explained = withNextItemTargets(batch, recommended);
  const result = await attributeBatch(model, explained, { method });
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
    reasons: histories.strongest(userIndex, options.reasons ?? 3),
  }));
  return { recommendations, histories, method };
}

/**
 * One sentence: what was recommended, what came next, and the strongest reasons.
 *
 * @example
 * ```ts
 * describeRecommendation(recommendation);
 * // 'user 1: "Heat" (actual next: "Fargo") mainly because of the genre of "Alien" (2.10); ...'
 * ```
 */
export function describeRecommendation(recommendation: Recommendation): string {
  const reasons = recommendation.reasons.map((reason) =>
    `the ${reason.modality} of "${reason.item}" (${reason.normalised.toFixed(2)})`
  );
  return `user ${recommendation.user}: "${recommendation.item}" (actual next: ` +
    `"${recommendation.actualNext}") mainly because of ${reasons.join("; ")}`;
}
