/** Leave-one-out split by time: the last item is the test target, the one before it validation. */
import { checkInteger, checkSettingNames } from "../../util/settings.ts";
import type { InteractionDataset, LeaveOneOutSplit } from "../types.ts";

/** Options of `leaveOneOutSplit`. */
export interface SplitConfig {
  /** Most recent items a model sees as history (default 50); longer histories are cut at batching. */
  maxLength: number;
}

/** Default split configuration. */
export const DEFAULT_SPLIT: SplitConfig = Object.freeze({ maxLength: 50 });

/**
 * Splits each user's chronological sequence (ties already broken in the dataset) into
 * `train = all but the last two`, `validTarget = second to last`, `testTarget = last`. Every user
 * needs at least 3 interactions (a 5-core guarantees it); a shorter history is an error naming
 * the user, never a silent drop. `train` keeps the whole prefix; batching keeps the most recent
 * `maxLength` items.
 *
 * @example
 * ```ts
 * const split = leaveOneOutSplit(kCoreFilter(dataset), { maxLength: 50 });
 * split.testTarget[0]; // last item of user 0
 * ```
 */
export function leaveOneOutSplit(
  dataset: InteractionDataset,
  config: SplitConfig = DEFAULT_SPLIT,
): LeaveOneOutSplit {
  checkSettingNames("SplitConfig", config, DEFAULT_SPLIT);
  const { maxLength } = config;
  checkInteger("SplitConfig.maxLength", maxLength, { min: 1 });
  // The targets are sized by numUsers, the histories by the sequences: with fewer users than
  // sequences the extra users' targets were dropped (typed-array writes past the end) and read
  // back as item 0, silently.
  if (dataset.numUsers !== dataset.sequences.length) {
    throw new Error(
      `leaveOneOutSplit: dataset ${dataset.name} says ${dataset.numUsers} users but holds ` +
        `${dataset.sequences.length} sequences; they must agree (one sequence per user)`,
    );
  }
  const validTarget = new Int32Array(dataset.numUsers);
  const testTarget = new Int32Array(dataset.numUsers);
  const train = dataset.sequences.map((sequence, user) => {
    if (sequence.length < 3) {
      throw new Error(
        `leaveOneOutSplit: user ${dataset.userIds[user]} (index ${user}) has ${sequence.length} ` +
          `interactions; leave-one-out needs at least 3 (apply k-core filtering first)`,
      );
    }
    validTarget[user] = sequence[sequence.length - 2];
    testTarget[user] = sequence[sequence.length - 1];
    return sequence.slice(0, sequence.length - 2);
  });
  return {
    dataset,
    train,
    validTarget,
    testTarget,
    maxLength,
    protocol: [
      `dataset ${dataset.name} (fingerprint ${dataset.metadata.fingerprint})`,
      // The files (or generator) the numbers rest on: an imported dataset's label is only its
      // file name.
      `source: ${dataset.metadata.source}`,
      ...dataset.metadata.preprocessing,
      `tie-break for equal timestamps: ${dataset.metadata.tieBreak ?? "order given by the source"}`,
      "leave-one-out by time: last item test, second-to-last validation, rest training",
      `model input: the most recent ${maxLength} items; training reads every ${maxLength}-item window of the training history`,
    ],
  };
}
