/**
 * What `reproduce --cell` prints while its cell waits for a selection whose trials run in other
 * tasks. It checks every {@linkcode SELECTION_POLL_SECONDS} s for up to `DEMURE_SELECTION_WAIT_S`
 * (default 6 h); a line at every check wrote up to 1,080 identical lines into the task's log, none
 * saying how long it had waited or would wait. It now says so at the first check, then every
 * {@linkcode SELECTION_WAIT_LINE_EVERY} checks (10 min), with the time waited and the limit.
 */

/** Seconds between two checks of the selection. */
export const SELECTION_POLL_SECONDS = 20;

/** A waiting cell's line is printed at its first check and then every this many checks. */
export const SELECTION_WAIT_LINE_EVERY = 30;

/**
 * The line of the `check`-th check (0-based) of a cell waiting for the selection of `waitsFor`,
 * or null when this check prints nothing.
 *
 * @example
 * ```ts
 * selectionWaitLine("quick/x/seed=0", ["x"], 30, 600, 21600);
 * // "quick/x/seed=0: waiting for the selection of x (10 min waited, at most 360 min; checked every 20 s)"
 * ```
 */
export function selectionWaitLine(
  key: string,
  waitsFor: readonly string[],
  check: number,
  waitedSeconds: number,
  limitSeconds: number,
): string | null {
  if (check % SELECTION_WAIT_LINE_EVERY !== 0) return null;
  return `${key}: waiting for the selection of ${waitsFor.join(", ")} (` +
    `${Math.floor(waitedSeconds / 60)} min waited, at most ${Math.ceil(limitSeconds / 60)} min; ` +
    `checked every ${SELECTION_POLL_SECONDS} s)`;
}
