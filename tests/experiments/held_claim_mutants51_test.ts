/**
 * `HeldClaim` (lib/experiments/held_claim.ts), pinned where mutation round mu51c found no test: a
 * loss found by `check` (an epoch end) stops the heartbeat timer at once, so that it beats no more
 * on a claim another process holds, and the loss is said once even when the timer's heartbeat finds
 * it too.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { ClaimLostError, HeldClaim } from "../../lib/experiments/held_claim.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";

Deno.test("HeldClaim: a loss check finds stops the timer at once and is said once", () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    let onLost: (() => void) | undefined;
    let timerStops = 0;
    const keepAlive = store.keepAlive.bind(store);
    store.keepAlive = (...args: Parameters<ResultStore["keepAlive"]>) => {
      onLost = args[2];
      const stopTimer = keepAlive(...args);
      return () => (timerStops++, stopTimer());
    };
    assertEquals(store.claim("k"), undefined);
    const lines: string[] = [];
    const held = new HeldClaim(store, "k", (line) => lines.push(line));
    try {
      const now = new Date().toISOString();
      const taker: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
      Deno.writeTextFileSync(store.claimPathOf("k"), JSON.stringify(taker));
      const first = assertThrows(() => held.check(), ClaimLostError);
      assertEquals(timerStops, 1, "the timer beat on after check found the claim lost");
      assertEquals(lines, [first.message]);
      assertStringIncludes(lines[0], "k: its claim was taken over, held by process 4242 on host-b");
      // The timer's heartbeat finding the same loss (as keepAlive's beat calls onLost) says nothing.
      onLost!();
      assertEquals(lines.length, 1, "the loss was said twice");
      assertEquals(assertThrows(() => held.check(), ClaimLostError), first);
    } finally {
      held.stop();
      store.release("k"); // Not this process's now: only no longer listed as held.
    }
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
