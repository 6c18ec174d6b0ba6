/**
 * Explanations: recommend for a user and say why, as typed rows of (history item, modality,
 * contribution); named views of any attribution (by user, by modality, as a table, as a danfo
 * DataFrame, as a heatmap).
 *
 * @example
 * ```ts
 * import { describeRecommendation, explainRecommendations } from "./mod.ts";
 * const { recommendations } = await explainRecommendations(model, split, { users: 3 });
 * recommendations.map(describeRecommendation).forEach((line) => console.log(line));
 * ```
 *
 * @module
 */
export {
  AttributedHistories,
  type ContributionRow,
  DEFAULT_HEATMAP_LABEL_LENGTH,
  DEFAULT_HEATMAP_LAST_ITEMS,
  type HistoryHeatmapOptions,
  type ModalityRow,
  type RowFilter,
  rowsFrame,
  rowsTable,
  type RowTable,
  type UserModalityRow,
} from "./attributed_histories.ts";
export {
  DEFAULT_EXPLAIN_OPTIONS,
  describeRecommendation,
  type ExplainOptions,
  explainRecommendations,
  EXPLANATION_TARGETS,
  type Explanations,
  type ExplanationTarget,
  type Recommendation,
} from "./explain.ts";
