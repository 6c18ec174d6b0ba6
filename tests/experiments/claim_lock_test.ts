/**
 * A results folder whose file system gives no file locks (flock): the claim locks
 * (`withClaimLock`, lib/experiments/_claim_lock.ts) fail there. Before, the error named no file
 * and said nothing of what to do (`Function not implemented (os error 38)`), came only at the
 * cell's first heartbeat or its release (an epoch in; the claim was left behind), and left one
 * `<claim>.lock` per attempt, on which every later opening of the folder's store failed.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes, assertThrows } from "@std/assert";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { withoutFlock } from "./_no_flock.ts";
import { namesIn } from "./_names_in.ts";

Deno.test("without flock a claim is refused before its cell runs, naming the lock file, and leaves no file", async () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    const lock = `${store.claimPathOf("k")}.lock`;
    await withoutFlock(() => {
      const error = assertThrows(() => store.claim("k"));
      assertStringIncludes(error.message, `${lock}: cannot lock`);
      assertStringIncludes(error.message, "flock");
      assertStringIncludes(error.message, "Function not implemented (os error 38)");
    });
    assertEquals(namesIn(directory), []);
    // With locks, the folder is used as ever.
    const again = new ResultStore(directory);
    assertEquals(again.claim("k"), undefined);
    again.release("k");
    assertEquals(namesIn(directory), []);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("without flock a heartbeat, a release and a takeover name the lock file and leave none", async () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory, { staleSeconds: 1 });
    assertEquals(store.claim("k"), undefined);
    const claim = store.claimPathOf("k");
    const old = "2020-01-01T00:00:00.000Z";
    Deno.writeTextFileSync(
      store.claimPathOf("dead"),
      JSON.stringify({ pid: 7, hostname: "gone", since: old, heartbeat: old }),
    );
    await withoutFlock(() => {
      for (const action of [() => store.heartbeat("k"), () => store.release("k")]) {
        assertStringIncludes(assertThrows(action).message, `${claim}.lock: cannot lock`);
      }
      // The store took a lock before (its claim of k): the takeover's own lock fails.
      const takeover = assertThrows(() => store.claim("dead"));
      assertStringIncludes(takeover.message, `${store.claimPathOf("dead")}.lock: cannot lock`);
    });
    assertEquals(namesIn(directory), ["dead.claim", "k.claim"]);
    // A store opens on the folder: no lock file for it to fail on.
    new ResultStore(directory).release("k");
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("reproduce --cell on a folder without flock: one line naming the lock file, exit 1, nothing stored", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const probe = new URL("./_no_flock_reproduce.ts", import.meta.url).pathname;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", probe, "--quick", "--cell", "0", "--results", resultsDir],
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 1, stderr);
    // Before, the cell ran, then its release failed: "cell ... failed:" with a stack, no file.
    assertMatch(stderr, /^reproduce: \/[^ ]+\/cells\/[^ ]+\.claim\.lock: cannot lock .*flock/m);
    assert(!stderr.includes("    at "), `no stack: ${stderr}`);
    assertEquals(namesIn(`${resultsDir}/cells`), []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("without flock a lock file another process made is left in place", async () => {
  // It may be held by that process (on a host whose locks work): only a lock file this process
  // created is removed when it cannot be locked.
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    assertEquals(store.claim("k"), undefined);
    const lock = `${store.claimPathOf("k")}.lock`;
    Deno.writeTextFileSync(lock, "");
    await withoutFlock(() => {
      assertStringIncludes(
        assertThrows(() => store.heartbeat("k")).message,
        `${lock}: cannot lock`,
      );
    });
    assertEquals(namesIn(directory), ["k.claim", "k.claim.lock"]);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("a store opening a folder removes abandoned claim locks only, not other .lock files", () => {
  const directory = Deno.makeTempDirSync();
  try {
    for (const name of ["k.claim.lock", "notes.lock", "k.lock"]) {
      Deno.writeTextFileSync(`${directory}/${name}`, "");
    }
    new ResultStore(directory);
    assertEquals(namesIn(directory), ["k.lock", "notes.lock"]);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
