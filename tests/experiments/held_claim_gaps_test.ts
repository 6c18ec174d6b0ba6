/**
 * `ClaimLostError` and `HeldClaim` (lib/experiments/held_claim.ts), pinned where mutation round NN
 * found no test: what the error says and carries, and that `stop` stops the heartbeat's timer.
 * Mutation round JD (session 45) added: the error names the process that took the claim over, or
 * the claim file (not the result file) that is gone; the heartbeat's period is the one given; once
 * the timer's heartbeat waited out the claim's lock, `check` throws that error at once, without a
 * heartbeat that would wait again; and a loss the timer found is said once and thrown by `check`.
 */
import {
  assert,
  assertEquals,
  assertStrictEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { ClaimLockTimeoutError } from "../../lib/experiments/_claim_lock.ts";
import { type CellClaim, HEARTBEAT_SECONDS } from "../../lib/experiments/cell_claim.ts";
import { ClaimLostError, HeldClaim } from "../../lib/experiments/held_claim.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { inTempDir, withStore } from "./_in_temp_dir.ts";
import { takeOverClaim, watchHeartbeat } from "./_watched_heartbeat.ts";

Deno.test(
  "ClaimLostError names the store's stale time, and carries its name, key and holder",
  inTempDir((directory) => {
    // A stale time of its own: the message named the heartbeat's period (30 s) for it.
    const store = new ResultStore(directory, { staleSeconds: 42 });
    const now = new Date().toISOString();
    const holder: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
    const error = new ClaimLostError(store, "quick/k/seed=0", holder);
    assertStringIncludes(error.message, "heartbeat had stopped for over 42 s");
    assert(error.message.startsWith("quick/k/seed=0: its claim was taken over"), error.message);
    // What a runner and an uncaught error's line read.
    assertEquals([error.name, error.key, error.holder], [
      "ClaimLostError",
      "quick/k/seed=0",
      holder,
    ]);
    const gone = new ClaimLostError(store, "g", undefined);
    assertEquals([gone.name, gone.key, gone.holder], ["ClaimLostError", "g", undefined]);
  }),
);

Deno.test(
  "HeldClaim.stop stops the heartbeat timer it started",
  withStore((store) => {
    // A timer left running after its cell is released beats on a claim that is gone, and says the
    // cell was handed over. Counted through the store's keepAlive: no waiting for a beat.
    const timers = watchHeartbeat(store);
    assertEquals(store.claim("k"), undefined);
    const lines: string[] = [];
    const held = new HeldClaim(store, "k", (line) => lines.push(line));
    held.check();
    assertEquals([timers.started, timers.stopped], [1, 0]);
    held.stop();
    assertEquals([timers.started, timers.stopped], [1, 1]);
    store.release("k");
    assertEquals(lines, []);
  }),
);

Deno.test(
  "ClaimLostError names the process that took the claim over, or the claim file that is gone",
  withStore((store) => {
    const holder: CellClaim = {
      pid: 4242,
      hostname: "host-b",
      since: "S",
      heartbeat: "T",
      job: "9_1",
    };
    const taken = new ClaimLostError(store, "quick/k/seed=0", holder);
    assertStringIncludes(
      taken.message,
      "its claim was taken over, held by process 4242 on host-b (job 9_1) since S, last heartbeat T (",
    );
    const gone = new ClaimLostError(store, "quick/k/seed=0", undefined);
    // The claim file, not the result file (which does not exist yet).
    assertStringIncludes(gone.message, `its claim ${store.claimPathOf("quick/k/seed=0")} is gone`);
  }),
);

Deno.test(
  "HeldClaim beats every given seconds; a stuck timer's error is thrown by check without a heartbeat",
  withStore((store) => {
    // The timer's heartbeat waited out the claim's lock (a paused holder): check must not wait again.
    const timers = watchHeartbeat(store);
    assertEquals(store.claim("k"), undefined);
    const lines: string[] = [];
    new HeldClaim(store, "k", (line) => lines.push(line)).stop();
    const held = new HeldClaim(store, "k", (line) => lines.push(line), 7);
    try {
      assertEquals(timers.periods, [HEARTBEAT_SECONDS, 7]);
      held.check();
      assertEquals(timers.beats, 1);
      const stuck = new ClaimLockTimeoutError(`${store.claimPathOf("k")}.lock`, 180);
      timers.onStuck!(stuck);
      assertStrictEquals(assertThrows(() => held.check()), stuck);
      assertEquals(timers.beats, 1, "check beat again after the timer's beat was stuck");
    } finally {
      held.stop();
      store.release("k");
    }
    assertEquals(lines, []);
  }),
);

Deno.test(
  "HeldClaim: a loss the timer's heartbeat found is said once, and check throws it without beating",
  withStore((store) => {
    // Two processes on one cell: the timer found the claim taken over between two epoch ends.
    const timers = watchHeartbeat(store);
    assertEquals(store.claim("k"), undefined);
    const lines: string[] = [];
    const held = new HeldClaim(store, "k", (line) => lines.push(line));
    try {
      const taker = takeOverClaim(store, "k");
      timers.onLost!(); // as keepAlive's beat does when the heartbeat finds the claim not this process's
      assertEquals(lines.length, 1);
      assertStringIncludes(lines[0], "k: its claim was taken over, held by process 4242 on host-b");
      const error = assertThrows(() => held.check(), ClaimLostError);
      assertEquals([error.message, (error as ClaimLostError).holder], [lines[0], taker]);
      assertEquals(timers.beats, 0, "check beat again after the timer found the claim lost");
      assertEquals(lines.length, 1);
    } finally {
      held.stop();
      store.release("k"); // Not this process's now: only no longer listed as held.
    }
  }),
);
