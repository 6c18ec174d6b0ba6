/**
 * A takeover never removes a live claim. Two processes that find the same stale claim both take
 * it over; the one that comes second must leave the claim the first made since alone. Before, the
 * second moved that live claim aside (then compared it and put it back): killed right after the
 * move, or beaten to the free name by a third process before the put-back, it lost the live
 * claim, and the cell ran twice. The interleavings are injected here deterministically: the first
 * takeover and claim happen right after this process read the stale claim (as a second process
 * would between this one's judgment and its move).
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { releaseHeldClaims } from "../../lib/experiments/claim_release.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

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
  return withDenoStandIns({
    readTextFileSync: ((file: string | URL) => {
      if (String(file) !== path) return readTextFileSync(file);
      try {
        return readTextFileSync(file);
      } finally {
        afterReads[reads++]?.();
      }
    }) as typeof Deno.readTextFileSync,
    renameSync: (from: string | URL, to: string | URL) => {
      renameSync(from, to);
      if (String(from) === path) afterMoveAside();
    },
  }, claim);
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

/** Another process's takeover of whatever `path` holds, and its claim `claim` in its place. */
function replaceWith(path: string, claim: CellClaim): void {
  Deno.removeSync(path);
  assertEquals(createClaim(path, claim), true);
}

/** A live claim whose heartbeat a minute ago shows whether this process rewrote it. */
function rivalOfAMinuteAgo(): CellClaim {
  return { ...liveClaim("rival"), heartbeat: new Date(Date.now() - 60_000).toISOString() };
}

Deno.test(
  "a heartbeat, a release and releaseHeldClaims leave a claim taken over since they read theirs alone",
  () => {
    const actions: [string, (store: ResultStore) => unknown][] = [
      ["heartbeat", (store) => store.heartbeat("k")],
      ["release", (store) => store.release("k")],
      ["releaseHeldClaims", () => assertEquals(releaseHeldClaims(), [])],
    ];
    for (const [name, action] of actions) {
      inStore((store, path) => {
        assertEquals(store.claim("k"), undefined);
        const rival = rivalOfAMinuteAgo();
        // The rival took this process's claim over right after this process read it.
        interleaved(path, [() => replaceWith(path, rival)], () => action(store), () => {});
        // Not removed, and not kept alive with a heartbeat of this process's.
        assertEquals(store.claimOf("k"), rival, name);
      })();
    }
  },
);

Deno.test(
  "a takeover puts back a claim an earlier version (no lock) made in its place right before the move",
  () => {
    const unreadableStale = (path: string) => {
      Deno.writeTextFileSync(path, '{"pid":');
      Deno.utimeSync(path, new Date(OLD), new Date(OLD));
    };
    for (const stale of ["readable", "unreadable"]) {
      inStore((store, path) => {
        if (stale === "unreadable") unreadableStale(path);
        const rival = liveClaim("rival");
        // Reads: 0 judges the claim stale, 1 finds it still there under the lock; then the rival.
        const holder = interleaved(path, [() => {}, () => replaceWith(path, rival)], () => {
          return store.claim("k");
        }, () => {});
        assertEquals([holder, store.claimOf("k")], [rival, rival], stale);
        const names = [...Deno.readDirSync(path.slice(0, path.lastIndexOf("/")))].map((e) =>
          e.name
        );
        assertEquals(names, ["k.claim"], `nothing moved aside is left (${stale})`);
      })();
    }
  },
);

Deno.test(
  "a takeover whose stale claim is deleted by hand right before the move takes the cell",
  inStore((store, path) => {
    const holder = interleaved(path, [() => {}, () => Deno.removeSync(path)], () => {
      return store.claim("k");
    }, () => {});
    assertEquals([holder, store.claimOf("k")?.pid], [undefined, Deno.pid]);
    store.release("k");
  }),
);

Deno.test(
  "a takeover never removes a claim that became unreadable since it was judged stale",
  inStore((store, path) => {
    const written = '{"pid":'; // A fresh claim of a writer of an earlier version, cut short.
    const replaceWithUnreadable = () => {
      Deno.removeSync(path);
      Deno.writeTextFileSync(path, written);
    };
    const error = assertThrows(() =>
      interleaved(path, [replaceWithUnreadable], () => store.claim("k"), () => {})
    );
    assertStringIncludes(error.message, "unreadable claim");
    assertEquals(Deno.readTextFileSync(path), written);
  }),
);

Deno.test(
  "a claim lock whose file was removed or replaced while this process waited is taken again",
  () => {
    for (const replaced of [false, true]) {
      inStore((store, path) => {
        assertEquals(store.claim("k"), undefined);
        const lockPath = `${path}.lock`;
        const { tryLockSync } = Deno.FsFile.prototype;
        const { removeSync } = Deno;
        let lockedInode: number | null = null;
        let lockNamedInode: number | null | undefined;
        let locks = 0;
        Deno.FsFile.prototype.tryLockSync = function (this: Deno.FsFile, exclusive?: boolean) {
          const locked = tryLockSync.call(this, exclusive);
          lockedInode = this.statSync().ino;
          // The holder this process waited for removed the lock file before unlocking (and
          // another process made a new one under the name).
          if (locks++ === 0) {
            removeSync(lockPath);
            if (replaced) Deno.writeTextFileSync(lockPath, "");
          }
          return locked;
        };
        Deno.removeSync = (file: string | URL, options?: Deno.RemoveOptions) => {
          if (String(file) === path) lockNamedInode = Deno.statSync(lockPath).ino;
          removeSync(file, options);
        };
        try {
          store.release("k");
        } finally {
          Deno.FsFile.prototype.tryLockSync = tryLockSync;
          Deno.removeSync = removeSync;
        }
        assertEquals(store.claimOf("k"), undefined, "released");
        // Released holding the lock of the file that its name names, so no other process held it.
        assert(lockedInode !== null, "inode numbers");
        assertEquals(lockNamedInode, lockedInode, `replaced ${replaced}`);
      })();
    }
  },
);

Deno.test(
  "a claim lock file its holder removes between this process's two opens is made again and locked",
  inStore((store, path) => {
    assertEquals(store.claim("k"), undefined);
    const lockPath = `${path}.lock`;
    // Held by another process: this process's open with createNew fails on it.
    Deno.writeTextFileSync(lockPath, "");
    const { openSync, removeSync } = Deno;
    let plainOpens = 0;
    let lockFileAtRelease: boolean | undefined;
    withDenoStandIns({
      openSync: (file: string | URL, options?: Deno.OpenOptions) => {
        // The holder removes it (and unlocks) right before this process opens the name it saw.
        if (String(file) === lockPath && !options?.createNew && plainOpens++ === 0) {
          removeSync(lockPath);
        }
        return openSync(file, options);
      },
      removeSync: (file: string | URL, options?: Deno.RemoveOptions) => {
        if (String(file) === path) lockFileAtRelease = pathExists(lockPath);
        removeSync(file, options);
      },
    }, () => store.release("k"));
    assertEquals(store.claimOf("k"), undefined, "released");
    assertEquals([plainOpens, lockFileAtRelease], [1, true], "released under a lock made again");
    assertEquals(pathExists(lockPath), false);
  }),
);
