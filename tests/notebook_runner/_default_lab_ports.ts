/**
 * The lab's default port range (8888-8937) as a resource the tests share: a test that holds some
 * of its ports with plain listeners (standing in for other servers) takes it exclusively, a test
 * whose server picks its port there takes it shared. Under `deno test --parallel` the two used to
 * overlap: both servers of "two started at once" picked 8888 while the "all in use" test held the
 * range, each Jupyter failed on it, and one of them found 8888 free again by the time it looked
 * (the listeners were closed), so it reported "the server exited with status 1" (CI of 2026-12-06
 * 05:15; 1 failure in 156 runs). An flock on a file: the suite's files run in several workers of
 * one process, and locks of separate opens exclude each other there too.
 */

const LOCK_FILE = `${Deno.env.get("TMPDIR") ?? "/tmp"}/demure_lab_default_ports.lock`;

/** Runs `body` holding the default port range: `exclusive` to hold its ports, else shared. */
export async function withDefaultLabPorts<T>(
  exclusive: boolean,
  body: () => Promise<T>,
): Promise<T> {
  const file = await Deno.open(LOCK_FILE, { read: true, write: true, create: true });
  try {
    await file.lock(exclusive);
    return await body();
  } finally {
    file.close(); // Unlocks.
  }
}
