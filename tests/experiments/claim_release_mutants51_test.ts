/**
 * releaseHeldClaims (lib/experiments/claim_release.ts), pinned where mutation round mu51c found no
 * test: a claim whose lock another process holds is waited for as long as its store says
 * (`lockWaitSeconds`), not the default 180 s, so a process stopping gives up its other claims and
 * exits within that wait, and the line naming the kept claim says how long it waited; and a claim
 * another process took over is passed over before its lock is taken, so its holder's lock costs
 * no wait and no error.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { releaseHeldClaims } from "../../lib/experiments/claim_release.ts";
import { lockPathOf } from "../../lib/experiments/_claim_lock.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { inTempDir } from "./_in_temp_dir.ts";

Deno.test(
  "releaseHeldClaims waits for a held claim lock as long as the claim's store says",
  inTempDir((directory) => {
    const store = new ResultStore(directory, { lockWaitSeconds: 0.05 });
    assertEquals(store.claim("locked"), undefined);
    const locked = store.claimPathOf("locked");
    // Another holder of the claim's lock (a flock of another open file conflicts in one process).
    const lock = Deno.openSync(lockPathOf(locked), { read: true, write: true, create: true });
    try {
      lock.lockSync(true);
      const error = assertThrows(() => releaseHeldClaims(), Error);
      assertStringIncludes(
        error.message,
        `could not give up ${locked} (${lockPathOf(locked)}: this claim lock file was still ` +
          "locked after 0.05 s of waiting.",
      );
    } finally {
      lock.close();
    }
    Deno.removeSync(lockPathOf(locked));
  }),
);

Deno.test(
  "releaseHeldClaims passes over a claim taken over since without waiting for its lock",
  inTempDir((directory) => {
    // Another process took the claim over and holds its lock: nothing here is this process's.
    const store = new ResultStore(directory, { lockWaitSeconds: 0.05 });
    assertEquals(store.claim("taken"), undefined);
    const taken = store.claimPathOf("taken");
    const now = new Date().toISOString();
    const taker = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
    Deno.writeTextFileSync(taken, JSON.stringify(taker));
    const lock = Deno.openSync(lockPathOf(taken), { read: true, write: true, create: true });
    try {
      lock.lockSync(true);
      assertEquals(releaseHeldClaims(), []);
    } finally {
      lock.close();
    }
    assertEquals(JSON.parse(Deno.readTextFileSync(taken)), taker);
    Deno.removeSync(lockPathOf(taken));
  }),
);
