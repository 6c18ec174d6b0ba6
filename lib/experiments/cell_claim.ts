/**
 * Who is running a cell of a results folder: a claim (`<cell>.claim`, made by
 * {@linkcode ResultStore.claim}), and when it is stale and may be taken over.
 *
 * A claim records the host, the claiming process's identity (pid, a random token of the process,
 * and where readable the boot id and start time, so a reused pid is not mistaken for the claimant)
 * and a heartbeat the runner refreshes (every epoch and every {@linkcode HEARTBEAT_SECONDS}:
 * `ResultStore.keepAlive`, whose timer runs while a cell trains or is evaluated, since both give
 * the event loop a turn every second). A claim is stale, and taken over, when
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
 * @module
 */

/** This process's identity in its claims (pids are reused; `/proc` may be unreadable). */
const PROCESS_TOKEN = crypto.randomUUID();

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

/** A new claim of this process (on this host, now), for the batch job `job` when one runs it. */
export function claimOfThisProcess(job?: string): CellClaim {
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
