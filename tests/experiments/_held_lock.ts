/**
 * A claim lock held as another process would hold it, while a test body runs: the fixture of the
 * tests of claim locks and of giving claims up (claim_lock_*_test.ts, claim_release_*_test.ts),
 * which each had a copy. The lock is held through a second open file of this process: flock locks
 * belong to the open file, so the two exclude each other as two processes would.
 */

/** Runs `action` while the lock file `lockPath` (created if absent) is locked, then unlocks it. */
export function holdingLock<T>(lockPath: string, action: () => T): T {
  const file = Deno.openSync(lockPath, { read: true, write: true, create: true });
  try {
    file.lockSync(true);
    return action();
  } finally {
    file.close();
  }
}
