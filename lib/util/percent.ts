/** Shares shown in percent: the statistics printed with results and notebook 01's tables. */

/**
 * `share` (a fraction in [0, 1]) in percent at `digits` decimals (an integer in [0, 100]). A share
 * that is neither none nor all never reads as 0 or 100 (9,062 of 9,066 items read "100.0 %"): it
 * reads "< 0.1 %" or "> 99.9 %".
 *
 * @example
 * ```ts
 * formatPercent(0.5, 1); // "50.0 %"
 * formatPercent(9_062 / 9_066, 1); // "> 99.9 %"
 * ```
 */
export function formatPercent(share: number, digits: number): string {
  // toFixed cuts a fractional count of decimals: at 1.5 a small share read "< 0.0 %".
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new RangeError(`formatPercent: digits must be an integer >= 0 and <= 100, got ${digits}`);
  }
  const shown = (100 * share).toFixed(digits);
  const step = 10 ** -digits;
  if (share > 0 && Number(shown) === 0) return `< ${step.toFixed(digits)} %`;
  if (share < 1 && Number(shown) === 100) return `> ${(100 - step).toFixed(digits)} %`;
  return `${shown} %`;
}
