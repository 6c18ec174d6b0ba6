/**
 * Giving up this process's claims when it stops. A process stopped by SIGINT (Ctrl-C) or SIGTERM
 * gives its claims up before it exits, so that a run restarted at once resumes those cells (from
 * their last epoch checkpoint, which stays) instead of skipping them as "running" until the
 * heartbeat goes stale: the scripts that run cells install this with
 * {@linkcode releaseClaimsOnSignal}. SIGKILL (and a crash of the machine) cannot be handled: such
 * claims stay until their heartbeat is `CLAIM_STALE_SECONDS` old (or, with `/proc` readable, the
 * process check frees them at once).
 *
 * @module
 */
import { checkOptionalFunction, checkSettingNames } from "../util/settings.ts";
import { isThisProcess } from "./cell_claim.ts";
import { HELD_CLAIMS, readClaim } from "./_claim_files.ts";
import { withClaimLock } from "./_claim_lock.ts";
import { STOP_SIGNAL_STATUS } from "../util/stop_signals.ts";

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

/**
 * Exit status of a process stopped by a signal it handles: 128 + the signal's number (the one
 * table of them: `STOP_SIGNAL_STATUS`, lib/util/stop_signals.ts).
 */
export const SIGNAL_EXIT_STATUS: Readonly<{ SIGINT: number; SIGTERM: number }> = Object.freeze({
  SIGINT: STOP_SIGNAL_STATUS.SIGINT,
  SIGTERM: STOP_SIGNAL_STATUS.SIGTERM,
});

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
  // Before anything is installed: a null `log` wrote to stderr, a null `onStop` stopped nothing.
  checkSettingNames("ReleaseOnSignalOptions", options, { onStop: true, log: true });
  for (const name of ["onStop", "log"] as const) {
    const value: unknown = options[name];
    checkOptionalFunction(`ReleaseOnSignalOptions.${name}`, value);
  }
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
