/**
 * A claim lock held by a paused process, for the tests of the bounded wait for a claim lock
 * (`withClaimLock`, lib/experiments/_claim_lock.ts).
 */
import { pathExists } from "../../lib/util/path_exists.ts";

/** A process that holds a claim lock file, stopped (SIGSTOP) while holding it. */
export interface PausedLockHolder {
  /** Its pid. */
  pid: number;
  /** Ends the holder (killed, which SIGKILL is even while it is stopped; resumed, it has ended). */
  end(): Promise<void>;
}

/** How long a holder may take to start and lock (a deno process starts in well under 1 s). */
const HOLDER_START_MS = 30_000;

/**
 * Starts a process that locks `lockPath` as a claim's lock is taken, then pauses holding it;
 * returns once it holds it. Synchronous, so that a runner's callback can start one mid-cell.
 */
export function pauseLockHolder(lockPath: string): PausedLockHolder {
  const markerDir = Deno.makeTempDirSync();
  const marker = `${markerDir}/locked`;
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_paused_lock_holder.ts", import.meta.url).pathname,
      lockPath,
      marker,
    ],
    stdin: "null",
  }).spawn();
  const end = async () => {
    try {
      holder.kill("SIGKILL");
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // Exited (resumed) already.
    }
    await holder.status;
    Deno.removeSync(markerDir, { recursive: true });
  };
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const started = performance.now();
  while (!pathExists(marker)) {
    if (performance.now() - started > HOLDER_START_MS) {
      void end();
      throw new Error(`the lock holder did not lock ${lockPath} within ${HOLDER_START_MS} ms`);
    }
    Atomics.wait(sleeper, 0, 0, 10);
  }
  return { pid: holder.pid, end };
}

/**
 * Runs `action` with this process's clock (`performance.now`) a minute further on after each try
 * of a held lock (`FsFile.tryLockSync` answering false), so that a wait for a claim lock of the
 * default length (`CLAIM_LOCK_WAIT_SECONDS`, minutes) ends after a few tries: for the runners,
 * whose stores wait that long. The lock itself stays really held.
 */
export async function withLockWaitsElapsing<T>(action: () => T | Promise<T>): Promise<T> {
  const files = Deno.FsFile.prototype;
  const { tryLockSync } = files;
  const now = performance.now.bind(performance);
  let elapsed = 0;
  files.tryLockSync = function (this: Deno.FsFile, exclusive?: boolean) {
    const locked = tryLockSync.call(this, exclusive);
    if (!locked) elapsed += 60_000;
    return locked;
  };
  performance.now = () => now() + elapsed;
  try {
    return await action();
  } finally {
    files.tryLockSync = tryLockSync;
    performance.now = now;
  }
}
