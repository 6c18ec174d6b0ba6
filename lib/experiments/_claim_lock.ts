/**
 * The lock of a claim file (`<claim>.lock`): a process removes or replaces a claim (a takeover, a
 * release, a heartbeat) only under that claim's lock ({@linkcode withClaimLock}), and a takeover
 * reads the claim again there: it removes only the claim it judged stale, never one another
 * process made since. The lock is an flock, so the folder's file system must give them
 * ({@linkcode ClaimLockError}); a store's first claim takes one, so that a folder without them
 * fails before a cell runs. A lock is held for milliseconds; one still held after
 * {@linkcode CLAIM_LOCK_WAIT_SECONDS} has a holder that is paused or hung
 * ({@linkcode ClaimLockTimeoutError}).
 *
 * @module
 */

/** The lock file of the claim `path` ({@linkcode withClaimLock}). */
export function lockPathOf(path: string): string {
  return `${path}.lock`;
}

/**
 * Runs `action` holding the lock of the claim file `path`, which every process holds while it
 * removes or replaces that claim (a takeover, a release, a heartbeat); creating a claim needs none,
 * as it succeeds only while the name is free. So a takeover that reads the claim under the lock
 * moves exactly that claim: nothing else can remove or replace it meanwhile, and nothing can
 * create one in its place. Before, a takeover moved whatever the name held and only then compared
 * it: a live claim another process had made since (after its own takeover of the same stale
 * claim) was moved aside, and lost when the takeover was killed before putting it back or a third
 * process took the free name first (the cell then ran twice).
 *
 * The lock is an flock on `<claim>.lock` (released by the kernel when its process dies, so a
 * killed holder blocks nothing; emulated with fcntl locks on NFS, so hosts sharing a folder
 * exclude each other too), which its holder removes before unlocking: the file exists only while
 * it is held or its holder was killed. A process that locked a file removed meanwhile holds
 * nothing (the name may be another file by then) and opens it again.
 *
 * A held lock is waited for at most `waitSeconds` ({@linkcode CLAIM_LOCK_WAIT_SECONDS}), polled
 * (`lockWithin`), then {@linkcode ClaimLockTimeoutError}. Before, a blocking flock waited for
 * good: a holder paused while holding it (Ctrl-Z, a suspended batch job, a debugger) made every
 * other process sharing the folder hang, silently, at its next takeover, release or heartbeat of
 * that cell (the wait stops the whole process, its own heartbeats included, as it still does for
 * the bounded wait).
 */
export function withClaimLock<T>(
  path: string,
  action: () => T,
  waitSeconds: number = CLAIM_LOCK_WAIT_SECONDS,
): T {
  const lockPath = lockPathOf(path);
  const deadline = performance.now() + waitSeconds * 1000;
  for (;;) {
    const opened = openLockFile(lockPath);
    if (opened === undefined) continue; // Removed by its holder between the two opens.
    const { file, created } = opened;
    try {
      lockWithin(lockPath, file, created, deadline, waitSeconds);
      if (!namesFile(lockPath, file)) continue;
      try {
        return action();
      } finally {
        Deno.removeSync(lockPath);
      }
    } finally {
      file.close(); // Unlocks.
    }
  }
}

/** Opens the lock file `lockPath`, creating it if absent; undefined when it went in between. */
function openLockFile(lockPath: string): { file: Deno.FsFile; created: boolean } | undefined {
  const options = { read: true, write: true };
  try {
    return { file: Deno.openSync(lockPath, { ...options, createNew: true }), created: true };
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  try {
    return { file: Deno.openSync(lockPath, options), created: false };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * A claim's lock file that cannot be locked: the results folder's file system gives no flock
 * (Lustre mounted without `-o flock` answers ENOSYS; NFSv3 without its lock service, ENOLCK).
 * Processes sharing the folder cannot then take over, refresh or give up claims safely.
 */
export class ClaimLockError extends Error {
  /** Says which lock file could not be locked, why, and what to do. */
  constructor(lockPath: string, cause: Error) {
    super(
      `${lockPath}: cannot lock this claim lock file (${cause.message}): the results folder's ` +
        "file system gives no file locks (flock), which processes sharing a results folder " +
        "need to take over, refresh or give up a cell's claim. Mount it with locks (Lustre: " +
        "-o flock; NFS: v4, or v3 with its lock service running) or use a results folder on a " +
        "local disk",
      { cause },
    );
  }
}

/**
 * How long a process waits for a claim's lock ({@linkcode withClaimLock}) that another process
 * holds, in seconds, before {@linkcode ClaimLockTimeoutError}. A live holder holds it for
 * milliseconds; on NFS a lock whose host died is freed by the server once that host's lease runs
 * out (90 s by default on NFSv4), so twice that: long enough never to give up on a lock that is
 * being freed, short enough that a paused holder is reported within minutes, and that a process
 * waiting once loses no claim of its own (a heartbeat 30 s before, plus 180 s, is well within
 * {@linkcode CLAIM_STALE_SECONDS}).
 */
export const CLAIM_LOCK_WAIT_SECONDS = 180;

/**
 * A claim's lock file that another process held for longer than a process waits
 * ({@linkcode CLAIM_LOCK_WAIT_SECONDS}): its holder is paused or hung while holding it.
 */
export class ClaimLockTimeoutError extends Error {
  /** Says which lock file was held, for how long, and how to find and free its holder. */
  constructor(lockPath: string, waitedSeconds: number) {
    super(
      `${lockPath}: this claim lock file was still locked after ${waitedSeconds} s of waiting. ` +
        "A claim lock is held for milliseconds, so the process holding it (one sharing this " +
        "results folder) is paused or hung: stopped with Ctrl-Z or SIGSTOP, a suspended batch " +
        "job, a debugger. Find it with `fuser -v " + lockPath + "` or `lsof " + lockPath +
        "` (on each host sharing the folder), resume it (`fg`, `kill -CONT <pid>`) or end it, " +
        "then run this again",
    );
    this.name = "ClaimLockTimeoutError";
  }
}

/** Polls of a held claim lock: every 5 ms at first, growing to every 20 ms. */
const LOCK_POLL_MS = { first: 5, last: 20 } as const;

/** Sleeps `ms` without spinning and without giving the event loop a turn (as flock did). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Locks `file` (the lock file `lockPath`) exclusively, waiting while another process holds it
 * until `deadline` (`performance.now()` ms; the wait of `waitSeconds`, for the message), then
 * {@linkcode ClaimLockTimeoutError}. On a file system without locks, throws
 * {@linkcode ClaimLockError}, after removing the file when this process created it: it would
 * otherwise gather one lock file per failed attempt, and the next store to open the folder would
 * fail on it (removeAbandonedLocks). One another process created is left: it may hold it.
 */
function lockWithin(
  lockPath: string,
  file: Deno.FsFile,
  created: boolean,
  deadline: number,
  waitSeconds: number,
): void {
  for (let pollMs: number = LOCK_POLL_MS.first;; pollMs = Math.min(2 * pollMs, LOCK_POLL_MS.last)) {
    let locked: boolean;
    try {
      locked = file.tryLockSync(true);
    } catch (error) {
      if (created && namesFile(lockPath, file)) Deno.removeSync(lockPath);
      throw new ClaimLockError(lockPath, error as Error);
    }
    if (locked) return;
    const left = deadline - performance.now();
    if (left <= 0) throw new ClaimLockTimeoutError(lockPath, waitSeconds);
    sleepSync(Math.min(pollMs, left));
  }
}

/** Whether `path` is the open `file` (not removed, nor replaced by another file, since). */
function namesFile(path: string, file: Deno.FsFile): boolean {
  let named: Deno.FileInfo;
  try {
    named = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  const held = file.statSync();
  // No inode numbers (Windows): taken to be the file.
  if (held.ino === null || named.ino === null) return true;
  return held.ino === named.ino && held.dev === named.dev;
}

/**
 * Removes the claim locks ({@linkcode withClaimLock}) that processes killed while holding one
 * left in `directory`: each is taken and released as any holder would (waiting for a live holder,
 * which holds one for milliseconds, at most `waitSeconds`), so none is removed under a live holder.
 */
export function removeAbandonedLocks(directory: string, waitSeconds: number): void {
  for (const entry of Deno.readDirSync(directory)) {
    if (!entry.isFile || !entry.name.endsWith(".claim.lock")) continue;
    withClaimLock(`${directory}/${entry.name.slice(0, -".lock".length)}`, () => {}, waitSeconds);
  }
}
