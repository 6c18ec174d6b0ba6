/**
 * Edges of the claim files (lib/experiments/_claim_files.ts) that claim_release_gaps_test.ts leaves
 * open: the sweep of abandoned asides matches the whole name (a file that only starts like an old
 * aside, a copy someone kept, is left), and an unreadable claim's message shows at most the first
 * 40 characters of the JSON it found (a hand-edited file may be long). Found by mutation round MC
 * (MC26, MC44).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  readClaim,
  removeAbandonedAsides,
  UnreadableClaimError,
} from "../../lib/experiments/_claim_files.ts";
import { STALE_TEMPORARY_SECONDS } from "../../lib/data/atomic_write.ts";
import { namesIn } from "./_names_in.ts";
import { inTempDir } from "./_in_temp_dir.ts";

Deno.test(
  "removeAbandonedAsides leaves a file whose name only starts like an old aside",
  inTempDir((directory) => {
    const old = Date.now() - (STALE_TEMPORARY_SECONDS + 60) * 1000;
    const aside = `k.claim.1-${old}.stale`;
    const kept = `${aside}.bak`;
    for (const name of [aside, kept]) Deno.writeTextFileSync(`${directory}/${name}`, "{}");
    removeAbandonedAsides(directory);
    assertEquals(namesIn(directory), [kept]);
  }),
);

Deno.test(
  "readClaim: an unreadable claim's message shows the first 40 characters of a long JSON value",
  inTempDir((directory) => {
    const path = `${directory}/k.claim`;
    const list = JSON.stringify(Array.from({ length: 30 }, (_, i) => i));
    Deno.writeTextFileSync(path, list);
    const error = assertThrows(() => readClaim(path), UnreadableClaimError);
    assertStringIncludes(
      error.message,
      `${path}: unreadable claim (${list.slice(0, 40)} is not a claim object)`,
    );
    assertEquals((error as UnreadableClaimError).text, list);
  }),
);
