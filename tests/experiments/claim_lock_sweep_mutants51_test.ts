/**
 * removeAbandonedLocks (lib/experiments/_claim_lock.ts), pinned where mutation round mu51c found no
 * test: a store opening a folder waits for a claim lock a live process holds as long as the store
 * says (`lockWaitSeconds`), and the error says how long it waited.
 */
import { assertStringIncludes, assertThrows } from "@std/assert";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { holdingLock } from "./_held_lock.ts";

Deno.test(
  "a store opening a folder waits its lockWaitSeconds for a claim lock another holder holds",
  inTempDir((directory) => {
    const lockPath = `${directory}/k.claim.lock`;
    const error = holdingLock(
      lockPath,
      () => assertThrows(() => new ResultStore(directory, { lockWaitSeconds: 0.05 })),
    );
    assertStringIncludes(
      error.message,
      `${lockPath}: this claim lock file was still locked after 0.05 s`,
    );
  }),
);
