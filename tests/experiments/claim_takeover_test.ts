/**
 * What a claim's liveness rules leave alone: a fresh claim from another host is never judged by
 * this host's process table; a claim naming this process's pid but another process's token is not
 * refreshed or released by this process; a store's stale limit must be a positive number.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { type CellClaim, claimStaleness } from "../../lib/experiments/cell_claim.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { withStore } from "./_in_temp_dir.ts";

/** A pid that no process here has (above Linux's largest pid_max, 2^22). */
const NO_SUCH_PID = 2 ** 22 + 12345;

function writeClaim(store: ResultStore, key: string, claim: CellClaim): void {
  Deno.writeTextFileSync(store.claimPathOf(key), JSON.stringify(claim));
}

Deno.test(
  "a fresh claim from another host is live even when its pid runs nothing here",
  withStore((store) => {
    const now = new Date().toISOString();
    const remote: CellClaim = {
      pid: NO_SUCH_PID,
      hostname: `not-${Deno.hostname()}`,
      since: now,
      heartbeat: now,
      bootId: "00000000-0000-0000-0000-000000000000",
      processStart: 1,
    };
    assertEquals(claimStaleness(remote), undefined);
    writeClaim(store, "k", remote);
    assertEquals(store.claim("k")?.hostname, remote.hostname, "not taken over");
    // The same claim on this host names a process that is gone (or a boot that is over): stale.
    if (Deno.build.os === "linux") {
      const local = { ...remote, hostname: Deno.hostname() };
      assertEquals(typeof claimStaleness(local), "string");
    }
  }),
);

Deno.test(
  "a claim with this pid but another process's token is neither refreshed nor released",
  withStore((store) => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const earlier: CellClaim = {
      pid: Deno.pid,
      hostname: Deno.hostname(),
      since,
      heartbeat: since,
      token: "an-earlier-process",
    };
    writeClaim(store, "k", earlier);
    store.heartbeat("k");
    assertEquals(store.claimOf("k"), earlier, "heartbeat leaves it unchanged");
    store.release("k");
    assertEquals(store.claimOf("k"), earlier, "release leaves it in place");
  }),
);

Deno.test("ResultStore: a stale limit that is not a positive number is refused", () => {
  const directory = Deno.makeTempDirSync();
  try {
    for (const staleSeconds of [0, -1, NaN]) {
      assertThrows(
        () => new ResultStore(directory, { staleSeconds }),
        Error,
        "staleSeconds must be > 0",
      );
    }
    assertEquals(new ResultStore(directory, { staleSeconds: 1 }).staleSeconds, 1);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
