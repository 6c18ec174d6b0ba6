/**
 * Sampled ranking (1 positive + N negatives, N = 100 by default) as a LABELLED option: negatives are
 * drawn once per user from a seed (uniform over the items the user never interacted with, in any
 * split), persisted to a JSON file, and reused by every later evaluation so numbers stay comparable.
 *
 * @example
 * ```ts
 * const negatives = loadOrCreateSampledNegatives("results/ml-negatives.json", split, { count: 100, seed: 0 });
 * ```
 */
import type { LeaveOneOutSplit } from "../data/types.ts";
import { writeFilesAtomically } from "../data/atomic_write.ts";
import { createRng } from "../util/random.ts";
import {
  checkInteger,
  checkSettingNames,
  SEED_RANGE,
  type SettingNames,
} from "../util/settings.ts";
import { drawUnseenItems, tooFewUnseenItems } from "./_unseen_draw.ts";

/** Options of the negative sampler. */
export interface SampledNegativesConfig {
  /** Negatives per user. Default 100. */
  count: number;
  /** Seed of the draw. Default 0. */
  seed: number;
}

/** Defaults of {@linkcode SampledNegativesConfig}. */
export const DEFAULT_SAMPLED_NEGATIVES: SampledNegativesConfig = Object.freeze({
  count: 100,
  seed: 0,
});

const SAMPLED_NEGATIVES_SETTINGS: SettingNames<SampledNegativesConfig> = Object.freeze({
  count: true,
  seed: true,
});

/** Throws a `SettingError` naming the field unless `config` is a valid draw's settings. */
function validateSampledNegativesConfig(config: SampledNegativesConfig): void {
  checkSettingNames("SampledNegativesConfig", config, SAMPLED_NEGATIVES_SETTINGS);
  checkInteger("SampledNegativesConfig.count", config.count, { min: 1 });
  checkInteger("SampledNegativesConfig.seed", config.seed, SEED_RANGE);
}

/** The persisted negatives. */
export interface SampledNegatives {
  /** Format tag of the file. */
  format: "demure-sampled-negatives/1";
  /** Fingerprint of the dataset the negatives were drawn for. */
  datasetFingerprint: string;
  /** Negatives per user. */
  count: number;
  /** Seed of the draw. */
  seed: number;
  /** Per user (internal index), `count` distinct item ids. */
  negatives: number[][];
}

/** The items `user` interacted with in any split: training history, validation and test target. */
function interactedItems(split: LeaveOneOutSplit, user: number): Set<number> {
  const seen = new Set<number>(split.train[user]);
  seen.add(split.validTarget[user]);
  seen.add(split.testTarget[user]);
  return seen;
}

/**
 * The first way `row` breaks what {@linkcode sampleEvaluationNegatives} guarantees for `user`
 * (`count` distinct item ids of the dataset, none an item the user interacted with), naming the
 * field; undefined when it keeps all of it. With `skipForeignIds`, an entry that is no item id of
 * the dataset is passed over (the evaluation names it when it reads its score).
 */
export function sampledNegativesRowProblem(
  row: unknown,
  user: number,
  split: LeaveOneOutSplit,
  count: number,
  skipForeignIds = false,
): string | undefined {
  const field = `negatives[${user}]`;
  if (!Array.isArray(row)) return `${field} is ${JSON.stringify(row)}, not a list of item ids`;
  if (row.length !== count) return `${field} holds ${row.length} negatives, expected ${count}`;
  const numItems = split.dataset.numItems;
  const seen = interactedItems(split, user);
  const firstAt = new Map<number, number>();
  for (let position = 0; position < row.length; position++) {
    const item: unknown = row[position];
    const at = `${field}[${position}] = ${JSON.stringify(item)}`;
    if (typeof item !== "number" || !Number.isInteger(item) || item < 0 || item >= numItems) {
      if (skipForeignIds) continue;
      return `${at} is not an item id (an integer from 0 to ${numItems - 1})`;
    }
    const earlier = firstAt.get(item);
    if (earlier !== undefined) return `${at} repeats ${field}[${earlier}]`;
    firstAt.set(item, position);
    if (item === split.testTarget[user]) return `${at} is the user's test target`;
    if (item === split.validTarget[user]) return `${at} is the user's validation target`;
    if (seen.has(item)) return `${at} is in the user's training history`;
  }
  return undefined;
}

/**
 * Throws a `SettingError` for `SampledNegativesConfig.count` when some user has fewer unseen items
 * than `count` (checked for every user before anything is drawn): the allowed range's upper end is
 * the fewest unseen items of any user, and the message names that user.
 */
function checkCountAgainstUnseen(
  count: number,
  seenByUser: readonly Set<number>[],
  split: LeaveOneOutSplit,
): void {
  const numItems = split.dataset.numItems;
  let fewest = -1;
  seenByUser.forEach((seen, user) => {
    if (fewest < 0 || seen.size > seenByUser[fewest].size) fewest = user;
  });
  if (fewest < 0) return;
  const unseen = numItems - seenByUser[fewest].size;
  if (count <= unseen) return;
  throw tooFewUnseenItems(count, unseen, userNamed(split, fewest));
}

/** How the errors name `user`: its id and internal index, e.g. `u1 (index 1)`. */
function userNamed(split: LeaveOneOutSplit, user: number): string {
  return `${split.dataset.userIds[user]} (index ${user})`;
}

/**
 * Draws the negatives (no file involved). Throws a `SettingError` naming `count`, its allowed range
 * and the user with the fewest unseen items if that user has fewer than `count`.
 */
export function sampleEvaluationNegatives(
  split: LeaveOneOutSplit,
  config: SampledNegativesConfig = DEFAULT_SAMPLED_NEGATIVES,
): SampledNegatives {
  validateSampledNegativesConfig(config);
  const numItems = split.dataset.numItems;
  const seenByUser = split.train.map((_, user) => interactedItems(split, user));
  checkCountAgainstUnseen(config.count, seenByUser, split);
  const rng = createRng(config.seed);
  const negatives = seenByUser.map((seen, user) =>
    drawUnseenItems(rng, numItems, seen, config.count, userNamed(split, user))
  );
  return {
    format: "demure-sampled-negatives/1",
    datasetFingerprint: split.dataset.metadata.fingerprint,
    count: config.count,
    seed: config.seed,
    negatives,
  };
}

/**
 * Reads the negatives persisted at `path` (checking dataset fingerprint, count, seed, user count
 * and every user's row: `count` distinct item ids, none the user interacted with) or, when the
 * file does not exist, draws them and writes the file atomically. Throws naming the file, the
 * user and the field that does not match.
 */
export function loadOrCreateSampledNegatives(
  path: string,
  split: LeaveOneOutSplit,
  config: SampledNegativesConfig = DEFAULT_SAMPLED_NEGATIVES,
): SampledNegatives {
  validateSampledNegativesConfig(config);
  let text: string | undefined;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (text === undefined) {
    const fresh = sampleEvaluationNegatives(split, config);
    writeFilesAtomically([{ path, data: JSON.stringify(fresh) }]);
    return fresh;
  }
  let stored: SampledNegatives;
  try {
    stored = JSON.parse(text) as SampledNegatives;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const fingerprint = split.dataset.metadata.fingerprint;
  const problems: string[] = [];
  if (stored.format !== "demure-sampled-negatives/1") problems.push(`format "${stored.format}"`);
  if (stored.datasetFingerprint !== fingerprint) {
    problems.push(`dataset fingerprint ${stored.datasetFingerprint} != ${fingerprint}`);
  }
  if (stored.count !== config.count) problems.push(`count ${stored.count} != ${config.count}`);
  if (stored.seed !== config.seed) problems.push(`seed ${stored.seed} != ${config.seed}`);
  // Not a list is said as such: its length (a string's, or undefined) said "negatives for 3 users,
  // expected 3" or "for undefined users", naming neither what was there nor what was wrong.
  if (!Array.isArray(stored.negatives)) {
    const value = String(JSON.stringify(stored.negatives)).slice(0, 40);
    problems.push(`negatives is ${value}, not a list of one row per user`);
  } else if (stored.negatives.length !== split.train.length) {
    problems.push(`negatives for ${stored.negatives.length} users, expected ${split.train.length}`);
  }
  if (problems.length > 0) {
    throw new Error(`${path}: does not match this split: ${problems.join("; ")}`);
  }
  // Row by row, what the sampler guarantees: a truncated or hand-edited row (e.g. one holding the
  // user's own target) was used as it was, and that user's rank silently meant something else.
  stored.negatives.forEach((row, user) => {
    const problem = sampledNegativesRowProblem(row, user, split, config.count);
    if (problem !== undefined) {
      throw new Error(
        `${path}: user ${split.dataset.userIds[user]} (index ${user}): ${problem}; the sampler ` +
          "draws count distinct items the user never interacted with (delete the file to redraw)",
      );
    }
  });
  return stored;
}
