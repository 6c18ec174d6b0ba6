/**
 * The signals that stop a launcher of processes that run in sessions of their own (the notebook
 * server of `./run.sh lab` and of the live browser check), and the one way to listen for them.
 *
 * Why: Jupyter runs detached (a Ctrl-C in the terminal must not reach its interactive shutdown
 * prompt), so the terminal's SIGINT, a CI timeout's SIGTERM or a closed terminal's SIGHUP reach
 * only the launcher. Without a listener Deno exits on them at once and the server, its kernels (and
 * a browser the launcher started) keep running. With one, the process no longer exits by itself:
 * the listener aborts an `AbortSignal` that the launcher passes to what it starts
 * (`startLabServer`'s `signal`, puppeteer's `launch`), stops everything, and exits itself.
 *
 * @example
 * ```ts
 * const stop = listenForStopSignals();
 * // ... startLabServer({ projectRoot, signal: stop.signal }) ...
 * const signal = stop.stoppedBy(); // "SIGINT", "SIGTERM", "SIGHUP" or undefined
 * stop.close();
 * ```
 *
 * @module
 */

/** Ctrl-C, `kill` (a CI timeout), a closed terminal. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** One of {@linkcode STOP_SIGNALS}. */
export type StopSignalName = typeof STOP_SIGNALS[number];

/**
 * The exit status of a process that a stop signal ended after it had cleaned up: 128 + the
 * signal's number, what a shell reports for a process the signal killed. The one table of them:
 * `SIGNAL_EXIT_STATUS` of lib/experiments and `deno task notebooks` take SIGINT's and SIGTERM's
 * from here.
 */
export const STOP_SIGNAL_STATUS: Readonly<Record<StopSignalName, number>> = Object.freeze({
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
});

/** What {@linkcode listenForStopSignals} returns. */
export interface StopSignalListener {
  /** Aborted by the first stop signal, its reason the signal's name. */
  signal: AbortSignal;
  /** The first stop signal received, if any. */
  stoppedBy(): StopSignalName | undefined;
  /** Removes the listeners: the process exits on these signals by itself again. */
  close(): void;
}

/**
 * Listens for every one of {@linkcode STOP_SIGNALS}: the first aborts `signal` (its reason the
 * signal's name), later ones change nothing. From now on this process does not exit on these
 * signals by itself: the caller stops what it started and exits (with
 * {@linkcode STOP_SIGNAL_STATUS} unless stopping is its normal end).
 */
export function listenForStopSignals(): StopSignalListener {
  const controller = new AbortController();
  const listeners = STOP_SIGNALS.map((name) => {
    const listener = () => controller.abort(name);
    Deno.addSignalListener(name, listener);
    return [name, listener] as const;
  });
  return {
    signal: controller.signal,
    stoppedBy: () =>
      controller.signal.aborted ? controller.signal.reason as StopSignalName : undefined,
    close() {
      for (const [name, listener] of listeners) Deno.removeSignalListener(name, listener);
    },
  };
}
