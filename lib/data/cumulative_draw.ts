/**
 * Drawing an index from cumulative weights with the seeded generator, and how many of the
 * generator's values reach each index. `rng.next()` takes only {@linkcode DRAW_POINTS} values
 * (a 32-bit integer over 2^32), so an index whose weight is below the total's share of one point
 * (or below the total's float resolution, where the cumulative sum does not grow) is drawn rarely
 * or never: a generator that draws until it finds an untaken index must know when none is left.
 *
 * @example
 * ```ts
 * const cumulative = Float64Array.of(1, 1 + 2 ** -40, 2 + 2 ** -40);
 * drawPointsOf(cumulative, 1); // 0: no value of rng.next() lands in a width of 2^-40
 * ```
 */
import type { Rng } from "../util/random.ts";

/** How many values `rng.next()` takes: every `j / 2^32` for a 32-bit `j` (lib/util/random.ts). */
export const DRAW_POINTS = 2 ** 32;

/** Draws from `cumulative` (non-decreasing, last = total) by binary search. */
export function drawIndex(cumulative: Float64Array, rng: Rng): number {
  const target = rng.next() * cumulative[cumulative.length - 1];
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid] > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * How many of the {@linkcode DRAW_POINTS} values of `rng.next()` make {@linkcode drawIndex}
 * return `index`: 0 for an index it never draws. Exact (the same float products as the draw).
 */
export function drawPointsOf(cumulative: Float64Array, index: number): number {
  const last = cumulative.length - 1;
  const total = cumulative[last];
  const from = index === 0 ? 0 : pointsBelow(total, cumulative[index - 1]);
  // The last index also takes every target at or past the total (a total of 0, or a subnormal
  // one that the product rounds up to).
  const to = index === last ? DRAW_POINTS : pointsBelow(total, cumulative[index]);
  return to - from;
}

/** The number of `j` in [0, 2^32) whose draw target `(j / 2^32) * total` is below `bound`. */
function pointsBelow(total: number, bound: number): number {
  if (!(bound > 0)) return 0; // every target is >= 0
  const below = (j: number) => (j / DRAW_POINTS) * total < bound;
  // Targets grow with j: count the j below `bound`, the first j at or past it.
  const guess = Math.min(DRAW_POINTS, Math.max(0, Math.ceil((bound / total) * DRAW_POINTS)));
  if ((guess === 0 || below(guess - 1)) && (guess === DRAW_POINTS || !below(guess))) return guess;
  // The guess is off only where rounding is coarse (subnormal totals): search the whole range.
  let low = 0;
  let high = DRAW_POINTS;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (below(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
}
