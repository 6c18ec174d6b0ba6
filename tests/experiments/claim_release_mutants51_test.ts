/**
 * releaseHeldClaims (lib/experiments/claim_release.ts), pinned where mutation round mu51c found no
 * test: a claim another process took over is passed over before its lock is taken, so its holder's
 * lock costs no wait and no error. (That a held claim lock is waited for as long as the claim's
 * store says, `lockWaitSeconds`, and the line naming the kept claim says how long it waited, is
 * pinned by claim_release_gaps_test.ts, "counts the claims it gave up and says why it kept one";
 * this file held a copy of that test.)
 */
import { assertEquals } from "@std/assert";
import { releaseHeldClaims } from "../../lib/experiments/claim_release.ts";
import { lockPathOf } from "../../lib/experiments/_claim_lock.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { holdingLock } from "./_held_lock.ts";
import { takeOverClaim } from "./_watched_heartbeat.ts";

Deno.test(
  "releaseHeldClaims passes over a claim taken over since without waiting for its lock",
  inTempDir((directory) => {
    // Another process took the claim over and holds its lock: nothing here is this process's.
    const store = new ResultStore(directory, { lockWaitSeconds: 0.05 });
    assertEquals(store.claim("taken"), undefined);
    const taker = takeOverClaim(store, "taken");
    const taken = store.claimPathOf("taken");
    assertEquals(holdingLock(lockPathOf(taken), () => releaseHeldClaims()), []);
    assertEquals(JSON.parse(Deno.readTextFileSync(taken)), taker);
    Deno.removeSync(lockPathOf(taken));
  }),
);
