/**
 * `HeldClaim` (lib/experiments/held_claim.ts), pinned where mutation round mu51c found no test: a
 * loss found by `check` (an epoch end) stops the heartbeat timer at once, so that it beats no more
 * on a claim another process holds, and the loss is said once even when the timer's heartbeat finds
 * it too.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { ClaimLostError, HeldClaim } from "../../lib/experiments/held_claim.ts";
import { withStore } from "./_in_temp_dir.ts";
import { takeOverClaim, watchHeartbeat } from "./_watched_heartbeat.ts";

Deno.test(
  "HeldClaim: a loss check finds stops the timer at once and is said once",
  withStore((store) => {
    const timers = watchHeartbeat(store);
    assertEquals(store.claim("k"), undefined);
    const lines: string[] = [];
    const held = new HeldClaim(store, "k", (line) => lines.push(line));
    try {
      takeOverClaim(store, "k");
      const first = assertThrows(() => held.check(), ClaimLostError);
      assertEquals(timers.stopped, 1, "the timer beat on after check found the claim lost");
      assertEquals(lines, [first.message]);
      assertStringIncludes(lines[0], "k: its claim was taken over, held by process 4242 on host-b");
      // The timer's heartbeat finding the same loss (as keepAlive's beat calls onLost) says nothing.
      timers.onLost!();
      assertEquals(lines.length, 1, "the loss was said twice");
      assertEquals(assertThrows(() => held.check(), ClaimLostError), first);
    } finally {
      held.stop();
      store.release("k"); // Not this process's now: only no longer listed as held.
    }
  }),
);
