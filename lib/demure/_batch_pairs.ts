/**
 * What Demure reads of a training batch on the host: which (position, modality) pairs are valid,
 * and which window of whose history each row holds (the noise-mask cache's key). Both the mask
 * lookup before a step and the training pass's capture after it need them.
 */
import { validPairs } from "../attribution/mod.ts";
import type { SequenceBatch } from "../data/types.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import type { TrainerConfig, TrainingBudget } from "../train/config.ts";
import { SettingError } from "../util/settings.ts";

/**
 * Valid pairs of a batch, `[batch, position, modality]`: real position and modality present.
 * Computed on the host from the constant presence table: no device transfer in a training step.
 */
export function validMaskOf(model: SequentialRecommender, batch: SequenceBatch): Uint8Array {
  const presence = model.presenceOf(batch.items);
  const modalities = model.numModalities;
  for (let i = 0; i < presence.length; i++) presence[i] *= batch.valid[Math.floor(i / modalities)];
  return validPairs(presence, "validMaskOf");
}

/**
 * One cache key per row: the user, and which window of the user's history the row holds (a long
 * history fills several rows, possibly of one batch, each with its own noise mask).
 */
export function historyKeys(batch: SequenceBatch): Int32Array {
  const windows = batch.windows;
  if (windows === undefined) return batch.users;
  return Int32Array.from(batch.users, (user, row) => {
    if (windows[row] >= MAX_WINDOWS_PER_USER) {
      throw new Error(`Demure: user ${user} has more than ${MAX_WINDOWS_PER_USER} windows`);
    }
    return user * MAX_WINDOWS_PER_USER + windows[row];
  });
}

/** Bound on windows per user in {@linkcode historyKeys} (1,024 x 50 positions per user). */
const MAX_WINDOWS_PER_USER = 1024;

/**
 * Why an attributing Demure run cannot key a user's windows ({@linkcode historyKeys}): a
 * `SettingError` naming `TrainerConfig.windows` when one training history fills more than 1,024
 * windows (a history of over 1,024 x `SplitConfig.maxLength` items); else undefined. Checked
 * before the first step: `historyKeys` refuses such a user when its batch comes, after the
 * warm-up.
 */
export function windowLimitRefusal(
  trainer: Pick<TrainerConfig, "windows">,
  budget: Pick<TrainingBudget, "mostRowsOfAUser">,
): SettingError | undefined {
  // A budget of a caller's own without the count is not checked here (historyKeys still is).
  if (!(budget.mostRowsOfAUser > MAX_WINDOWS_PER_USER)) return undefined;
  return new SettingError(
    "TrainerConfig.windows",
    trainer.windows,
    `"last", or a split with a longer SplitConfig.maxLength: Demure's noise masks are kept for ` +
      `at most ${MAX_WINDOWS_PER_USER} windows of a user's history, and one training history ` +
      `of this split fills ${budget.mostRowsOfAUser}`,
  );
}
