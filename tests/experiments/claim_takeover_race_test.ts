/**
 * A takeover never removes a live claim. Two processes that find the same stale claim both take
 * it over; the one that comes second must leave the claim the first made since alone. Before, the
 * second moved that live claim aside (then compared it and put it back): killed right after the
 * move, or beaten to the free name by a third process before the put-back, it lost the live
 * claim, and the cell ran twice. The interleavings are injected here deterministically: the first
 * takeover and claim happen right after this process read the stale claim (as a second process
 * would between this one's judgment and its move).
 */
import { assert, assertEquals } from "@std/assert";
import { type CellClaim, ResultStore } from "../../lib/experiments/result_store.ts";

const OLD = "2020-01-01T00:00:00.000Z";
/** The stale claim: a process on another host whose heartbeat stopped years ago. */
const DEAD: CellClaim = { pid: 2 ** 22 + 1, hostname: "gone", since: OLD, heartbeat: OLD };

/** A live claim of another process (another host, fresh heartbeat: never judged stale here). */
function liveClaim(name: string): CellClaim {
  const now = new Date().toISOString();
  return { pid: 4242, hostname: `host-${name}`, since: now, heartbeat: now, token: name };
}

class SimulatedKill extends Error {}

/** Creates the claim file `path` with `claim` (failing when it exists), as a claimant does. */
function createClaim(path: string, claim: CellClaim): boolean {
  try {
    Deno.writeTextFileSync(path, JSON.stringify(claim), { createNew: true });
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/**
 * Runs `claim` with the file operations of other processes injected: `afterReads[n]` right after
 * this process's n-th read of the claim file `path` (found or not), `afterMoveAside` when this
 * process renames the claim file aside (if it does).
 */
function interleaved<T>(
  path: string,
  afterReads: (() => void)[],
  claim: () => T,
  afterMoveAside: () => void,
): T {
  const { readTextFileSync, renameSync } = Deno;
  let reads = 0;
  Deno.readTextFileSync = ((file: string | URL) => {
    if (String(file) !== path) return readTextFileSync(file);
    try {
      return readTextFileSync(file);
    } finally {
      afterReads[reads++]?.();
    }
  }) as typeof Deno.readTextFileSync;
  Deno.renameSync = (from: string | URL, to: string | URL) => {
    renameSync(from, to);
    if (String(from) === path) afterMoveAside();
  };
  try {
    return claim();
  } finally {
    Deno.readTextFileSync = readTextFileSync;
    Deno.renameSync = renameSync;
  }
}

/**
 * Runs `claim` with another process's takeover of the stale claim at `path` (and its new claim,
 * `live`) injected right after this process first read the claim file (see interleaved).
 */
function withRivalTakeover<T>(
  path: string,
  live: CellClaim,
  claim: () => T,
  afterMoveAside: () => void,
): T {
  const rivalTakeover = () => {
    Deno.removeSync(path); // The rival's takeover of the stale claim, done ...
    assertEquals(createClaim(path, live), true); // ... and its claim of the cell.
  };
  return interleaved(path, [rivalTakeover], claim, afterMoveAside);
}

function inStore(body: (store: ResultStore, path: string) => void): () => void {
  return () => {
    const directory = Deno.makeTempDirSync();
    try {
      const store = new ResultStore(directory);
      const path = store.claimPathOf("k");
      Deno.writeTextFileSync(path, JSON.stringify(DEAD));
      body(store, path);
    } finally {
      Deno.removeSync(directory, { recursive: true });
    }
  };
}

Deno.test(
  "a takeover killed right after its move never loses a claim another process took meanwhile",
  inStore((store, path) => {
    const rival = liveClaim("rival");
    let outcome: unknown;
    try {
      outcome = withRivalTakeover(path, rival, () => store.claim("k"), () => {
        throw new SimulatedKill("killed right after moving the claim aside");
      });
    } catch (error) {
      assert(error instanceof SimulatedKill, String(error));
      outcome = "killed";
    }
    // Before: the rival's live claim lay moved aside, the cell's claim name was free.
    assertEquals(store.claimOf("k"), rival, `the rival's claim stays (outcome: ${outcome})`);
    assertEquals(createClaim(path, liveClaim("third")), false, "a third process is refused");
  }),
);

Deno.test(
  "a takeover whose put-back a third process beats never loses a claim another process took meanwhile",
  inStore((store, path) => {
    const rival = liveClaim("rival");
    const third = liveClaim("third");
    let thirdClaimed = false;
    const holder = withRivalTakeover(path, rival, () => store.claim("k"), () => {
      thirdClaimed = createClaim(path, third); // The name was free: a third process claims.
    });
    // Before: the third process claimed too and the rival's claim was removed (the cell ran on in
    // both, twice).
    assertEquals(thirdClaimed, false, "no third process gets the cell");
    assertEquals(holder, rival);
    assertEquals(store.claimOf("k"), rival);
  }),
);

Deno.test(
  "a takeover still removes the claim it judged stale and takes the cell",
  inStore((store, path) => {
    assertEquals(store.claim("k"), undefined);
    assertEquals(store.claimOf("k")?.pid, Deno.pid);
    store.release("k");
    assertEquals(
      [...Deno.readDirSync(path.slice(0, path.lastIndexOf("/")))].map((entry) => entry.name),
      [],
      "nothing left behind (no claim moved aside, no lock)",
    );
  }),
);

Deno.test(
  "a claim lock that a killed process left blocks no takeover and is swept when a store opens",
  inStore((store, path) => {
    const directory = path.slice(0, path.lastIndexOf("/"));
    const names = () => [...Deno.readDirSync(directory)].map((entry) => entry.name).sort();
    Deno.writeTextFileSync(`${path}.lock`, ""); // Its holder was killed: nothing holds it.
    assertEquals(store.claim("k"), undefined, "the stale claim is taken over");
    assertEquals(names(), ["k.claim"]);
    store.release("k");
    Deno.writeTextFileSync(`${directory}/other.claim.lock`, "");
    new ResultStore(directory);
    assertEquals(names(), []);
  }),
);

Deno.test(
  "a takeover that finds the stale claim gone never moves a claim made right after",
  inStore((store, path) => {
    const rival = liveClaim("rival");
    let rivalClaimed = false;
    let outcome: unknown;
    try {
      outcome = interleaved(
        path,
        [
          () => Deno.removeSync(path), // Taken over by another process, not claimed yet ...
          () => rivalClaimed = createClaim(path, rival), // ... and claimed right after a read.
        ],
        () => store.claim("k"),
        () => {
          throw new SimulatedKill("killed right after moving the claim aside");
        },
      );
    } catch (error) {
      assert(error instanceof SimulatedKill, String(error));
      outcome = "killed";
    }
    rivalClaimed ||= createClaim(path, rival);
    // One of the two holds the cell, and its claim is in place.
    const holder = store.claimOf("k");
    assertEquals(
      rivalClaimed ? holder : holder?.pid,
      rivalClaimed ? rival : Deno.pid,
      `outcome ${JSON.stringify(outcome)}`,
    );
  }),
);
