/**
 * A `ResultStore` whose heartbeat timers and heartbeats are counted, and a claim another process
 * took over: the fixtures of the tests of `HeldClaim` and of giving claims up
 * (held_claim_gaps_test.ts, held_claim_mutants51_test.ts, claim_release_*_test.ts), which each had
 * a copy.
 */
import type { ClaimLockTimeoutError } from "../../lib/experiments/_claim_lock.ts";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import type { ResultStore } from "../../lib/experiments/result_store.ts";

/** What a store's `keepAlive` and `heartbeat` were asked to do, counted as they run. */
export interface WatchedHeartbeat {
  /** The period (`seconds`) each timer was started with, in order. */
  readonly periods: (number | undefined)[];
  /** Timers started, and timers stopped (by the function `keepAlive` returned). */
  started: number;
  stopped: number;
  /** Heartbeats written, by a timer or by a check. */
  beats: number;
  /** The last timer's `onLost` and `onStuck`, for a test to call as that timer's beat would. */
  onLost?: () => void;
  onStuck?: (error: ClaimLockTimeoutError) => void;
}

/**
 * Counts what `store`'s `keepAlive` and `heartbeat` do from now on (they still run): no waiting for
 * a timer's beat.
 */
export function watchHeartbeat(store: ResultStore): WatchedHeartbeat {
  const watched: WatchedHeartbeat = { periods: [], started: 0, stopped: 0, beats: 0 };
  const keepAlive = store.keepAlive.bind(store);
  store.keepAlive = (...args: Parameters<ResultStore["keepAlive"]>) => {
    watched.started++;
    watched.periods.push(args[1]);
    [watched.onLost, watched.onStuck] = [args[2], args[3]];
    const stop = keepAlive(...args);
    return () => (watched.stopped++, stop());
  };
  const heartbeat = store.heartbeat.bind(store);
  store.heartbeat = (key: string) => (watched.beats++, heartbeat(key));
  return watched;
}

/**
 * Writes over the claim file of `key` a live claim of another process (4242 on host-b), as a
 * takeover does, and returns it.
 */
export function takeOverClaim(store: ResultStore, key: string): CellClaim {
  const now = new Date().toISOString();
  const taker: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
  Deno.writeTextFileSync(store.claimPathOf(key), JSON.stringify(taker));
  return taker;
}
