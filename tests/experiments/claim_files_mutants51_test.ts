/**
 * Mutation round 51 of the claim files: an aside of an earlier version (`<claim>.<pid>.stale`, no
 * time in its name) is swept by its change time once that is older than the temporaries' limit.
 * Requiring the time in the name survived every test: the change time cannot be set back, so the
 * test sets the clock forward instead (Date.now, restored after).
 */
import { assertEquals } from "@std/assert";
import { removeAbandonedAsides } from "../../lib/experiments/_claim_files.ts";
import { STALE_TEMPORARY_SECONDS } from "../../lib/data/atomic_write.ts";
import { namesIn } from "./_names_in.ts";
import { inTempDir } from "./_in_temp_dir.ts";

Deno.test(
  "removeAbandonedAsides: an earlier version's aside (no time in its name) goes once its change time is old",
  inTempDir((directory) => {
    const aside = "k.claim.4242.stale";
    Deno.writeTextFileSync(`${directory}/${aside}`, "{}");
    removeAbandonedAsides(directory);
    assertEquals(namesIn(directory), [aside], "changed just now: a takeover may be in progress");
    const { now } = Date;
    Date.now = () => now() + (STALE_TEMPORARY_SECONDS + 60) * 1000;
    try {
      removeAbandonedAsides(directory);
    } finally {
      Date.now = now;
    }
    assertEquals(namesIn(directory), []);
  }),
);
