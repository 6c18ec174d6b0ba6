/**
 * The claim files of a results folder ({@linkcode CellClaim}): reading one, creating one whole,
 * moving one aside while it is taken over, sweeping what killed takeovers left, and the claims this
 * process holds (what it gives up when stopped: claim_release.ts).
 *
 * @module
 */
import { STALE_TEMPORARY_SECONDS, temporaryPathOf } from "../data/atomic_write.ts";
import { readTextIfExists } from "../util/path_exists.ts";
import type { CellClaim } from "./cell_claim.ts";

/**
 * The claim files this process holds, in every store, each with its store's wait for a claim lock
 * (`ResultStore.lockWaitSeconds`): what it gives up when stopped.
 */
export const HELD_CLAIMS = new Map<string, number>();

/** A claim file that is not a claim (see {@linkcode readClaim}). */
export class UnreadableClaimError extends Error {
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
export function readClaim(path: string): CellClaim | undefined {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  let claim: unknown;
  try {
    claim = JSON.parse(text);
  } catch (error) {
    throw new UnreadableClaimError(path, text, error as Error);
  }
  // JSON that is no object (`null`, a number: a hand-edited file) is no claim either; before,
  // reading its fields threw a TypeError that named no file.
  if (claim === null || typeof claim !== "object" || Array.isArray(claim)) {
    const found = JSON.stringify(claim).slice(0, 40);
    throw new UnreadableClaimError(path, text, new Error(`${found} is not a claim object`));
  }
  return claim as CellClaim;
}

/** Seconds since `path` was last written; undefined when it is gone. */
export function secondsSinceWritten(path: string): number | undefined {
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
export const CLAIM_ATTEMPTS = 10;

/**
 * Creates `path` with `text` unless it exists; false when it does. The text goes to a temporary
 * first, which is then hard-linked to `path`: the link fails when `path` exists (the exclusive
 * create), and a reader never sees the claim without its content (a file created empty and then
 * written was read empty by contenders, and stayed empty after a kill or a full disk). Unlike an
 * atomic write's (lib/data/atomic_write.ts), the temporary is not synced: a claim that a power loss
 * left empty is read as an unreadable claim and taken over once as old as a stale heartbeat
 * ({@linkcode readClaim}); a claim lives while its cell runs, a result for good.
 */
export function createWhole(path: string, text: string): boolean {
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
export function asidePathOf(path: string): string {
  return `${path}.${Deno.pid}-${Date.now()}.stale`;
}

/**
 * Removes the claims that takeovers killed midway left moved aside ({@linkcode asidePathOf}) in
 * `directory`. None blocks its cell (the claim's own name is free, or holds the claim put back),
 * but nothing else removed them. Only those moved aside more than STALE_TEMPORARY_SECONDS ago: a
 * takeover removes its aside (or puts it back) within milliseconds, so an older one belongs to no
 * takeover in progress. An aside of an earlier version (`<claim>.<pid>.stale`, no time in its
 * name) is judged by its change time, which the rename set (Linux, macOS); without one it is left.
 */
export function removeAbandonedAsides(directory: string): void {
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
