/**
 * A directory of finished grid cells, one JSON file per cell, so that a run that stops part-way
 * resumes without redoing finished cells. A cell's file name is derived from its key; a file is
 * written atomically, so a cell is either finished or absent. Each file also records the cell's
 * settings: a stored cell whose settings differ from the requested ones counts as not finished,
 * so changing a default reruns exactly the cells it affects.
 *
 * Several processes can share one store: a process claims a cell (a `.claim` file created
 * exclusively) before it runs it and skips cells that a live process holds, so two terminals
 * running the same grid split its cells between them. The claim of a process that died on this
 * host is taken over.
 *
 * @example
 * ```ts
 * const store = new ResultStore("results/cells");
 * const cell = store.get<MyResult>(key, settings) ?? store.put(key, settings, await run());
 * ```
 */
import { writeFilesAtomically } from "../data/atomic_write.ts";

function fileNameOf(key: string): string {
  return `${key.replace(/[^A-Za-z0-9=._-]+/g, "__")}.json`;
}

/** Who is running a cell. */
export interface CellClaim {
  pid: number;
  hostname: string;
  since: string;
  /** The batch job running the cell (e.g. Slurm's `1234_7`), when a scheduler started it: a
   * claim on another host can only be judged stale by asking the scheduler about this job. */
  job?: string;
}

function isRunning(pid: number): boolean {
  // Linux exposes live processes under /proc; elsewhere a claim is never judged stale.
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return Deno.build.os !== "linux";
  }
}

function readClaim(path: string): CellClaim | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(path)) as CellClaim;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`${path}: unreadable claim (${(error as Error).message}); delete it`);
  }
}

export class ResultStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
    Deno.mkdirSync(directory, { recursive: true });
  }

  /** Path of the cell's file. */
  pathOf(key: string): string {
    return `${this.directory}/${fileNameOf(key)}`;
  }

  /** The stored result of `key` run with `settings`, or undefined when there is none. */
  get<T>(key: string, settings: unknown): T | undefined {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    try {
      const stored = JSON.parse(text) as { key: string; settings: unknown; result: T };
      if (stored.key !== key) throw new Error(`holds key "${stored.key}", expected "${key}"`);
      return JSON.stringify(stored.settings) === JSON.stringify(settings)
        ? stored.result
        : undefined;
    } catch (error) {
      throw new Error(`${path}: unreadable cell result (${(error as Error).message}); delete it`);
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
   * process that holds it. A claim left by a dead process on this host is taken over, and so is
   * one left by an earlier attempt of the same batch job `job` (a task the scheduler restarted:
   * Slurm's requeue, a Kubernetes pod retried for its index).
   */
  claim(key: string, job?: string): CellClaim | undefined {
    const path = this.claimPathOf(key);
    const mine: CellClaim = {
      pid: Deno.pid,
      hostname: Deno.hostname(),
      since: new Date().toISOString(),
      ...(job ? { job } : {}),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        Deno.writeTextFileSync(path, JSON.stringify(mine), { createNew: true });
        return undefined;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      const holder = readClaim(path);
      if (holder === undefined) continue;
      // The same batch job again: the scheduler restarted this task, so the earlier attempt is gone.
      const restarted = job !== undefined && holder.job === job;
      if (!restarted && (holder.hostname !== mine.hostname || isRunning(holder.pid))) return holder;
      this.#removeStaleClaim(path, holder);
    }
    throw new Error(`${path}: could not claim the cell (claims kept changing); try again`);
  }

  /** The claim on `key`, if any (whoever holds it, live or not). */
  claimOf(key: string): CellClaim | undefined {
    return readClaim(this.claimPathOf(key));
  }

  /** Gives up this process's claim on `key` (after the cell is stored, or when it failed). */
  release(key: string): void {
    const path = this.claimPathOf(key);
    const holder = readClaim(path);
    if (holder?.pid === Deno.pid && holder.hostname === Deno.hostname()) Deno.removeSync(path);
  }

  /**
   * Removes the claim on `key` when it is still `stale` (a claim the caller knows to be dead, e.g.
   * a batch job the scheduler no longer runs); a claim taken since then is left alone.
   */
  removeStaleClaim(key: string, stale: CellClaim): void {
    this.#removeStaleClaim(this.claimPathOf(key), stale);
  }

  // Moves the stale claim aside first: if another process took it over in the meantime, the
  // file moved is that process's live claim, and it is put back.
  #removeStaleClaim(path: string, stale: CellClaim): void {
    const aside = `${path}.${Deno.pid}.stale`;
    try {
      Deno.renameSync(path, aside);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    const moved = readClaim(aside);
    if (moved && JSON.stringify(moved) !== JSON.stringify(stale)) {
      try {
        Deno.linkSync(aside, path);
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
    }
    Deno.removeSync(aside);
  }
}
