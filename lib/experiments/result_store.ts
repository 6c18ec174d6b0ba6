/**
 * A directory of finished grid cells, one JSON file per cell, so that a run that stops part-way
 * resumes without redoing finished cells. A cell's file name is derived from its key; a file is
 * written atomically, so a cell is either finished or absent. Each file also records the cell's
 * settings: a stored cell whose settings differ from the requested ones counts as not finished,
 * so changing a default reruns exactly the cells it affects.
 *
 * Several processes can share one store: a process claims a cell (a `.claim` file created
 * exclusively) before it runs it and skips cells that a live process holds, so two terminals
 * running the same grid split its cells between them.
 *
 * A claim records the host, the claiming process's identity (pid, a random token of the process,
 * and where readable the boot id and start time, so a reused pid is not mistaken for the claimant)
 * and a heartbeat the runner refreshes (every epoch and every {@linkcode HEARTBEAT_SECONDS}:
 * {@linkcode ResultStore.keepAlive}, whose timer runs while a cell trains or is evaluated, since
 * both give the event loop a turn every second). A claim is stale, and taken over, when
 * - its heartbeat is older than {@linkcode CLAIM_STALE_SECONDS} (any host: the holder was killed,
 *   hung, or its machine went away), or
 * - it is from this host and its process is gone: the pid is not running, or runs another process
 *   (other start time), or the claim is from an earlier boot. A claim of this process's own pid
 *   from an earlier process (after a restart) is therefore stale, not "running".
 *
 * Deno (2.9) reads `/proc` only with `--allow-all`, and the tasks run with scoped permissions: there
 * the process checks are skipped (a running process must never be judged gone because its
 * liveness could not be read) and the heartbeat alone decides, which is why it is short: a killed
 * process's cell is taken over within {@linkcode CLAIM_STALE_SECONDS} on any host. The token still
 * tells this process's claims from those of an earlier process with the same pid. Hosts sharing
 * a results folder compare heartbeats with their own clocks, so their clocks must agree to well
 * under that (NTP does).
 *
 * A process removes or replaces a claim file (a takeover, a release, a heartbeat) only under that
 * claim's lock (`withClaimLock`), and a takeover reads the claim again there: it removes only the
 * claim it judged stale, never one another process made since (see `withClaimLock`). The lock is
 * an flock, so the folder's file system must give them ({@linkcode ClaimLockError}); a store's
 * first claim takes one, so that a folder without them fails before a cell runs. A lock is held
 * for milliseconds; one still held after {@linkcode CLAIM_LOCK_WAIT_SECONDS} has a holder that is
 * paused or hung ({@linkcode ClaimLockTimeoutError}).
 *
 * A process that is alive can lose its claim (stopped or asleep for longer than the staleness):
 * its next heartbeat ({@linkcode ResultStore.heartbeat} false) finds that out, and the runners
 * hand the cell over at its next epoch end, writing nothing more of it (`HeldClaim`,
 * held_claim.ts).
 *
 * A process stopped by SIGINT (Ctrl-C) or SIGTERM gives its claims up before it exits, so that a
 * run restarted at once resumes those cells (from their last epoch checkpoint, which stays) instead
 * of skipping them as "running" until the heartbeat goes stale: the scripts that run cells install
 * this with {@linkcode releaseClaimsOnSignal}. SIGKILL (and a crash of the machine) cannot be
 * handled: such claims stay until their heartbeat is {@linkcode CLAIM_STALE_SECONDS} old (or, with
 * `/proc` readable, the process check frees them at once).
 *
 * @example
 * ```ts
 * const store = new ResultStore("results/cells");
 * const cell = store.get<MyResult>(key, settings) ?? store.put(key, settings, await run());
 * ```
 */
import {
  removeStaleTemporaries,
  STALE_TEMPORARY_SECONDS,
  temporaryPathOf,
  writeFilesAtomically,
} from "../data/atomic_write.ts";
import { readTextIfExists } from "../util/path_exists.ts";

/** This process's identity in its claims (pids are reused; `/proc` may be unreadable). */
const PROCESS_TOKEN = crypto.randomUUID();

/**
 * The claim files this process holds, in every store, each with its store's wait for a claim lock
 * (`ResultStore.lockWaitSeconds`): what it gives up when stopped.
 */
const HELD_CLAIMS = new Map<string, number>();

function fileNameOf(key: string): string {
  return `${key.replace(/[^A-Za-z0-9=._-]+/g, "__")}.json`;
}

/** Seconds between heartbeats of a running cell's claim (besides one per epoch). */
export const HEARTBEAT_SECONDS = 30;

/**
 * A claim whose heartbeat is older than this is stale: ten missed heartbeats. The heartbeat timer
 * runs during the whole cell (training steps and evaluation chunks give the event loop a turn
 * every second; preparing a dataset takes seconds), so a live process misses none; a killed one
 * (SIGKILL, the out-of-memory killer) blocks its cell for at most this long. It was 30 min when
 * the heartbeat came from the epoch loop alone.
 */
export const CLAIM_STALE_SECONDS = 5 * 60;

/** Who is running a cell. */
export interface CellClaim {
  /** Process id of the claimant. */
  pid: number;
  /** Host the claimant runs on. */
  hostname: string;
  /** When the claim was made (ISO time). */
  since: string;
  /** Linux boot id of the claiming host (absent elsewhere and in claims of older versions). */
  bootId?: string;
  /** Start time of the claiming process in clock ticks since boot (Linux `/proc/<pid>/stat`). */
  processStart?: number;
  /** Random identity of the claiming process (absent in claims of older versions). */
  token?: string;
  /** Last sign of life (ISO time); `since` when absent. */
  heartbeat?: string;
  /** The batch job running the cell (e.g. Slurm's `1234_7`), when a scheduler started it: a
   * claim on another host can only be judged stale by asking the scheduler about this job. */
  job?: string;
}

/** A file's text; undefined when it is missing or unreadable (not Linux, or no permission). */
function readOptional(path: string): string | undefined {
  const read = readProc(path);
  return read === "absent" || read === "unreadable" ? undefined : read;
}

/** A `/proc` file: its text, "absent", or "unreadable" (Deno reads `/proc` only with `-A`). */
function readProc(path: string): string | "absent" | "unreadable" {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "absent" : "unreadable";
  }
}

/** The Linux boot id, or undefined elsewhere (or unreadable). */
function bootId(): string | undefined {
  return readOptional("/proc/sys/kernel/random/boot_id")?.trim();
}

/** Start time of `pid` (clock ticks since boot), "absent" (no such process) or "unreadable". */
function startOf(pid: number): number | "absent" | "unreadable" {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === "absent" || stat === "unreadable") return stat;
  // The command name (field 2) is in parentheses and may hold spaces: count after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : "unreadable";
}

/**
 * Start time of process `pid` in clock ticks since boot (field 22 of `/proc/<pid>/stat`), or
 * undefined when the process does not exist or `/proc` cannot be read (not Linux, or Deno without
 * `--allow-all`).
 */
export function processStartTime(pid: number): number | undefined {
  const start = startOf(pid);
  return typeof start === "number" ? start : undefined;
}

/** Why `claim` is stale, or undefined when its holder may still be running it. */
export function claimStaleness(
  claim: CellClaim,
  now = Date.now(),
  staleSeconds = CLAIM_STALE_SECONDS,
): string | undefined {
  const beat = Date.parse(claim.heartbeat ?? claim.since);
  if (Number.isFinite(beat) && now - beat > staleSeconds * 1000) {
    return `its last heartbeat (${claim.heartbeat ?? claim.since}) is older than ${staleSeconds} s`;
  }
  if (claim.hostname !== Deno.hostname() || Deno.build.os !== "linux") return undefined;
  if (claim.token !== undefined && claim.pid === Deno.pid && claim.token !== PROCESS_TOKEN) {
    return "it names this process's pid but not this process (an earlier process's claim)";
  }
  const boot = bootId();
  if (claim.bootId !== undefined && boot !== undefined && claim.bootId !== boot) {
    return "it is from an earlier boot of this host";
  }
  const start = startOf(claim.pid);
  // Liveness unknown: never take over a cell that may be running; the heartbeat decides.
  if (start === "unreadable") return undefined;
  if (start === "absent") return `process ${claim.pid} is not running`;
  if (claim.processStart !== undefined && claim.processStart !== start) {
    return `pid ${claim.pid} now belongs to another process`;
  }
  if (claim.processStart === undefined && claim.token === undefined && claim.pid === Deno.pid) {
    return "it names this process's pid but not this process (an earlier process's claim)";
  }
  return undefined;
}

/**
 * Who holds `claim`, for a skip line or an error: "held by process N on HOST (job J) since S, last
 * heartbeat T" (not "running": a killed holder's claim stays until its heartbeat is stale).
 */
export function describeClaimHolder(claim: CellClaim): string {
  return `held by process ${claim.pid} on ${claim.hostname}${
    claim.job ? ` (job ${claim.job})` : ""
  } since ${claim.since}, last heartbeat ${claim.heartbeat ?? claim.since}`;
}

/** Whether `claim` was made by this process (not by another one, nor an earlier one with its pid). */
export function isThisProcess(claim: CellClaim | undefined): boolean {
  if (claim === undefined || claim.pid !== Deno.pid || claim.hostname !== Deno.hostname()) {
    return false;
  }
  return claim.token !== undefined
    ? claim.token === PROCESS_TOKEN
    : claim.processStart === processStartTime(Deno.pid);
}

/** A claim file that is not a claim (see {@linkcode readClaim}). */
class UnreadableClaimError extends Error {
  /** The file's text, to tell whether it changed before it is removed as stale. */
  readonly text: string;
  constructor(path: string, text: string, cause: Error) {
    super(`${path}: unreadable claim (${cause.message}); delete it`, { cause });
    this.text = text;
  }
}

/**
 * The claim in `path`, or undefined when there is none. Claims appear with their content (a
 * linked temporary) and are replaced by renames, so a file that is not a claim (empty, cut short)
 * was left by an earlier version's writer that was killed or ran out of space: thrown as
 * {@linkcode UnreadableClaimError}.
 */
function readClaim(path: string): CellClaim | undefined {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as CellClaim;
  } catch (error) {
    throw new UnreadableClaimError(path, text, error as Error);
  }
}

/** Seconds since `path` was last written; undefined when it is gone. */
function secondsSinceWritten(path: string): number | undefined {
  try {
    const written = Deno.statSync(path).mtime;
    return written ? (Date.now() - written.getTime()) / 1000 : 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Tries of `claim` before it gives up ("claims kept changing"): a try fails when another process
 * released the claim between this one's create and read. Two processes claiming and releasing one
 * cell in a tight loop (2 s each) gave up on about 1 in 1,000 claims with 3 tries, about 1 in
 * 20,000 with 10; a run claims a cell once, so only such a loop meets it.
 */
const CLAIM_ATTEMPTS = 10;

/**
 * Creates `path` with `text` unless it exists; false when it does. The text goes to a temporary
 * first, which is then hard-linked to `path`: the link fails when `path` exists (the exclusive
 * create), and a reader never sees the claim without its content (a file created empty and then
 * written was read empty by contenders, and stayed empty after a kill or a full disk). Unlike an
 * atomic write's (lib/data/atomic_write.ts), the temporary is not synced: a claim that a power loss
 * left empty is read as an unreadable claim and taken over once as old as a stale heartbeat
 * ({@linkcode readClaim}); a claim lives while its cell runs, a result for good.
 */
function createWhole(path: string, text: string): boolean {
  const temporary = temporaryPathOf(path);
  try {
    Deno.writeTextFileSync(temporary, text);
    Deno.linkSync(temporary, path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    try {
      Deno.removeSync(temporary);
    } catch {
      // Never created (the write failed at once): nothing to remove.
    }
  }
}

/**
 * Where a claim is moved aside while it is taken over (`#removeClaimIfStill`):
 * `<claim>.<pid>-<ms>.stale`, with the time it was moved aside in the name, as a rename keeps the
 * claim's own mtime (its last heartbeat: minutes old for any stale claim).
 */
function asidePathOf(path: string): string {
  return `${path}.${Deno.pid}-${Date.now()}.stale`;
}

/** The lock file of the claim `path` ({@linkcode withClaimLock}). */
function lockPathOf(path: string): string {
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
function withClaimLock<T>(
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
function removeAbandonedLocks(directory: string, waitSeconds: number): void {
  for (const entry of Deno.readDirSync(directory)) {
    if (!entry.isFile || !entry.name.endsWith(".claim.lock")) continue;
    withClaimLock(`${directory}/${entry.name.slice(0, -".lock".length)}`, () => {}, waitSeconds);
  }
}

/**
 * Removes the claims that takeovers killed midway left moved aside ({@linkcode asidePathOf}) in
 * `directory`. None blocks its cell (the claim's own name is free, or holds the claim put back),
 * but nothing else removed them. Only those moved aside more than STALE_TEMPORARY_SECONDS ago: a
 * takeover removes its aside (or puts it back) within milliseconds, so an older one belongs to no
 * takeover in progress. An aside of an earlier version (`<claim>.<pid>.stale`, no time in its
 * name) is judged by its change time, which the rename set (Linux, macOS); without one it is left.
 */
function removeAbandonedAsides(directory: string): void {
  const now = Date.now();
  for (const entry of Deno.readDirSync(directory)) {
    const match = /\.claim\.\d+(?:-(\d+))?\.stale$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const path = `${directory}/${entry.name}`;
    try {
      const movedAside = match[1] !== undefined
        ? Number(match[1])
        : Deno.statSync(path).ctime?.getTime() ?? now;
      if (now - movedAside > STALE_TEMPORARY_SECONDS * 1000) Deno.removeSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // Another sweeper's.
    }
  }
}

/**
 * The finished cells of one directory, and the claims of the processes running cells there; see
 * the module documentation.
 */
export class ResultStore {
  /** The directory of the cell files and claims. */
  readonly directory: string;
  /** Heartbeat age after which a claim is stale (default {@linkcode CLAIM_STALE_SECONDS}). */
  readonly staleSeconds: number;
  /**
   * How long to wait for a claim lock another process holds (default
   * {@linkcode CLAIM_LOCK_WAIT_SECONDS}; shorter in tests).
   */
  readonly lockWaitSeconds: number;
  /** Whether a claim lock was taken in the folder (see {@linkcode ClaimLockError}). */
  #locksWork = false;

  /**
   * Opens (and creates) `directory`; `options.staleSeconds` overrides the claim staleness,
   * `options.lockWaitSeconds` the wait for a claim lock.
   */
  constructor(
    directory: string,
    options: { staleSeconds?: number; lockWaitSeconds?: number } = {},
  ) {
    this.directory = directory;
    this.staleSeconds = options.staleSeconds ?? CLAIM_STALE_SECONDS;
    this.lockWaitSeconds = options.lockWaitSeconds ?? CLAIM_LOCK_WAIT_SECONDS;
    const { staleSeconds, lockWaitSeconds } = this;
    for (const [name, value] of Object.entries({ staleSeconds, lockWaitSeconds })) {
      if (!(value > 0)) throw new Error(`ResultStore: ${name} must be > 0, got ${value}`);
    }
    Deno.mkdirSync(directory, { recursive: true });
    removeStaleTemporaries(directory);
    removeAbandonedAsides(directory);
    removeAbandonedLocks(directory, this.lockWaitSeconds);
  }

  /** Runs `action` holding the lock of the claim file `path` ({@linkcode withClaimLock}). */
  #withClaimLock<T>(path: string, action: () => T): T {
    return withClaimLock(path, action, this.lockWaitSeconds);
  }

  #newClaim(job?: string): CellClaim {
    const now = new Date().toISOString();
    const boot = bootId();
    const start = processStartTime(Deno.pid);
    return {
      pid: Deno.pid,
      hostname: Deno.hostname(),
      since: now,
      ...(boot !== undefined ? { bootId: boot } : {}),
      ...(start !== undefined ? { processStart: start } : {}),
      token: PROCESS_TOKEN,
      heartbeat: now,
      ...(job ? { job } : {}),
    };
  }

  /**
   * Refreshes the heartbeat of this process's claim on `key`. Returns true when this process
   * holds the claim (refreshed), false when it does not and nothing was written: another process
   * took it over (this one's heartbeat had gone stale: it was stopped, its machine slept, its
   * folder stalled), or it is gone. Called by the runners every epoch and by
   * {@linkcode keepAlive}; a runner that finds its claim lost stops its cell (`HeldClaim`).
   */
  heartbeat(key: string): boolean {
    const path = this.claimPathOf(key);
    if (!isThisProcess(readClaim(path))) return false;
    // Read again under the lock: a takeover may have moved it meanwhile.
    return this.#withClaimLock(path, () => {
      const holder = readClaim(path);
      if (!isThisProcess(holder)) return false;
      writeFilesAtomically([
        { path, data: JSON.stringify({ ...holder, heartbeat: new Date().toISOString() }) },
      ]);
      return true;
    });
  }

  /**
   * Refreshes the claim's heartbeat every `seconds` until the returned function is called. A
   * heartbeat that fails (a full disk) is reported to stderr and tried again at the next beat,
   * rather than ending the process from a timer; the claim goes stale if none succeeds. A beat
   * that finds the claim no longer this process's ({@linkcode heartbeat} false) calls `onLost`
   * and stops the timer. One that waited out the claim's lock ({@linkcode ClaimLockTimeoutError}:
   * another process holds it, paused) is reported, calls `onStuck` and stops the timer too: each
   * further beat would stop this process (its cell's training included) for that wait again.
   */
  keepAlive(
    key: string,
    seconds = HEARTBEAT_SECONDS,
    onLost?: () => void,
    onStuck?: (error: ClaimLockTimeoutError) => void,
  ): () => void {
    const beat = () => {
      let held = true;
      try {
        held = this.heartbeat(key);
      } catch (error) {
        console.error(`heartbeat of ${this.claimPathOf(key)} failed: ${(error as Error).message}`);
        if (error instanceof ClaimLockTimeoutError) {
          clearInterval(timer);
          onStuck?.(error);
        }
      }
      if (held) return;
      clearInterval(timer);
      onLost?.();
    };
    const timer = setInterval(beat, seconds * 1000);
    // The timer alone does not keep the process running.
    Deno.unrefTimer(timer);
    return () => clearInterval(timer);
  }

  /** Path of the cell's file. */
  pathOf(key: string): string {
    return `${this.directory}/${fileNameOf(key)}`;
  }

  /**
   * The stored result of `key` run with `settings`, or undefined when there is none. `check`
   * (when given) checks the result's shape; its error is reported with the file.
   */
  get<T>(key: string, settings: unknown, check?: (result: unknown) => T): T | undefined {
    const path = this.pathOf(key);
    const text = readTextIfExists(path);
    if (text === undefined) return undefined;
    try {
      const stored = JSON.parse(text) as { key: string; settings: unknown; result: T };
      if (stored.key !== key) throw new Error(`holds key "${stored.key}", expected "${key}"`);
      if (JSON.stringify(stored.settings) !== JSON.stringify(settings)) return undefined;
      return check ? check(stored.result) : stored.result;
    } catch (error) {
      throw new Error(`${path}: unreadable cell result (${(error as Error).message}); delete it`);
    }
  }

  /** Whether a result of `key` is stored, with whatever settings. */
  has(key: string): boolean {
    try {
      return Deno.statSync(this.pathOf(key)).isFile;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }

  /** Stores the result of `key` run with `settings` atomically and returns it. */
  put<T>(key: string, settings: unknown, result: T): T {
    writeFilesAtomically([
      { path: this.pathOf(key), data: JSON.stringify({ key, settings, result }, null, 1) },
    ]);
    return result;
  }

  /** Path of the cell's claim file. */
  claimPathOf(key: string): string {
    return this.pathOf(key).replace(/\.json$/, ".claim");
  }

  /**
   * Claims `key` for this process. Returns undefined when claimed, or the claim of the live
   * process that holds it. A stale claim (see the module documentation) is taken over, and so is
   * one left by an earlier attempt of the same batch job `job` (a task the scheduler restarted:
   * Slurm's requeue, a Kubernetes pod retried for its index).
   */
  claim(key: string, job?: string): CellClaim | undefined {
    const path = this.claimPathOf(key);
    // A file system without locks fails here, before the cell runs, rather than at its first
    // heartbeat (an epoch in) and its release, which leaves the claim behind.
    if (!this.#locksWork) {
      this.#withClaimLock(path, () => {});
      this.#locksWork = true;
    }
    const mine = this.#newClaim(job);
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      if (createWhole(path, JSON.stringify(mine))) {
        HELD_CLAIMS.set(path, this.lockWaitSeconds);
        return undefined;
      }
      let holder: CellClaim | undefined;
      try {
        holder = readClaim(path);
      } catch (error) {
        if (!(error instanceof UnreadableClaimError)) throw error;
        this.#removeUnreadableClaim(path, error);
        continue;
      }
      if (holder === undefined) continue; // Released meanwhile: try again.
      // The same batch job again: the scheduler restarted this task, so the earlier attempt is gone.
      const restarted = job !== undefined && holder.job === job;
      if (!restarted && claimStaleness(holder, Date.now(), this.staleSeconds) === undefined) {
        return holder;
      }
      this.#removeStaleClaim(path, holder);
    }
    throw new Error(`${path}: could not claim the cell (claims kept changing); try again`);
  }

  // An unreadable claim (see readClaim) is refreshed by no one: stale once it is as old as a
  // heartbeat may be, like any claim; before that it is an error naming it.
  #removeUnreadableClaim(path: string, error: UnreadableClaimError): void {
    const age = secondsSinceWritten(path);
    if (age === undefined) return;
    if (age <= this.staleSeconds) {
      throw new Error(
        `${path}: unreadable claim (${(error.cause as Error).message}), written ` +
          `${Math.round(age)} s ago (by a writer of an earlier version that was killed or ran ` +
          `out of space); it is taken over once ${this.staleSeconds} s old, or delete it`,
      );
    }
    this.#removeClaimIfStill(path, (file) => readTextIfExists(file) === error.text);
  }

  /** The claim on `key`, if any (whoever holds it, live or not). */
  claimOf(key: string): CellClaim | undefined {
    return readClaim(this.claimPathOf(key));
  }

  /** Gives up this process's claim on `key` (after the cell is stored, or when it failed). */
  release(key: string): void {
    const path = this.claimPathOf(key);
    HELD_CLAIMS.delete(path);
    if (!isThisProcess(readClaim(path))) return;
    this.#withClaimLock(path, () => {
      if (isThisProcess(readClaim(path))) Deno.removeSync(path);
    });
  }

  /**
   * Removes the claim on `key` when it is still `stale` (a claim the caller knows to be dead, e.g.
   * a batch job the scheduler no longer runs); a claim taken since then is left alone.
   */
  removeStaleClaim(key: string, stale: CellClaim): void {
    this.#removeStaleClaim(this.claimPathOf(key), stale);
  }

  #removeStaleClaim(path: string, stale: CellClaim): void {
    this.#removeClaimIfStill(path, (file) => {
      try {
        const claim = readClaim(file);
        return claim !== undefined && JSON.stringify(claim) === JSON.stringify(stale);
      } catch (error) {
        if (error instanceof UnreadableClaimError) return false;
        throw error;
      }
    });
  }

  // Under the claim's lock (see withClaimLock): the claim is read again and moved aside only when
  // it is still there and the one judged stale (`isSame`), so a claim made since is never touched
  // (one made after the read finds the name taken: only a create changes it under the lock). The
  // moved file is compared again, for processes of earlier versions, which take no lock: if it is
  // not the stale claim, it is put back. A takeover killed after the move leaves only the stale
  // claim aside (swept by removeAbandonedAsides); its lock is released by the kernel.
  #removeClaimIfStill(path: string, isSame: (file: string) => boolean): void {
    const aside = asidePathOf(path);
    const moved = this.#withClaimLock(path, () => {
      // Gone (released) is not the same: a claim made after this read would be moved.
      if (!isSame(path)) return false;
      try {
        Deno.renameSync(path, aside);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return false; // Deleted by hand meanwhile.
        throw error;
      }
      if (!isSame(aside)) {
        try {
          Deno.linkSync(aside, path);
        } catch (error) {
          if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        }
      }
      return true;
    });
    if (moved) Deno.removeSync(aside);
  }
}

/**
 * Gives up every claim this process holds, in every store (the claims {@linkcode ResultStore.claim}
 * took and {@linkcode ResultStore.release} has not given back). A claim file that another process
 * holds now (it took this process's claim over as stale) or that cannot be read is left alone.
 * Returns the claim files removed; throws (after trying every claim) naming those it could not
 * remove. Cell checkpoints are not touched: the next run resumes from them.
 */
export function releaseHeldClaims(): string[] {
  const released: string[] = [];
  const kept: string[] = [];
  const isMine = (path: string) => {
    try {
      return isThisProcess(readClaim(path));
    } catch {
      return false; // Unreadable: not known to be this process's, so not removed.
    }
  };
  for (const [path, lockWaitSeconds] of HELD_CLAIMS) {
    if (!isMine(path)) continue;
    try {
      withClaimLock(path, () => {
        if (!isMine(path)) return;
        Deno.removeSync(path);
        released.push(path);
      }, lockWaitSeconds);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        kept.push(`${path} (${(error as Error).message})`);
      }
    }
  }
  HELD_CLAIMS.clear();
  if (kept.length > 0) {
    throw new Error(
      `could not give up ${kept.join(", ")}; gave up ${released.length} other(s); a kept claim ` +
        "goes stale after its heartbeat stops, or delete it",
    );
  }
  return released;
}

/** Exit status of a process stopped by a signal it handles: 128 + the signal's number. */
export const SIGNAL_EXIT_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

/** The signals after which a process gives its claims up ({@linkcode releaseClaimsOnSignal}). */
export type StopSignal = keyof typeof SIGNAL_EXIT_STATUS;

/** Settings of {@linkcode releaseClaimsOnSignal}. */
export interface ReleaseOnSignalOptions {
  /**
   * Runs first on the signal, e.g. stopping the worker processes this process started and waiting
   * for them (they give up their own claims). This process keeps running meanwhile (its cell
   * trains on, and may finish, or be followed by a new claim): its claims are given up after this,
   * right before it exits, so none is left behind.
   */
  onStop?: (signal: StopSignal) => void | Promise<void>;
  /** Says which claims were given up (default: to stderr). */
  log?: (line: string) => void;
}

let releaseOnSignalInstalled = false;

/**
 * Makes this process, when stopped by SIGINT (Ctrl-C) or SIGTERM, run `options.onStop`, give up
 * every claim it holds ({@linkcode releaseHeldClaims}) and exit with
 * {@linkcode SIGNAL_EXIT_STATUS} (130 or 143). In Deno a process with a signal listener no longer
 * exits on that signal by itself, so this is the one listener of these signals for a process that
 * runs cells: install it once, before the first claim; a second call is an error. A second signal
 * while `onStop` runs gives the claims up and exits at once. SIGKILL cannot be handled (see the
 * module documentation).
 *
 * The listener runs when the event loop gets a turn: the trainer and the evaluation give it one
 * at least every second (`EventLoopTurns`, lib/util/event_loop.ts), so a cell stops within about
 * a second or a training step.
 *
 * Returns a function that stops the process the way `signal` would have, for a stop that comes
 * without one (a worker whose main process is gone: scripts/reproduce_workers.ts).
 */
export function releaseClaimsOnSignal(
  options: ReleaseOnSignalOptions = {},
): (signal: StopSignal) => void {
  if (releaseOnSignalInstalled) {
    throw new Error("releaseClaimsOnSignal: already installed in this process (install it once)");
  }
  releaseOnSignalInstalled = true;
  const log = options.log ?? ((line: string) => console.error(line));
  // Whatever fails (a closed terminal, a claim that cannot be removed), the process exits.
  const quietly = (action: () => void) => {
    try {
      action();
    } catch { /* nowhere to report it */ }
  };
  const releaseAndExit = (signal: StopSignal): never => {
    try {
      const released = releaseHeldClaims();
      if (released.length > 0) {
        quietly(() =>
          log(
            `${signal}: gave up ${released.length} claim(s) (${released.join(", ")}); a rerun ` +
              "resumes them from their last epoch checkpoint",
          )
        );
      }
    } catch (error) {
      quietly(() => console.error(`${signal}: ${(error as Error).message}`));
    }
    Deno.exit(SIGNAL_EXIT_STATUS[signal]);
  };
  let stopping = false;
  // Windows has no SIGTERM listener (Deno supports SIGINT and SIGBREAK there).
  const signals = Deno.build.os === "windows"
    ? (["SIGINT"] as const)
    : (Object.keys(SIGNAL_EXIT_STATUS) as StopSignal[]);
  const stop = async (signal: StopSignal) => {
    if (stopping) releaseAndExit(signal);
    stopping = true;
    try {
      await options.onStop?.(signal);
    } catch (error) {
      quietly(() => console.error(`${signal}: ${(error as Error).message}`));
    }
    releaseAndExit(signal);
  };
  for (const signal of signals) Deno.addSignalListener(signal, () => stop(signal));
  return (signal) => void stop(signal);
}
