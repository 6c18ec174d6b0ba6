/**
 * `ClaimLostError` and `HeldClaim` (lib/experiments/held_claim.ts), pinned where mutation round NN
 * found no test: what the error says and carries, and that `stop` stops the heartbeat's timer.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { ClaimLostError, HeldClaim } from "../../lib/experiments/held_claim.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";

Deno.test("ClaimLostError names the store's stale time, and carries its name, key and holder", () => {
  const directory = Deno.makeTempDirSync();
  try {
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
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("HeldClaim.stop stops the heartbeat timer it started", () => {
  // A timer left running after its cell is released beats on a claim that is gone, and says the
  // cell was handed over. Counted through the store's keepAlive: no waiting for a beat.
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    const keepAlive = store.keepAlive.bind(store);
    let started = 0;
    let stopped = 0;
    store.keepAlive = (...args: Parameters<ResultStore["keepAlive"]>) => {
      started++;
      const stop = keepAlive(...args);
      return () => (stopped++, stop());
    };
    assertEquals(store.claim("k"), undefined);
    const lines: string[] = [];
    const held = new HeldClaim(store, "k", (line) => lines.push(line));
    held.check();
    assertEquals([started, stopped], [1, 0]);
    held.stop();
    assertEquals([started, stopped], [1, 1]);
    store.release("k");
    assertEquals(lines, []);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
