/**
 * ResultStore's edges that the earlier rounds left (lib/experiments/result_store.ts): the second
 * option of the constructor's check, a stored file without settings or without key, the stored
 * settings of a file that is unreadable or holds another key, a result written over a hard link,
 * the claim name of a key holding ".json", a heartbeat keeps the claim's batch job, a claim taken
 * over is no longer listed as held once released, and an unreadable claim is never removed as the
 * stale one, and a young unreadable claim is an error naming its file once. Found by mutation
 * round LB (LB01-LB04, LB06, LB07, LB09, LB10, LB12, LB14).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { type CellClaim, claimOfThisProcess } from "../../lib/experiments/cell_claim.ts";
import { HELD_CLAIMS } from "../../lib/experiments/_claim_files.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { withStore } from "./_in_temp_dir.ts";

Deno.test("ResultStore: a claim lock wait that is not a positive number is refused by name", () => {
  const directory = Deno.makeTempDirSync();
  try {
    for (const lockWaitSeconds of [0, -1, NaN]) {
      const error = assertThrows(() => new ResultStore(directory, { lockWaitSeconds }), Error);
      assertEquals(
        error.message,
        `ResultStore: lockWaitSeconds must be > 0, got ${lockWaitSeconds}`,
      );
    }
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test(
  "ResultStore.get: a stored file without settings is a result of no settings asked, not of any",
  withStore((store) => {
    Deno.writeTextFileSync(store.pathOf("k"), JSON.stringify({ key: "k", result: 7 }));
    assertEquals(store.get("k", { maxEpochs: 3 }), undefined);
    assertEquals(store.storedSettings("k"), undefined);
    assertEquals(store.has("k"), true);
  }),
);

Deno.test(
  "ResultStore.get: a stored file without its key is unreadable, named by its file",
  withStore((store) => {
    Deno.writeTextFileSync(store.pathOf("k"), JSON.stringify({ settings: { n: 1 }, result: 7 }));
    const error = assertThrows(() => store.get("k", { n: 1 }), Error);
    assertEquals(
      error.message,
      `${store.pathOf("k")}: unreadable cell result (holds key "undefined", expected "k"); ` +
        "delete it",
    );
  }),
);

Deno.test(
  "ResultStore.storedSettings: a file holding another key, or not JSON, is an error naming the file",
  withStore((store) => {
    store.put("a/b", { n: 1 }, 1); // a__b.json, the file name of "a__b" too.
    const other = assertThrows(() => store.storedSettings("a__b"), Error);
    assertStringIncludes(
      other.message,
      `${store.pathOf("a__b")}: unreadable cell result (holds key "a/b", expected "a__b")`,
    );
    Deno.writeTextFileSync(store.pathOf("c"), '{"key": "c", "settings"');
    const cut = assertThrows(() => store.storedSettings("c"), Error);
    assertStringIncludes(cut.message, `${store.pathOf("c")}: unreadable cell result (`);
    assertEquals(store.storedSettings("a/b"), { n: 1 });
  }),
);

Deno.test(
  "ResultStore.put replaces the cell's file, never writes through it: a hard-linked copy keeps its result",
  withStore((store, directory) => {
    store.put("k", { n: 1 }, "old");
    // A results folder copied with hard links (`cp -al`): both names share the old file.
    const copy = `${directory}/copy.json`;
    Deno.linkSync(store.pathOf("k"), copy);
    store.put("k", { n: 2 }, "new");
    assertEquals(store.get("k", { n: 2 }), "new");
    assertEquals(JSON.parse(Deno.readTextFileSync(copy)), {
      key: "k",
      settings: { n: 1 },
      result: "old",
    });
  }),
);

Deno.test(
  "ResultStore.claimPathOf: only the file's .json ending becomes .claim (a key holding '.json')",
  withStore((store, directory) => {
    assertEquals(store.claimPathOf("a.json/b"), `${directory}/a.json__b.claim`);
    // Else the claim of "a.json/b" would be the result file of "a.claim/b".
    assertEquals(store.pathOf("a.claim/b"), `${directory}/a.claim__b.json`);
  }),
);

Deno.test(
  "ResultStore.heartbeat keeps the claim's batch job (a restarted task still takes it over) and its start",
  withStore((store) => {
    assertEquals(store.claim("k", "1234_7"), undefined);
    const before = store.claimOf("k")!;
    assertEquals(before.job, "1234_7");
    assertEquals(store.heartbeat("k"), true);
    const after = store.claimOf("k")!;
    assertEquals({ ...after, heartbeat: undefined }, { ...before, heartbeat: undefined });
    store.release("k");
  }),
);

Deno.test(
  "ResultStore.release of a claim another process took over lists it as held no more, and leaves it",
  withStore((store) => {
    const path = store.claimPathOf("k");
    assertEquals(store.claim("k"), undefined);
    const other: CellClaim = { ...claimOfThisProcess(), pid: 1, hostname: "elsewhere", token: "x" };
    Deno.writeTextFileSync(path, JSON.stringify(other));
    store.release("k");
    assertEquals(HELD_CLAIMS.has(path), false, "a SIGINT would release a claim not ours");
    assertEquals(store.claimOf("k"), other);
  }),
);

Deno.test(
  "ResultStore.removeStaleClaim leaves an unreadable claim (it is not the stale claim judged)",
  withStore((store) => {
    const path = store.claimPathOf("k");
    const stale: CellClaim = { pid: 1, hostname: "elsewhere", since: "2020-01-01T00:00:00Z" };
    Deno.writeTextFileSync(path, "{ not json");
    store.removeStaleClaim("k", stale);
    assertEquals(Deno.readTextFileSync(path), "{ not json");
  }),
);

Deno.test(
  "ResultStore.claim: a young unreadable claim is an error naming its file once, with why it cannot be read",
  withStore((store) => {
    const path = store.claimPathOf("k");
    Deno.writeTextFileSync(path, "{ cut");
    const error = assertThrows(() => store.claim("k"), Error);
    assertEquals(error.message.split(path).length, 2, error.message);
    assertEquals(error.message.startsWith(`${path}: unreadable claim (`), true, error.message);
    assertStringIncludes(
      error.message,
      ` s ago (by a writer of an earlier version that was killed or ran out of space); ` +
        `it is taken over once ${store.staleSeconds} s old, or delete it`,
    );
    assertEquals(Deno.readTextFileSync(path), "{ cut", "left as it is");
  }),
);

Deno.test(
  "ResultStore.put does not write over the result of another key of the same file name: an error names both",
  withStore((store) => {
    store.put("a/b", { n: 1 }, "of a/b"); // a__b.json, the file name of "a__b" too.
    const error = assertThrows(() => store.put("a__b", { n: 1 }, "of a__b"), Error);
    assertEquals(
      error.message,
      `${store.pathOf("a__b")}: holds the result of "a/b", not of "a__b" (two keys of one file ` +
        "name: one of the cells needs another name)",
    );
    assertEquals(store.get("a/b", { n: 1 }), "of a/b", "kept");
    // The same key again, with other settings, or over a file that is not JSON, is written.
    assertEquals(store.put("a/b", { n: 2 }, "again"), "again");
    Deno.writeTextFileSync(store.pathOf("c"), "{ cut");
    store.put("c", {}, 1);
    assertEquals(store.get("c", {}), 1);
  }),
);
