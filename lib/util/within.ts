/**
 * `promise`'s value, or null when `ms` milliseconds pass first. The timer is cleared either way: a
 * pending one keeps a Deno process alive (a script whose lab start failed, or that had stopped its
 * server, lingered up to 20 s before it could exit). One home for the race, which the lab server
 * and the reproduce workers both need.
 *
 * @example
 * ```ts
 * const code = await within(child.status.then((status) => status.code), 20_000);
 * if (code === null) child.kill("SIGKILL");
 * ```
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), ms));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
