/**
 * Turns a split into left-padded `SequenceBatch`es: training batches (next-item target at every
 * position) in a seeded order, and evaluation batches (validation or test).
 */
import { createRng } from "../../util/random.ts";
import type { LeaveOneOutSplit, SequenceBatch } from "../types.ts";

/** Options of the training batcher. */
export interface BatcherConfig {
  /** Users per batch (default 128). */
  batchSize: number;
  /** Seed of the user order; each epoch draws a new order from `seed` and the epoch number. */
  seed: number;
  /** Shuffle users each epoch (default true); false keeps user order. */
  shuffle: boolean;
}

/** Default batcher configuration. */
export const DEFAULT_BATCHER: BatcherConfig = { batchSize: 128, seed: 0, shuffle: true };

/** An evaluation batch: the histories and one target item per row. */
export interface EvaluationBatch {
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
 * and targets s_2..s_n, cut to the most recent `split.maxLength` pairs. Users with fewer than 2
 * training items have no pair and are skipped (listed nowhere else: count them with
 * `split.train`). The order is a seeded permutation of users per epoch.
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
  const users = [...split.train.keys()].filter((user) => split.train[user].length >= 2);
  if (config.shuffle) createRng(config.seed * 1000003 + epoch).shuffle(users);
  const batches: SequenceBatch[] = [];
  for (let start = 0; start < users.length; start += config.batchSize) {
    const chunk = users.slice(start, start + config.batchSize);
    const inputs = chunk.map((user) => split.train[user].subarray(0, split.train[user].length - 1));
    const targets = chunk.map((user) => split.train[user].subarray(1));
    batches.push(padLeft(chunk, inputs, split.maxLength, targets));
  }
  return batches;
}

/**
 * Evaluation batches in user order. `"valid"`: history = training items, target = validation
 * item; `"test"`: history = training items + validation item, target = test item.
 *
 * @example
 * ```ts
 * const [first] = evaluationBatches(split, "test", 256);
 * first.targets[0] === split.testTarget[0]; // true
 * ```
 */
export function evaluationBatches(
  split: LeaveOneOutSplit,
  stage: "valid" | "test",
  batchSize: number,
): EvaluationBatch[] {
  const batches: EvaluationBatch[] = [];
  const numUsers = split.train.length;
  for (let start = 0; start < numUsers; start += batchSize) {
    const users = Array.from(
      { length: Math.min(batchSize, numUsers - start) },
      (_, i) => start + i,
    );
    const histories = users.map((user) => {
      const train = split.train[user];
      if (stage === "valid") return train;
      const history = new Int32Array(train.length + 1);
      history.set(train);
      history[train.length] = split.validTarget[user];
      return history;
    });
    const targetSource = stage === "valid" ? split.validTarget : split.testTarget;
    batches.push({
      batch: padLeft(users, histories, split.maxLength),
      targets: Int32Array.from(users, (user) => targetSource[user]),
    });
  }
  return batches;
}
