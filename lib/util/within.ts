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

/** `promise`'s value, or null when `ms` milliseconds pass first; a rejection passes through. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), ms));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
