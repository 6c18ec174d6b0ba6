/**
 * One user's sampled negatives: `count` distinct item ids of [0, numItems) that the user never
 * interacted with, drawn uniformly by rejection. The rejection loop ends only when the user has
 * at least `count` such items, so that is checked before the first draw: a user with fewer is a
 * SettingError naming the user and both counts, never a loop that runs forever.
 * `sampleEvaluationNegatives` refuses such a count for every user before anything is drawn; this
 * check is what keeps a fault in that one (two mutants of it, session 50, hung the suite) from
 * becoming a hang. It draws nothing, so every seed draws what it drew before.
 *
 * @module
 */
import type { Rng } from "../util/random.ts";
import { describeRange, SettingError } from "../util/settings.ts";

/**
 * The SettingError for `SampledNegativesConfig.count` when the user `who` (e.g. `u1 (index 1)`)
 * has only `unseen` items it never interacted with, fewer than `count`.
 */
export function tooFewUnseenItems(count: number, unseen: number, who: string): SettingError {
  return new SettingError(
    "SampledNegativesConfig.count",
    count,
    `${describeRange({ min: 1, max: unseen }, true)} (sampled ranking: user ${who} has only ` +
      `${unseen} unseen items, fewer than ${count} negatives)`,
  );
}

/**
 * Draws `count` distinct items of [0, numItems) not in `seen`, adding each to `seen`. Throws
 * {@linkcode tooFewUnseenItems} for the user `who` before drawing when fewer than `count` items of
 * [0, numItems) are outside `seen` (an id of `seen` outside that range hides no item).
 */
export function drawUnseenItems(
  rng: Rng,
  numItems: number,
  seen: Set<number>,
  count: number,
  who: string,
): number[] {
  let seenItems = 0;
  for (const item of seen) {
    if (Number.isInteger(item) && item >= 0 && item < numItems) seenItems++;
  }
  const unseen = numItems - seenItems;
  if (count > unseen) throw tooFewUnseenItems(count, unseen, who);
  const drawn: number[] = [];
  while (drawn.length < count) {
    const item = rng.int(numItems);
    if (seen.has(item)) continue;
    seen.add(item);
    drawn.push(item);
  }
  return drawn;
}
