/**
 * releaseHeldClaims (lib/experiments/claim_release.ts) when removing a claim file fails: a claim
 * whose removal fails is named as kept and not counted as given up, and one that vanished between
 * the check and the removal (another process's release or takeover) is neither. The failure is
 * injected by wrapping Deno.removeSync for the claim file alone, so the race needs no timing.
 * Found by mutation round MC (MC49, MC50).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { releaseHeldClaims } from "../../lib/experiments/claim_release.ts";
import { HELD_CLAIMS } from "../../lib/experiments/_claim_files.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

/** Runs `action` with Deno.removeSync of `path` throwing `error` (after removing it, if `gone`). */
function withRemovalFailing<T>(path: string, error: Error, gone: boolean, action: () => T): T {
  const { removeSync } = Deno;
  return withDenoStandIns({
    removeSync: (file: string | URL, options?: Deno.RemoveOptions) => {
      if (String(file) !== path) return removeSync(file, options);
      if (gone) removeSync(file, options);
      throw error;
    },
  }, action);
}

Deno.test("releaseHeldClaims: a claim it fails to remove is kept, not counted as given up", () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory, { lockWaitSeconds: 1 });
    assertEquals(store.claim("stuck"), undefined);
    assertEquals(store.claim("free"), undefined);
    const stuck = store.claimPathOf("stuck");
    const failure = new Deno.errors.PermissionDenied("Permission denied (os error 13)");
    const error = withRemovalFailing(
      stuck,
      failure,
      false,
      () => assertThrows(() => releaseHeldClaims()),
    );
    assertStringIncludes(
      error.message,
      `could not give up ${stuck} (Permission denied (os error 13))`,
    );
    assertStringIncludes(error.message, "gave up 1 other(s)");
    assertEquals(store.claimOf("free"), undefined);
    assertEquals([...HELD_CLAIMS.keys()], []);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("releaseHeldClaims: a claim gone between its check and its removal is neither kept nor given up", () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory, { lockWaitSeconds: 1 });
    assertEquals(store.claim("k"), undefined);
    const claim = store.claimPathOf("k");
    const gone = new Deno.errors.NotFound(
      `No such file or directory (os error 2): remove '${claim}'`,
    );
    assertEquals(withRemovalFailing(claim, gone, true, () => releaseHeldClaims()), []);
    assertEquals(store.claimOf("k"), undefined);
    assertEquals([...HELD_CLAIMS.keys()], []);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
