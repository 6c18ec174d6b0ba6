/**
 * Waiting for a promise at most so long: the value when it settles in time, null when the time
 * passes first. The timer is cleared either way: a pending one keeps the process alive, so a
 * script that had stopped its server lingered up to 20 s before it could exit
 * (lib/notebook_runner/lab_server.ts). scripts/reproduce_workers.ts writes the same race out: no
 * library module may load before reproduce's options are read.
 *
 * @example
 * ```ts
 * const code = await within(child.status.then((status) => status.code), 5_000);
 * if (code === null) child.kill("SIGKILL");
 * ```
 *
 * @module
 */

/** The longest delay a timer holds: 2^31 - 1 ms, about 24.8 days. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * `promise`'s value, or null when `ms` milliseconds pass first; a rejection passes through. `ms` is
 * a number in [0, 2^31 - 1]: a timer fires after 1 ms for NaN, a negative delay or one past that
 * (Infinity too), so "wait forever" would have answered null at once.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  if (!(ms >= 0 && ms <= LONGEST_TIMER_MS)) {
    throw new RangeError(
      `within: ms must be a number of milliseconds >= 0 and <= ${LONGEST_TIMER_MS}, got ${ms}`,
    );
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), ms));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
