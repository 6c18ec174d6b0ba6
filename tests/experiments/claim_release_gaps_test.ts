/**
 * Edges of the claim files (lib/experiments/_claim_files.ts) and of giving claims up
 * (lib/experiments/claim_release.ts) that the claim tests leave open (found by mutation round RR,
 * session 40): a claim that cannot be given up is named in an error while the others are given up
 * and nothing stays listed as held; an unreadable claim is left alone; an empty claim file is
 * unreadable, not absent; a claim is created without leaving its temporary; and the sweep of
 * moved-aside claims removes only old files named as asides, judged by the time in the name, or
 * else by the change time.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { releaseHeldClaims } from "../../lib/experiments/claim_release.ts";
import {
  asidePathOf,
  createWhole,
  HELD_CLAIMS,
  readClaim,
  removeAbandonedAsides,
  UnreadableClaimError,
} from "../../lib/experiments/_claim_files.ts";
import { lockPathOf } from "../../lib/experiments/_claim_lock.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { STALE_TEMPORARY_SECONDS } from "../../lib/data/atomic_write.ts";

function inTempDir(body: (directory: string) => void) {
  return () => {
    const directory = Deno.makeTempDirSync();
    try {
      body(directory);
    } finally {
      Deno.removeSync(directory, { recursive: true });
    }
  };
}

Deno.test(
  "releaseHeldClaims names the one claim it could not give up, gives up the rest, holds none",
  inTempDir((directory) => {
    // A short wait: the lock below is never given back while releaseHeldClaims waits for it.
    const store = new ResultStore(directory, { lockWaitSeconds: 0.05 });
    assertEquals(store.claim("locked"), undefined);
    assertEquals(store.claim("free"), undefined);
    const locked = store.claimPathOf("locked");
    // Another holder of the claim's lock (a flock of another open file conflicts in one process).
    const lock = Deno.openSync(lockPathOf(locked), { read: true, write: true, create: true });
    try {
      lock.lockSync(true);
      const error = assertThrows(() => releaseHeldClaims(), Error);
      assertStringIncludes(error.message, `could not give up ${locked} (`);
      assertStringIncludes(error.message, "gave up 1 other(s)");
    } finally {
      lock.close();
    }
    assertEquals(store.claimOf("free"), undefined, "the other claim is given up");
    assert(store.claimOf("locked") !== undefined, "the locked claim stays");
    assertEquals([...HELD_CLAIMS.keys()], [], "no claim stays listed as held");
    Deno.removeSync(lockPathOf(locked));
  }),
);

Deno.test(
  "releaseHeldClaims leaves a held claim that became unreadable",
  inTempDir((directory) => {
    const store = new ResultStore(directory);
    assertEquals(store.claim("k"), undefined);
    Deno.writeTextFileSync(store.claimPathOf("k"), "{cut short");
    assertEquals(releaseHeldClaims(), []);
    assertEquals(Deno.readTextFileSync(store.claimPathOf("k")), "{cut short");
  }),
);

Deno.test(
  "readClaim: an empty claim file is unreadable, not absent",
  inTempDir((directory) => {
    const path = `${directory}/k.claim`;
    assertEquals(readClaim(path), undefined);
    Deno.writeTextFileSync(path, "");
    const error = assertThrows(() => readClaim(path), UnreadableClaimError);
    assertStringIncludes(error.message, `${path}: unreadable claim`);
    assertEquals((error as UnreadableClaimError).text, "");
  }),
);

Deno.test(
  "createWhole leaves no temporary, whether it creates the claim or finds one",
  inTempDir((directory) => {
    const path = `${directory}/k.claim`;
    assertEquals(createWhole(path, "first"), true);
    assertEquals(createWhole(path, "second"), false);
    assertEquals(Deno.readTextFileSync(path), "first");
    assertEquals([...Deno.readDirSync(directory)].map(({ name }) => name), ["k.claim"]);
  }),
);

Deno.test("asidePathOf names the claim, this process and the time it was moved aside", () => {
  const before = Date.now();
  const aside = asidePathOf("/results/k.claim");
  const match = /^\/results\/k\.claim\.(\d+)-(\d+)\.stale$/.exec(aside);
  assert(match !== null, aside);
  assertEquals(Number(match[1]), Deno.pid);
  const movedAside = Number(match[2]);
  assert(movedAside >= before && movedAside <= Date.now(), aside);
});

Deno.test(
  "removeAbandonedAsides removes only old asides: by the time in the name, else the change time",
  inTempDir((directory) => {
    const now = Date.now();
    const old = now - (STALE_TEMPORARY_SECONDS + 60) * 1000;
    const names = {
      oldAside: `k.claim.1-${old}.stale`,
      // Moved aside seconds ago: a takeover may still put it back.
      recentAside: `k.claim.1-${now - 5000}.stale`,
      // An earlier version's aside: its mtime is the claim's last heartbeat (old); its change time,
      // set by the rename, is now.
      earlierVersionAside: "k.claim.1.stale",
      notAnAside: `k.json.1-${old}.stale`,
    };
    for (const name of Object.values(names)) Deno.writeTextFileSync(`${directory}/${name}`, "{}");
    Deno.utimeSync(`${directory}/${names.earlierVersionAside}`, old / 1000, old / 1000);
    // A folder named like an old aside is no claim: left alone.
    const folder = `k2.claim.1-${old}.stale`;
    Deno.mkdirSync(`${directory}/${folder}`);
    removeAbandonedAsides(directory);
    assertEquals(
      [...Deno.readDirSync(directory)].map(({ name }) => name).sort(),
      [names.recentAside, names.earlierVersionAside, names.notAnAside, folder].sort(),
    );
  }),
);

/**
 * A process that installs releaseClaimsOnSignal, tries to install it again, then signals itself
 * with SIGINT; its `onStop` waits a turn (`first`) or sends itself SIGTERM and waits 10 s
 * (`second`). It holds no claim, so nothing is logged as given up.
 */
const signalProbe = `
import { releaseClaimsOnSignal } from "${
  new URL("../../lib/experiments/claim_release.ts", import.meta.url).href
}";
const mode = Deno.args[0];
releaseClaimsOnSignal({
  log: (line) => console.log("log: " + line),
  onStop: async (signal) => {
    console.log("onStop " + signal);
    if (mode === "second" && signal === "SIGINT") Deno.kill(Deno.pid, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, mode === "second" ? 10_000 : 0));
    console.log("onStop done");
  },
});
try {
  releaseClaimsOnSignal();
} catch (error) {
  console.log("again: " + error.message);
}
Deno.kill(Deno.pid, "SIGINT");
setInterval(() => {}, 60_000);
`;

for (
  const [mode, lines, code] of [
    ["first", ["onStop SIGINT", "onStop done"], 130],
    ["second", ["onStop SIGINT"], 143],
  ] as const
) {
  Deno.test({
    name: `releaseClaimsOnSignal: installed once; ${
      mode === "first"
        ? "exits 130 on SIGINT after onStop ends"
        : "a second signal (SIGTERM) exits 143 at once"
    }; logs nothing when it held no claim`,
    ignore: Deno.build.os !== "linux",
    async fn() {
      const file = await Deno.makeTempFile({ suffix: ".ts" });
      try {
        await Deno.writeTextFile(file, signalProbe);
        const output = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", file, mode],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const decoder = new TextDecoder();
        const printed = decoder.decode(output.stdout).trim().split("\n");
        assertEquals(printed, [
          "again: releaseClaimsOnSignal: already installed in this process (install it once)",
          ...lines,
        ], decoder.decode(output.stderr));
        assertEquals([output.code, output.signal], [code, null]);
      } finally {
        await Deno.remove(file);
      }
    },
  });
}
