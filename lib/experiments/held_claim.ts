/**
 * A cell's claim while this process runs the cell, and what happens when the claim is lost.
 *
 * A live process can lose its claim: when its heartbeat stops for the store's `staleSeconds` (5
 * minutes by default) because the process was stopped (SIGSTOP, Ctrl-Z), its laptop slept or its
 * results folder stalled, another process takes the cell over as stale and trains it. Before, the
 * first process trained on silently once it ran again (its heartbeat did nothing then): two
 * processes trained the cell, both wrote its epoch checkpoints, its kept model and its result, and
 * the first removed the checkpoints the second was writing. Now every heartbeat (the timer's and
 * each epoch's) checks that the claim is still this process's; the first that finds it lost says so
 * in one line, naming the cell and the process that holds it now, and the cell stops at its next
 * epoch end, before that epoch's checkpoint, with {@linkcode ClaimLostError}: nothing more of the
 * cell is written (no checkpoint, no result, no kept model) and nothing the new holder wrote is
 * removed. The runners count such a cell as handed over, neither finished nor failed.
 *
 * A heartbeat of the timer that waited out the claim's lock (another process holds it, paused:
 * `ClaimLockTimeoutError`) stops the timer, and {@linkcode HeldClaim.check} throws that error at
 * the next epoch end without waiting again: the runners end the run with its line, which says how
 * to find and free that process.
 *
 * @example
 * ```ts
 * const held = new HeldClaim(store, key, console.log); // after store.claim(key) succeeded
 * try {
 *   await train({ afterEpoch: () => held.check() }); // stops at the epoch end once lost
 *   held.check(); // before storing the result
 *   store.put(key, settings, result);
 * } finally {
 *   held.stop();
 * }
 * ```
 */
import type { ClaimLockTimeoutError } from "./_claim_lock.ts";
import { type CellClaim, describeClaimHolder, HEARTBEAT_SECONDS } from "./cell_claim.ts";
import type { ResultStore } from "./result_store.ts";

/**
 * Thrown where a cell stops because another process took its claim over: the runners count the
 * cell as handed over (that process runs and stores it) and go on with the next cell.
 */
export class ClaimLostError extends Error {
  /** The cell's key. */
  readonly key: string;
  /** The claim on the cell when the loss was found (another process's); undefined: none. */
  readonly holder: CellClaim | undefined;

  /** Says which cell was lost, to whom, and what this process does about it. */
  constructor(store: ResultStore, key: string, holder: CellClaim | undefined) {
    const taken = holder
      ? `its claim was taken over, ${describeClaimHolder(holder)} (judged stale: this process's ` +
        `heartbeat had stopped for over ${store.staleSeconds} s, as when it is stopped or asleep ` +
        "or its results folder stalls, or its batch job was started again)"
      : `its claim ${store.claimPathOf(key)} is gone (deleted, or taken over by a process that ` +
        "has given it up since)";
    super(
      `${key}: ${taken}; this process hands the cell over: it stops training it at the next ` +
        "epoch end and writes nothing more of it",
    );
    this.name = "ClaimLostError";
    this.key = key;
    this.holder = holder;
  }
}

/**
 * The claim this process holds on a cell while it runs it: its heartbeat every `seconds`
 * ({@linkcode ResultStore.keepAlive}) and at every {@linkcode check}. The first heartbeat that
 * finds the claim lost logs {@linkcode ClaimLostError}'s line once; `check` throws it from then on.
 */
export class HeldClaim {
  readonly #store: ResultStore;
  readonly #key: string;
  readonly #log: (line: string) => void;
  readonly #stopTimer: () => void;
  #lost: ClaimLostError | undefined;
  /** The timer's heartbeat that waited out the claim's lock (held by a paused process). */
  #stuck: ClaimLockTimeoutError | undefined;

  /** Starts the heartbeat of the claim on `key`, which this process has just made. */
  constructor(
    store: ResultStore,
    key: string,
    log: (line: string) => void,
    seconds = HEARTBEAT_SECONDS,
  ) {
    this.#store = store;
    this.#key = key;
    this.#log = log;
    this.#stopTimer = store.keepAlive(key, seconds, () => this.#lose(), (error) => {
      this.#stuck = error;
    });
  }

  /**
   * Refreshes the heartbeat now; throws {@linkcode ClaimLostError} when the claim is no longer
   * this process's (found now or by an earlier heartbeat), and `ClaimLockTimeoutError` when the
   * timer's heartbeat waited out the claim's lock (or this one does). Called at each epoch end,
   * before the epoch's checkpoint, and before the cell's result is stored.
   */
  check(): void {
    if (this.#stuck !== undefined) throw this.#stuck;
    if (this.#lost === undefined && !this.#store.heartbeat(this.#key)) this.#lose();
    if (this.#lost !== undefined) throw this.#lost;
  }

  /** Stops the heartbeat timer (the claim itself is released by the caller). */
  stop(): void {
    this.#stopTimer();
  }

  #lose(): void {
    if (this.#lost !== undefined) return;
    this.#stopTimer();
    this.#lost = new ClaimLostError(this.#store, this.#key, this.#store.claimOf(this.#key));
    this.#log(this.#lost.message);
  }
}
