/**
 * Turns a split into left-padded `SequenceBatch`es: training batches (next-item target at every
 * position) in a seeded order, and evaluation batches (validation or test).
 */
import { createRng } from "../../util/random.ts";
import {
  checkBoolean,
  checkInteger,
  checkOneOf,
  checkSettingNames,
  SEED_RANGE,
  SettingError,
  type SettingNames,
} from "../../util/settings.ts";
import type { LeaveOneOutSplit, SequenceBatch } from "../types.ts";

/** Options of the training batcher. */
export interface BatcherConfig {
  /**
   * Rows per batch (default 128), an integer >= 1. A row is one (user, window): a user whose
   * history spans several windows fills several rows (see {@linkcode BatcherConfig.windows}).
   */
  batchSize: number;
  /**
   * Seed of the row order, an integer >= 0 and <= 2^31 - 1 (default 0); each epoch draws a new
   * order from `seed` and the epoch number.
   */
  seed: number;
  /** Shuffle users each epoch (default true); false keeps user order. */
  shuffle: boolean;
  /**
   * Which parts of a training history longer than `maxLength` are trained on (default `"all"`):
   * `"all"` cuts the whole history into consecutive windows of `maxLength` next-item pairs, the
   * most recent first, so every training interaction is a target once per epoch (RecBole's
   * practice); `"last"` keeps only the most recent window (SASRec's original recipe).
   */
  windows?: "all" | "last";
}

/** Default batcher configuration. */
export const DEFAULT_BATCHER: BatcherConfig = Object.freeze({
  batchSize: 128,
  seed: 0,
  shuffle: true,
  windows: "all",
});

/** Every setting of {@linkcode BatcherConfig}, the optional ones included. */
export const BATCHER_CONFIG_SETTINGS: SettingNames<BatcherConfig> = Object.freeze({
  batchSize: true,
  seed: true,
  shuffle: true,
  windows: true,
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` that is
 * unknown or out of range; `epoch` must be an integer >= 0.
 */
export function validateBatcherConfig(config: BatcherConfig, epoch: number): void {
  // A mistyped name (`window: "last"`) would silently train on every window.
  checkSettingNames("BatcherConfig", config, BATCHER_CONFIG_SETTINGS);
  // A batch size below 1 would never advance the batching loop (and grow memory without bound).
  checkInteger("BatcherConfig.batchSize", config.batchSize, { min: 1 });
  // The order's seed is seed * 1000003 + epoch: a fraction or NaN there is no seed of the library.
  checkInteger("BatcherConfig.seed", config.seed, SEED_RANGE);
  checkInteger("trainingBatches: epoch", epoch, { min: 0 });
  // A string "false" would shuffle.
  checkBoolean("BatcherConfig.shuffle", config.shuffle);
  if (config.windows !== undefined) {
    checkOneOf("BatcherConfig.windows", config.windows, ["all", "last"]);
  }
}

/**
 * Which held-out target of a leave-one-out split an evaluation ranks: `"valid"` (the
 * second-to-last item) or `"test"` (the last).
 */
export type EvaluationStage = "valid" | "test";

/** Every evaluation stage. */
export const EVALUATION_STAGES: readonly EvaluationStage[] = ["valid", "test"];

/** An evaluation batch: the histories and one target item per row. */
export interface EvaluationBatch {
  /** The histories. */
  batch: SequenceBatch;
  /** `[batch]` the item to rank for each row. */
  targets: Int32Array;
}

/**
 * Packs histories into `[batch, length]` arrays, left-padded (real items end at the last column),
 * each cut to its most recent `length` items. `targetsOf`, when given, supplies the aligned
 * next-item targets.
 *
 * @example
 * ```ts
 * padLeft([0], [Int32Array.of(4, 5)], 3).items; // Int32Array [0, 4, 5]
 * ```
 */
export function padLeft(
  users: number[],
  histories: Int32Array[],
  length: number,
  targetSequences?: Int32Array[],
): SequenceBatch {
  const batchSize = users.length;
  const items = new Int32Array(batchSize * length);
  const valid = new Float32Array(batchSize * length);
  const targets = targetSequences ? new Int32Array(batchSize * length) : undefined;
  histories.forEach((history, row) => {
    const kept = history.subarray(Math.max(0, history.length - length));
    const offset = row * length + (length - kept.length);
    items.set(kept, offset);
    valid.fill(1, offset, offset + kept.length);
    if (targets && targetSequences) {
      const target = targetSequences[row];
      targets.set(target.subarray(Math.max(0, target.length - length)), offset);
    }
  });
  return { users: Int32Array.from(users), items, valid, targets, batchSize, length };
}

/**
 * Training batches for one epoch: for user u with training items s_1..s_n, inputs s_1..s_{n-1}
 * and targets s_2..s_n, in windows of at most `split.maxLength` pairs (see
 * {@linkcode BatcherConfig.windows}). Each row is one (user, window); `windows[row]` is 0 for the
 * most recent window, 1 for the one before, and so on. Users with fewer than 2 training items
 * have no pair and are skipped (listed nowhere else: count them with `split.train`). The order is a
 * seeded permutation of the rows per epoch. Throws a `SettingError` for a setting that is unknown
 * or out of range ({@linkcode validateBatcherConfig}).
 *
 * @example
 * ```ts
 * for (const batch of trainingBatches(split, 0, { batchSize: 64, seed: 1, shuffle: true })) {
 *   // batch.items, batch.targets: [batch, length]
 * }
 * ```
 */
export function trainingBatches(
  split: LeaveOneOutSplit,
  epoch: number,
  config: BatcherConfig = DEFAULT_BATCHER,
): SequenceBatch[] {
  validateBatcherConfig(config, epoch);
  const length = split.maxLength;
  const rows: { user: number; window: number }[] = [];
  for (const [user, items] of split.train.entries()) {
    const count = windowCount(items.length, length, config.windows);
    for (let window = 0; window < count; window++) rows.push({ user, window });
  }
  if (config.shuffle) createRng(config.seed * 1000003 + epoch).shuffle(rows);
  const batches: SequenceBatch[] = [];
  for (let start = 0; start < rows.length; start += config.batchSize) {
    const chunk = rows.slice(start, start + config.batchSize);
    // Window w holds pairs [end - length, end) with end = pairs - w * length.
    const ends = chunk.map(({ user, window }) => split.train[user].length - 1 - window * length);
    const inputs = chunk.map(({ user }, i) =>
      split.train[user].subarray(Math.max(0, ends[i] - length), ends[i])
    );
    const targets = chunk.map(({ user }, i) =>
      split.train[user].subarray(Math.max(0, ends[i] - length) + 1, ends[i] + 1)
    );
    const batch = padLeft(chunk.map((row) => row.user), inputs, length, targets);
    batches.push({ ...batch, windows: Int32Array.from(chunk, (row) => row.window) });
  }
  return batches;
}

/**
 * How many batches {@linkcode trainingBatches} gives per epoch (the same every epoch: only the
 * rows' order depends on it), counted without building them. Throws as `trainingBatches` does.
 *
 * @example
 * ```ts
 * trainingBatchCount(split, { batchSize: 64, seed: 1, shuffle: true }); // e.g. 3
 * ```
 */
export function trainingBatchCount(
  split: LeaveOneOutSplit,
  config: BatcherConfig = DEFAULT_BATCHER,
): number {
  validateBatcherConfig(config, 0);
  const rows = trainingWindowsPerUser(split, config.windows).reduce((sum, n) => sum + n, 0);
  return Math.ceil(rows / config.batchSize);
}

/**
 * The training rows (windows, see {@linkcode BatcherConfig.windows}) of each user's history, in
 * user order: what {@linkcode trainingBatches} cuts into batches every epoch (0 for a history
 * without a next-item pair). Their sum is an epoch's rows; batches are full but the last, which
 * holds the rows left over.
 *
 * @example
 * ```ts
 * trainingWindowsPerUser(split, "all"); // e.g. [1, 3, 0]
 * ```
 */
export function trainingWindowsPerUser(
  split: LeaveOneOutSplit,
  windows: BatcherConfig["windows"] = DEFAULT_BATCHER.windows,
): number[] {
  checkOneOf("BatcherConfig.windows", windows, ["all", "last"]);
  return split.train.map((items) => windowCount(items.length, split.maxLength, windows));
}

/**
 * The rows (windows) a training history of `items` items fills (`items - 1` targets); 0 below 2
 * items.
 */
function windowCount(items: number, length: number, windows: BatcherConfig["windows"]): number {
  const pairs = items - 1;
  if (pairs < 1) return 0;
  return windows === "last" ? 1 : Math.ceil(pairs / length);
}

/**
 * Throws a `SettingError` naming `setting[i]` unless `listed` is a non-empty list of distinct
 * internal user ids (integers in 0..numUsers - 1). An empty list gave means of 0, an unknown id
 * was skipped and a repeated one dropped (the list read as a set): each silently.
 */
export function checkUserIds(setting: string, listed: unknown, numUsers: number): void {
  // Array.from(null) is a bare TypeError naming no setting; a number or a string is no list.
  if (
    listed === null || typeof listed !== "object" ||
    typeof (listed as ArrayLike<unknown>).length !== "number"
  ) {
    throw new SettingError(setting, listed, "a non-empty list of internal user ids");
  }
  const users = Array.from(listed as ArrayLike<unknown>);
  if (users.length === 0) {
    throw new SettingError(setting, users, "a non-empty list of internal user ids");
  }
  const firstIndex = new Map<number, number>();
  users.forEach((user, i) => {
    checkInteger(`${setting}[${i}]`, user, { min: 0, max: numUsers - 1 });
    const earlier = firstIndex.get(user as number);
    if (earlier !== undefined) {
      throw new SettingError(
        `${setting}[${i}]`,
        user,
        `distinct user ids (user ${user} is already at index ${earlier})`,
      );
    }
    firstIndex.set(user as number, i);
  });
}

/**
 * Evaluation batches in user order, or of `users` (internal ids, checked by
 * {@linkcode checkUserIds}) in their order. `"valid"`: history = training items, target =
 * validation item; `"test"`: history = training items + validation item, target = test item.
 * Another stage or a batch size below 1 is a `SettingError`.
 *
 * @example
 * ```ts
 * const [first] = evaluationBatches(split, "test", 256);
 * first.targets[0] === split.testTarget[0]; // true
 * ```
 */
export function evaluationBatches(
  split: LeaveOneOutSplit,
  stage: EvaluationStage,
  batchSize: number,
  users?: readonly number[],
): EvaluationBatch[] {
  // Anything but "valid" read as "test": an untyped caller's "validation" selected on the test
  // targets without a word.
  checkOneOf("evaluationBatches: stage", stage, EVALUATION_STAGES);
  checkInteger("evaluationBatches: batchSize", batchSize, { min: 1 });
  if (users !== undefined) checkUserIds("evaluationBatches: users", users, split.train.length);
  const listed = users ?? Array.from({ length: split.train.length }, (_, user) => user);
  const batches: EvaluationBatch[] = [];
  for (let start = 0; start < listed.length; start += batchSize) {
    const chunk = listed.slice(start, start + batchSize);
    const histories = chunk.map((user) => {
      const train = split.train[user];
      if (stage === "valid") return train;
      const history = new Int32Array(train.length + 1);
      history.set(train);
      history[train.length] = split.validTarget[user];
      return history;
    });
    const targetSource = stage === "valid" ? split.validTarget : split.testTarget;
    batches.push({
      batch: padLeft(chunk, histories, split.maxLength),
      targets: Int32Array.from(chunk, (user) => targetSource[user]),
    });
  }
  return batches;
}
