/**
 * Edges of the claim files (lib/experiments/_claim_files.ts) and of giving claims up
 * (lib/experiments/claim_release.ts) that the claim tests leave open (found by mutation round RR,
 * session 40): a claim that cannot be given up is named in an error while the others are given up
 * and nothing stays listed as held; an unreadable claim is left alone; an empty claim file is
 * unreadable, not absent; a claim is created without leaving its temporary; and the sweep of
 * moved-aside claims removes only old files named as asides, judged by the time in the name, or
 * else by the change time. Mutation round JD (session 45) added: a claim file that cannot be
 * written is an error, not a claim that exists; a file's age is in seconds and undefined once it is
 * gone; an unreadable claim keeps its text (so an old one cut short is taken over); the error of
 * releaseHeldClaims counts what it gave up and says why it kept a claim (with the store's wait);
 * and a process stopped by a signal gives its claims up (naming them) even when `onStop` throws or
 * it is stopped through the function releaseClaimsOnSignal returns, and exits with the signal's
 * status even when a claim cannot be given up.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { releaseHeldClaims } from "../../lib/experiments/claim_release.ts";
import {
  asidePathOf,
  createWhole,
  HELD_CLAIMS,
  readClaim,
  removeAbandonedAsides,
  secondsSinceWritten,
  UnreadableClaimError,
} from "../../lib/experiments/_claim_files.ts";
import { lockPathOf } from "../../lib/experiments/_claim_lock.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { STALE_TEMPORARY_SECONDS } from "../../lib/data/atomic_write.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { holdingLock } from "./_held_lock.ts";

Deno.test(
  "releaseHeldClaims names the one claim it could not give up, gives up the rest, holds none",
  inTempDir((directory) => {
    // A short wait: the lock below is never given back while releaseHeldClaims waits for it.
    const store = new ResultStore(directory, { lockWaitSeconds: 0.05 });
    assertEquals(store.claim("locked"), undefined);
    assertEquals(store.claim("free"), undefined);
    const locked = store.claimPathOf("locked");
    // Another holder of the claim's lock.
    const error = holdingLock(
      lockPathOf(locked),
      () => assertThrows(() => releaseHeldClaims(), Error),
    );
    assertStringIncludes(error.message, `could not give up ${locked} (`);
    assertStringIncludes(error.message, "gave up 1 other(s)");
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
  "readClaim: JSON that is no object (null, a number, a list) is an unreadable claim naming the file",
  inTempDir((directory) => {
    const path = `${directory}/k.claim`;
    for (const text of ["null", "7", "[1]", '"pid"']) {
      Deno.writeTextFileSync(path, text);
      const error = assertThrows(() => readClaim(path), UnreadableClaimError);
      assertStringIncludes(
        error.message,
        `${path}: unreadable claim (${text} is not a claim object)`,
      );
      assertEquals((error as UnreadableClaimError).text, text);
    }
    const store = new ResultStore(directory);
    Deno.writeTextFileSync(store.claimPathOf("k"), "null");
    const claimed = assertThrows(() => store.claim("k"));
    assertStringIncludes(claimed.message, "unreadable claim");
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

Deno.test(
  "releaseHeldClaims counts the claims it gave up and says why it kept one",
  inTempDir((directory) => {
    const store = new ResultStore(directory, { lockWaitSeconds: 0.05 });
    for (const key of ["locked", "free", "free2"]) assertEquals(store.claim(key), undefined);
    const locked = store.claimPathOf("locked");
    const error = holdingLock(
      lockPathOf(locked),
      () => assertThrows(() => releaseHeldClaims(), Error),
    );
    // The lock's own error, with the store's wait (not the default's 180 s).
    assertStringIncludes(
      error.message,
      `could not give up ${locked} (${lockPathOf(locked)}: this claim lock file was still ` +
        "locked after 0.05 s of waiting.",
    );
    assertStringIncludes(error.message, "; gave up 2 other(s); a kept claim goes stale");
    assertEquals([store.claimOf("free"), store.claimOf("free2")], [undefined, undefined]);
    store.release("locked");
  }),
);

/**
 * A process that holds the claim `k` in the store `directory` and installs releaseClaimsOnSignal
 * with an `onStop` that throws (`throws`), then signals itself with SIGINT; or stops through the
 * function releaseClaimsOnSignal returns (`direct`, as a worker whose main process is gone); or
 * holds the claim's lock through another open file, so that the claim cannot be given up (`locked`).
 */
const holderProbe = `
import { releaseClaimsOnSignal } from "${
  new URL("../../lib/experiments/claim_release.ts", import.meta.url).href
}";
import { ResultStore } from "${
  new URL("../../lib/experiments/result_store.ts", import.meta.url).href
}";
import { lockPathOf } from "${
  new URL("../../lib/experiments/_claim_lock.ts", import.meta.url).href
}";
const [mode, directory] = Deno.args;
const store = new ResultStore(directory, { lockWaitSeconds: 0.05 });
const stop = releaseClaimsOnSignal({
  log: (line) => console.log("log: " + line),
  onStop: (signal) => {
    console.log("onStop " + signal);
    if (mode === "throws") throw new Error("the workers did not stop");
  },
});
if (store.claim("k") !== undefined) throw new Error("k is held");
if (mode === "locked") {
  const path = lockPathOf(store.claimPathOf("k"));
  Deno.openSync(path, { read: true, write: true, create: true }).lockSync(true);
}
if (mode === "direct") stop("SIGTERM");
else Deno.kill(Deno.pid, "SIGINT");
setInterval(() => {}, 60_000);
`;

for (
  const [mode, signal, code, what] of [
    [
      "throws",
      "SIGINT",
      130,
      "an onStop that throws is reported; the claims are given up all the same",
    ],
    [
      "direct",
      "SIGTERM",
      143,
      "the function it returns runs onStop, gives the claims up and exits",
    ],
    [
      "locked",
      "SIGINT",
      130,
      "a claim it cannot give up is named on stderr, and it exits all the same",
    ],
  ] as const
) {
  Deno.test({
    name: `releaseClaimsOnSignal: ${what}`,
    ignore: Deno.build.os !== "linux",
    async fn() {
      const directory = Deno.makeTempDirSync();
      const file = `${directory}/probe.ts`;
      try {
        Deno.writeTextFileSync(file, holderProbe);
        const claims = `${directory}/cells`;
        const output = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", file, mode, claims],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const decoder = new TextDecoder();
        const printed = decoder.decode(output.stdout).trim().split("\n");
        const stderr = decoder.decode(output.stderr);
        const claim = new ResultStore(claims).claimPathOf("k");
        assertEquals([output.code, output.signal], [code, null], stderr);
        if (mode === "locked") {
          assertEquals(printed, [`onStop ${signal}`], stderr);
          assertStringIncludes(
            stderr,
            `${signal}: could not give up ${claim} (${lockPathOf(claim)}: this claim lock file ` +
              "was still locked after 0.05 s",
          );
          assert(readClaim(claim) !== undefined, "the claim is gone");
          return;
        }
        assertEquals(printed, [
          `onStop ${signal}`,
          `log: ${signal}: gave up 1 claim(s) (${claim}); a rerun resumes them from their last ` +
          "epoch checkpoint",
        ], stderr);
        if (mode === "throws") assertStringIncludes(stderr, `${signal}: the workers did not stop`);
        assertEquals(readClaim(claim), undefined, "the claim stays");
      } finally {
        Deno.removeSync(directory, { recursive: true });
      }
    },
  });
}

Deno.test(
  "createWhole throws a claim it cannot write; only a claim that exists is false",
  inTempDir((directory) => {
    // Read as "exists", a failed write sent claim() round its loop to "claims kept changing".
    assertThrows(() => createWhole(`${directory}/gone/k.claim`, "{}"), Deno.errors.NotFound);
  }),
);

Deno.test(
  "secondsSinceWritten: a file's age in seconds, undefined once it is gone",
  inTempDir((directory) => {
    const path = `${directory}/k.claim`;
    assertEquals(secondsSinceWritten(path), undefined);
    Deno.writeTextFileSync(path, "");
    const old = new Date(Date.now() - 600_000);
    Deno.utimeSync(path, old, old);
    const age = secondsSinceWritten(path)!;
    assert(age >= 600 && age < 3600, `${age}`);
  }),
);

Deno.test(
  "an unreadable claim carries its text: an old one cut short is taken over",
  inTempDir((directory) => {
    const store = new ResultStore(directory, { staleSeconds: 60 });
    const path = store.claimPathOf("k");
    Deno.writeTextFileSync(path, '{"pid":12');
    const error = assertThrows(() => readClaim(path), UnreadableClaimError);
    assertEquals((error as UnreadableClaimError).text, '{"pid":12');
    const old = new Date(Date.now() - 120_000);
    Deno.utimeSync(path, old, old);
    assertEquals(store.claim("k"), undefined, "taken over");
    store.release("k");
  }),
);
