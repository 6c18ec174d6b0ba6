/**
 * Ranking evaluation of a {@linkcode Scorer} on a leave-one-out split, in chunks of users so memory
 * stays bounded ([chunk, numItems] scores at a time).
 * - `full` (default): rank the target among ALL items under a named {@linkcode RankingProtocol}:
 *   `history_excluded` (default; the target itself is never excluded) or `history_kept`
 *   (RecBole-compatible full sort). The protocol card names it.
 * - `sampled`: rank the target among the persisted sampled negatives only (labelled).
 * Ties are pessimistic (see metrics.ts). Per-user metric arrays are kept for paired tests.
 *
 * @example
 * ```ts
 * const result = await evaluateRanking(modelScorer(model), split, { stage: "test" });
 * result.metrics["NDCG@10"]; result.perUser["NDCG@10"]; // mean, Float64Array [users]
 * ```
 */
import type { LeaveOneOutSplit } from "../data/types.ts";
import {
  checkUserIds,
  EVALUATION_STAGES,
  evaluationBatches,
  type EvaluationStage,
} from "../data/protocol/batcher.ts";
import {
  DEFAULT_CUTOFFS,
  metricNames,
  metricsAtRank,
  NonFiniteScoreError,
  pessimisticRank,
  pessimisticRankAmong,
} from "./metrics.ts";
import {
  DEFAULT_RANKING_PROTOCOL,
  type EvaluationProtocol,
  RANKING_PROTOCOLS,
  type RankingProtocol,
} from "./protocol.ts";
import { type SampledNegatives, sampledNegativesRowProblem } from "./sampled_negatives.ts";
import type { Scorer } from "./scorer.ts";
import { EventLoopTurns } from "../util/event_loop.ts";
import { type WorkProgressListener, workProgressReporter } from "../util/work_progress.ts";
import {
  checkInteger,
  checkOneOf,
  checkOptionalText,
  checkSettingNames,
  describeRange,
  SEED_RANGE,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

/** Users per evaluation chunk unless a run says otherwise (one chunk's scores are [256, items]). */
export const DEFAULT_EVAL_CHUNK_SIZE = 256;

/** Configuration of {@linkcode evaluateRanking}; ranges in `docs/configuration.md`. */
export interface EvaluationConfig {
  /** `"valid"` or `"test"`. Default "test". */
  stage: EvaluationProtocol["stage"];
  /**
   * Distinct integers K >= 1, at most the number of items a target is ranked among (the catalogue
   * under full ranking, 1 + the negatives under sampled ranking). Default [5, 10, 20].
   */
  cutoffs?: readonly number[];
  /** Full ranking only: which items are candidates. Default {@linkcode DEFAULT_RANKING_PROTOCOL}. */
  ranking?: RankingProtocol;
  /** Users per chunk, integer >= 1. Default {@linkcode DEFAULT_EVAL_CHUNK_SIZE}. */
  chunkSize?: number;
  /**
   * Sampled ranking against these negatives (drawn for this split's dataset) instead of full
   * ranking. Default undefined (full).
   */
  sampled?: SampledNegatives;
  /**
   * For the protocol card: the training loss description ("none" for a non-neural baseline).
   * Default unstated: the card says so rather than guess.
   */
  loss?: string;
  /**
   * For the protocol card: the run's seed (integer >= 0 and <= 2^31 - 1). Default unstated: the
   * card says so rather than guess.
   */
  seed?: number;
  /** Evaluate only these users (distinct internal ids, a non-empty list). Default all. */
  users?: Int32Array;
}

/** Every setting of {@linkcode EvaluationConfig}, the optional ones included. */
export const EVALUATION_CONFIG_SETTINGS: SettingNames<EvaluationConfig> = Object.freeze({
  stage: true,
  cutoffs: true,
  ranking: true,
  chunkSize: true,
  sampled: true,
  loss: true,
  seed: true,
  users: true,
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` that
 * is unknown or out of range for `split`; ranges in `docs/configuration.md`. An absent `stage` is
 * the documented default, test.
 */
export function validateEvaluationConfig(config: EvaluationConfig, split: LeaveOneOutSplit): void {
  checkSettingNames("EvaluationConfig", config, EVALUATION_CONFIG_SETTINGS);
  if (config.stage !== undefined) checkOneOf(settingName("stage"), config.stage, EVALUATION_STAGES);
  if (config.chunkSize !== undefined) {
    checkInteger(settingName("chunkSize"), config.chunkSize, { min: 1 });
  }
  if (config.seed !== undefined) checkInteger(settingName("seed"), config.seed, SEED_RANGE);
  checkOptionalText(
    settingName("loss"),
    config.loss,
    "a string (the training loss's description)",
  );
  checkRanking(config, split);
  if (config.cutoffs !== undefined) checkCutoffs(config.cutoffs, config.sampled, split);
  if (config.users !== undefined) {
    checkUserIds(settingName("users"), config.users, split.train.length);
  }
}

/** The full name of an {@linkcode EvaluationConfig} field, as errors name it. */
function settingName(field: keyof EvaluationConfig): string {
  return `EvaluationConfig.${field}`;
}

/** The ranking: sampled negatives of this split's dataset, or a full-ranking protocol. */
function checkRanking(config: EvaluationConfig, split: LeaveOneOutSplit): void {
  const { sampled } = config;
  if (sampled === undefined) {
    if (config.ranking !== undefined) {
      checkOneOf(settingName("ranking"), config.ranking, RANKING_PROTOCOLS);
    }
    return;
  }
  if (config.ranking !== undefined) {
    // Sampled ranking ranks against the negatives only: a protocol given too would be ignored.
    throw new SettingError(
      settingName("ranking"),
      config.ranking,
      `undefined with ${settingName("sampled")} (sampled ranking has no full-ranking protocol)`,
    );
  }
  const fingerprint = split.dataset.metadata.fingerprint;
  // Negatives drawn for another dataset would rank against the wrong items, silently.
  if (
    sampled.datasetFingerprint !== fingerprint ||
    sampled.negatives?.length !== split.train.length
  ) {
    throw new SettingError(
      settingName("sampled"),
      `negatives of dataset ${sampled.datasetFingerprint} for ${sampled.negatives?.length} users`,
      `the negatives of this split's dataset (${fingerprint}, ${split.train.length} users)`,
    );
  }
  // No negatives at all ranked every target first: HR@1 = 1, a number no model earned.
  checkInteger(`${settingName("sampled")}.count`, sampled.count, { min: 1 });
  // A row holding the user's own target or a history item (a hand-built or edited object; files
  // are checked when loaded) ranked the target against it without a word: a tie with itself.
  sampled.negatives.forEach((row, user) => {
    // A missing row is named when the user is ranked; an id outside the catalogue, when read.
    if (!Array.isArray(row)) return;
    const problem = sampledNegativesRowProblem(row, user, split, sampled.count, true);
    if (problem === undefined) return;
    throw new SettingError(
      `${settingName("sampled")}.negatives[${user}]`,
      row,
      `${sampled.count} distinct items that user ${split.dataset.userIds[user]} (index ${user}) ` +
        `never interacted with, as the sampler draws them (here ${problem})`,
    );
  });
}

/** The cut-offs: a non-empty list of distinct integers from 1 to the candidates ranked. */
function checkCutoffs(
  cutoffs: EvaluationConfig["cutoffs"],
  sampled: EvaluationConfig["sampled"],
  split: LeaveOneOutSplit,
): void {
  // An empty list evaluated nothing: empty metrics, silently.
  if (!Array.isArray(cutoffs) || cutoffs.length === 0) {
    throw new SettingError(settingName("cutoffs"), cutoffs, "a non-empty list of integers >= 1");
  }
  const candidates = sampled ? sampled.count + 1 : split.dataset.numItems;
  const range = { min: 1, max: candidates };
  // At or past the candidates every target is a hit: HR@K = 1 says nothing about the model.
  const why = sampled
    ? `a target is ranked among 1 + ${sampled.count} sampled negatives`
    : `a target is ranked among the ${candidates} items of the catalogue`;
  cutoffs.forEach((k, i) => {
    if (typeof k !== "number" || !Number.isInteger(k) || k < range.min || k > range.max) {
      throw new SettingError(
        `${settingName("cutoffs")}[${i}]`,
        k,
        `${describeRange(range, true)} (${why})`,
      );
    }
  });
  if (new Set(cutoffs).size !== cutoffs.length) {
    throw new SettingError(settingName("cutoffs"), cutoffs, "distinct cut-offs");
  }
}

/** Means, per-user values and protocol of one evaluation. */
export interface EvaluationResult {
  /** Mean over users of each metric, e.g. { "HR@10": 0.21, ... }. */
  metrics: Record<string, number>;
  /** Per metric, the value of each evaluated user, aligned with `users`. */
  perUser: Record<string, Float64Array>;
  /** Internal ids of the evaluated users. */
  users: Int32Array;
  /** 0-based pessimistic rank of each user's target. */
  ranks: Int32Array;
  /** The protocol that produced these numbers. */
  protocol: EvaluationProtocol;
}

/**
 * Runs the evaluation. Throws if a user has an empty history (a split bug, never skipped) or if
 * the scorer returns other than batch x numItems scores. Scores
 * are read once per chunk, asynchronously, so this also runs on a GPU backend.
 *
 * `onProgress` (default none: quiet) hears after each chunk the users scored so far of all the
 * split's users (every user is scored; a `users` subset is picked from them), the last event with
 * all of them: a full ranking over every user of a large dataset runs for minutes. It changes no
 * number and no order of work; pass `throttledWorkProgress` of a line for a terminal.
 */
export async function evaluateRanking(
  scorer: Scorer,
  split: LeaveOneOutSplit,
  config: EvaluationConfig = { stage: "test" },
  onProgress?: WorkProgressListener,
): Promise<EvaluationResult> {
  validateEvaluationConfig(config, split);
  const stage: EvaluationStage = config.stage ?? "test";
  const cutoffs = config.cutoffs ?? DEFAULT_CUTOFFS;
  const ranking = config.ranking ?? DEFAULT_RANKING_PROTOCOL;
  const numItems = split.dataset.numItems;
  if (scorer.numItems !== numItems) {
    throw new Error(
      `evaluateRanking: scorer has ${scorer.numItems} items, the dataset ${numItems}`,
    );
  }
  const wanted = config.users ? new Set(config.users) : undefined;
  const users: number[] = [];
  const ranks: number[] = [];
  const ranker = new TargetRanker(scorer.name, split, stage, ranking, config.sampled);
  // Timers and signal listeners (a cell claim's heartbeat, Ctrl-C) run during a long evaluation.
  const eventLoopTurns = new EventLoopTurns();
  const chunkSize = config.chunkSize ?? DEFAULT_EVAL_CHUNK_SIZE;
  const reportProgress = workProgressReporter(split.train.length, onProgress);
  let usersScored = 0;
  for (const { batch, targets } of evaluationBatches(split, stage, chunkSize)) {
    const scores = await scorer.score(batch);
    // Rows are read with stride numItems: a row one score wider (a padding column) shifted every
    // later row, and the ranks came out wrong without a word.
    if (scores.length !== batch.batchSize * numItems) {
      throw new Error(
        `evaluateRanking (${stage}): scorer ${scorer.name} returned ${scores.length} scores for ` +
          `a batch of ${batch.batchSize} users; expected ${batch.batchSize} users x ${numItems} ` +
          `items = ${batch.batchSize * numItems} (row-major [batch, numItems])`,
      );
    }
    for (let row = 0; row < batch.batchSize; row++) {
      const user = batch.users[row];
      if (wanted && !wanted.has(user)) continue;
      if (batch.valid[(row + 1) * batch.length - 1] !== 1) {
        throw new Error(
          `evaluateRanking: user ${split.dataset.userIds[user]} has an empty history`,
        );
      }
      const rowScores = scores.subarray(row * numItems, (row + 1) * numItems);
      ranks.push(ranker.rank(user, rowScores, targets[row]));
      users.push(user);
    }
    usersScored += batch.batchSize;
    reportProgress(usersScored);
    await eventLoopTurns.yieldIfDue();
  }
  // Every user of the split is ranked, so none means a split without users (built by hand): its
  // metrics were reported as 0, a number no user measured.
  if (ranks.length === 0) {
    throw new Error(`evaluateRanking (${stage}): the split has no user to evaluate`);
  }
  return {
    ...metricsOfRanks(ranks, cutoffs),
    users: Int32Array.from(users),
    ranks: Int32Array.from(ranks),
    protocol: evaluationProtocol(scorer.name, split, stage, ranking, config),
  };
}

/** Ranks each user's target among its candidates: the sampled negatives, or the catalogue. */
class TargetRanker {
  readonly #scorerName: string;
  readonly #split: LeaveOneOutSplit;
  readonly #stage: EvaluationStage;
  readonly #sampled: SampledNegatives | undefined;
  /** Full ranking under `history_excluded`: the user's history is not among the candidates. */
  readonly #excludeHistory: boolean;
  /** Full ranking: 1 marks the items left out while a user is ranked (else 0). */
  readonly #excluded: Uint8Array;

  constructor(
    scorerName: string,
    split: LeaveOneOutSplit,
    stage: EvaluationStage,
    ranking: RankingProtocol,
    sampled: SampledNegatives | undefined,
  ) {
    this.#scorerName = scorerName;
    this.#split = split;
    this.#stage = stage;
    this.#sampled = sampled;
    this.#excludeHistory = ranking === "history_excluded";
    this.#excluded = new Uint8Array(split.dataset.numItems);
  }

  /** The pessimistic 0-based rank of `target` among `user`'s candidates under `scores`. */
  rank(user: number, scores: Float32Array, target: number): number {
    const split = this.#split;
    const negatives = this.#sampled?.negatives[user];
    if (this.#sampled && negatives === undefined) {
      // Without this, the user would be ranked against all items, mixed into sampled metrics.
      throw new Error(
        `evaluateRanking (${this.#stage}): the sampled negatives hold no list for user ` +
          `${split.dataset.userIds[user]} (index ${user})`,
      );
    }
    try {
      if (negatives) {
        return pessimisticRankAmong(scores[target], negatives.map((item) => scores[item]));
      }
      const excluded = this.#excluded;
      if (this.#excludeHistory) markHistory(excluded, split, this.#stage, user, 1);
      const rank = pessimisticRank(scores, target, excluded);
      if (this.#excludeHistory) markHistory(excluded, split, this.#stage, user, 0);
      return rank;
    } catch (error) {
      if (!(error instanceof NonFiniteScoreError)) throw error;
      throw nonFiniteScoreFor(error, split, this.#stage, user, target, negatives, this.#scorerName);
    }
  }
}

/** Per-user metrics at each rank, and their means over the users (at least one). */
function metricsOfRanks(
  ranks: readonly number[],
  cutoffs: readonly number[],
): Pick<EvaluationResult, "metrics" | "perUser"> {
  const names = metricNames(cutoffs);
  const perUser: Record<string, Float64Array> = {};
  for (const name of names) perUser[name] = new Float64Array(ranks.length);
  ranks.forEach((rank, i) => {
    const values = metricsAtRank(rank, cutoffs);
    for (const name of names) perUser[name][i] = values[name];
  });
  const metrics: Record<string, number> = {};
  for (const name of names) {
    metrics[name] = perUser[name].reduce((a, b) => a + b, 0) / ranks.length;
  }
  return { metrics, perUser };
}

/** The protocol card of one evaluation. */
function evaluationProtocol(
  model: string,
  split: LeaveOneOutSplit,
  stage: EvaluationStage,
  ranking: RankingProtocol,
  config: EvaluationConfig,
): EvaluationProtocol {
  const numItems = split.dataset.numItems;
  return {
    model,
    dataset: datasetLine(split),
    split: split.protocol,
    // Unstated loss and seed stay absent: "none" and 0 read as facts about a trained model.
    ...(config.loss === undefined ? {} : { loss: config.loss }),
    ranking: rankingLine(numItems, ranking, config.sampled),
    ...(config.sampled ? {} : { rankingProtocol: ranking }),
    stage,
    ...(config.seed === undefined ? {} : { seed: config.seed }),
  };
}

/** The ranking's error, restated with the user, stage and item it concerns. */
function nonFiniteScoreFor(
  error: NonFiniteScoreError,
  split: LeaveOneOutSplit,
  stage: EvaluationStage,
  user: number,
  target: number,
  negatives: readonly number[] | undefined,
  scorer: string,
): Error {
  const { candidate, score } = error;
  const what = candidate === "target"
    ? `its target item ${target}`
    : negatives
    ? `its sampled negative #${candidate}, item ${negatives[candidate]}` +
      (Number.isInteger(negatives[candidate]) && negatives[candidate] >= 0 &&
          negatives[candidate] < split.dataset.numItems
        ? ""
        : ` (not an item id of this dataset's ${split.dataset.numItems} items)`)
    : `item ${candidate}`;
  return new Error(
    `evaluateRanking (${stage}): ${scorer} scores ${what} ${score} for user ` +
      `${split.dataset.userIds[user]} (index ${user}); a non-finite score has no rank`,
    { cause: error },
  );
}

/**
 * Marks (value 1) or unmarks (0) the whole history the user has at this stage: ALL training items
 * (not only the last maxLength the model reads) plus, for test, the validation item.
 */
function markHistory(
  excluded: Uint8Array,
  split: LeaveOneOutSplit,
  stage: EvaluationStage,
  user: number,
  value: 0 | 1,
): void {
  for (const item of split.train[user]) excluded[item] = value;
  if (stage === "test") excluded[split.validTarget[user]] = value;
}

function datasetLine(split: LeaveOneOutSplit): string {
  const d = split.dataset;
  const interactions = d.sequences.reduce((total, s) => total + s.length, 0);
  return `${d.name}: ${d.numUsers} users, ${d.numItems} items, ${interactions} interactions, ` +
    `fingerprint ${d.metadata.fingerprint}`;
}

function rankingLine(
  numItems: number,
  ranking: RankingProtocol,
  sampled?: SampledNegatives,
): string {
  if (sampled) {
    return `SAMPLED ranking: 1 positive + ${sampled.count} persisted negatives (seed ${sampled.seed}, ` +
      `never interacted), ties pessimistic`;
  }
  return `full ranking over all ${numItems} items, ${
    ranking === "history_excluded"
      ? "history items excluded"
      : "history items KEPT as candidates (RecBole-compatible full sort)"
  } [${ranking}], target never excluded, ties pessimistic`;
}
