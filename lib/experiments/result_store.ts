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
 * Who holds a claim and when it is stale: cell_claim.ts; the lock a process holds while it removes
 * or replaces a claim: _claim_lock.ts; the claim files themselves: _claim_files.ts; giving the
 * claims up when the process is stopped: claim_release.ts.
 *
 * A process that is alive can lose its claim (stopped or asleep for longer than the staleness):
 * its next heartbeat ({@linkcode ResultStore.heartbeat} false) finds that out, and the runners
 * hand the cell over at its next epoch end, writing nothing more of it (`HeldClaim`,
 * held_claim.ts).
 *
 * @example
 * ```ts
 * const store = new ResultStore("results/cells");
 * const cell = store.get<MyResult>(key, settings) ?? store.put(key, settings, await run());
 * ```
 */
import { removeStaleTemporaries, writeFilesAtomically } from "../data/atomic_write.ts";
import { readTextIfExists } from "../util/path_exists.ts";
import { canonicalJson } from "../util/json_differences.ts";
import {
  type CellClaim,
  CLAIM_STALE_SECONDS,
  claimOfThisProcess,
  claimStaleness,
  HEARTBEAT_SECONDS,
  isThisProcess,
} from "./cell_claim.ts";
import {
  asidePathOf,
  CLAIM_ATTEMPTS,
  createWhole,
  HELD_CLAIMS,
  readClaim,
  removeAbandonedAsides,
  secondsSinceWritten,
  UnreadableClaimError,
} from "./_claim_files.ts";
import {
  CLAIM_LOCK_WAIT_SECONDS,
  ClaimLockTimeoutError,
  removeAbandonedLocks,
  withClaimLock,
} from "./_claim_lock.ts";

function fileNameOf(key: string): string {
  return `${key.replace(/[^A-Za-z0-9=._-]+/g, "__")}.json`;
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
    const stored = this.#read<T>(key);
    if (stored === undefined) return undefined;
    // Equal settings in another key order (a hand-edited record) are the same run.
    if (canonicalJson(stored.settings) !== canonicalJson(settings)) return undefined;
    if (!check) return stored.result;
    try {
      return check(stored.result);
    } catch (error) {
      throw unreadable(this.pathOf(key), error);
    }
  }

  /**
   * The settings the stored result of `key` was run with (whatever they are), or undefined when
   * none is stored: what tells why a stored cell counts as not finished, or whether a model kept
   * from its run is still the cell's.
   */
  storedSettings(key: string): unknown {
    return this.#read(key)?.settings;
  }

  #read<T>(key: string): { key: string; settings: unknown; result: T } | undefined {
    const path = this.pathOf(key);
    const text = readTextIfExists(path);
    if (text === undefined) return undefined;
    try {
      const stored: unknown = JSON.parse(text);
      // JSON that is no object (a hand-edited `null`, a list): said as such. Before, `null` gave
      // JavaScript's "Cannot read properties of null", and a list "holds key "undefined"".
      if (stored === null || typeof stored !== "object" || Array.isArray(stored)) {
        const found = JSON.stringify(stored).slice(0, 40);
        throw new Error(`is ${found}, not an object with the cell's key, settings and result`);
      }
      const cell = stored as { key: string; settings: unknown; result: T };
      if (cell.key !== key) throw new Error(`holds key "${cell.key}", expected "${key}"`);
      return cell;
    } catch (error) {
      throw unreadable(path, error);
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

  /**
   * Stores the result of `key` run with `settings` atomically and returns it. A file that holds
   * the result of another key (two keys of one file name: `a/b` and `a__b`) is an error naming
   * both: before, each of the two cells' results replaced the other's, so each run found the other
   * cell unfinished and ran it again.
   */
  put<T>(key: string, settings: unknown, result: T): T {
    const path = this.pathOf(key);
    const other = keyHeldBy(path);
    if (other !== undefined && other !== key) {
      throw new Error(
        `${path}: holds the result of ${JSON.stringify(other)}, not of ${JSON.stringify(key)} ` +
          "(two keys of one file name: one of the cells needs another name)",
      );
    }
    let data: string;
    try {
      data = JSON.stringify({ key, settings, result }, null, 1);
    } catch (error) {
      // JSON's own message (a BigInt, a cycle) names neither the cell nor its file.
      throw new Error(
        `${path}: the result of ${JSON.stringify(key)} cannot be written as JSON ` +
          `(${(error as Error).message})`,
        { cause: error },
      );
    }
    writeFilesAtomically([{ path, data }]);
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
    const mine = claimOfThisProcess(job);
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
 * The key whose result the cell file `path` holds; undefined when there is none, or when the file
 * is not a readable result (a file cut short is replaced: `get` names it until then).
 */
function keyHeldBy(path: string): unknown {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text) as { key?: unknown } | null)?.key;
  } catch {
    return undefined;
  }
}

function unreadable(path: string, error: unknown): Error {
  return new Error(`${path}: unreadable cell result (${(error as Error).message}); delete it`);
}
